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
# The window reaches the keyring through a child of itself: the frozen program must answer such a request (here
# from the keyring package's "no keyring" backend, as on a build machine).
reply=$(echo '{"do": "get", "service": "Trainer Desk", "name": "bundle-check"}' |
  env PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring "$app" --keyring)
echo "$reply" | grep -q '"error": "NoKeyringError"' || { echo "the bundle's keyring helper answered: $reply" >&2; exit 1; }
# The papers print the forces' time whatever the laptop's clock: the bundle carries the zone database (Windows
# has none of its own).
test -f "$bundle/_internal/tzdata/zoneinfo/Europe/London" || { echo "the bundle lacks tzdata's Europe/London" >&2; exit 1; }
plans=$(env QT_QPA_PLATFORM=offscreen TRAINER_DESK_HOME="$home" "$app" plans list | grep -c " min ")
[ "$plans" -ge 4 ] || { echo "the bundle found only $plans lesson plans" >&2; exit 1; }
echo "bundle ok: $(du -sh "$bundle" | cut -f1), $plans lesson plans, main window opened and closed"
