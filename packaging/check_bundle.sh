#!/usr/bin/env bash
# Start the built bundle as a trainer's laptop would (no Python needed): report its version, then open the
# main window offscreen on a new data folder and close it after two seconds.
set -euo pipefail
bundle="${1:-dist/TrainerDesk}"
app="$bundle/trainer-desk"
"$app" --version
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/settings"
# A build machine has no keyring: this check runs without encryption rather than prompting for a passphrase.
echo 'encrypt_database = false' > "$home/settings/config.toml"
env -u PYTHONPATH -u VIRTUAL_ENV QT_QPA_PLATFORM=offscreen TRAINER_DESK_HOME="$home" "$app" --exit-after 2 |
  grep "Trainer Desk is ready"
test -s "$home/trainer-desk.sqlite3"
plans=$(env QT_QPA_PLATFORM=offscreen TRAINER_DESK_HOME="$home" "$app" plans list | grep -c " min ")
[ "$plans" -ge 4 ] || { echo "the bundle found only $plans lesson plans" >&2; exit 1; }
echo "bundle ok: $(du -sh "$bundle" | cut -f1), $plans lesson plans, main window opened and closed"
