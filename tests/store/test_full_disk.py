"""A laptop whose disk fills up: Trainer Desk says the disk is full, not that the database is damaged, and never
advises putting back an older backup (which would throw away everything recorded since). Once space is freed,
everything recorded is there.

The disk is a real 4 MiB filesystem (tmpfs), mounted for the test in a mount namespace of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.dates import ahead

ROOT = Path(__file__).resolve().parents[2]

# Run inside the namespace: the data folder on the small disk, a session planned, a backup taken, then the disk
# filled by something else. Each command's exit code and words are printed for the test to read.
SCRIPT = """
set -u
mount -t tmpfs -o size=4m tmpfs "$DISK" || exit 97
td() { "$PYTHON" -m trainer_desk --data-dir "$DISK/data" "$@"; echo "exit $?"; }
td sessions plan --plan signa-core --at "$WHEN" --venue "Room 1" --unit CENTRAL-EAST --trainer S271699
td backup
dd if=/dev/zero of="$DISK/filler" bs=4k 2>/dev/null
echo "--- full"
td sessions list
td sessions plan --plan upstander --at "$WHEN" --venue "Room 2" --unit CENTRAL-EAST --trainer S271699 --anyway
td restore "$(ls "$DISK"/data/backups/*.sqlite3 | head -1)"
rm -f "$DISK/filler"
echo "--- freed"
td sessions list
"""


def test_a_full_disk_is_called_full_and_nothing_recorded_is_lost(tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.fail("util-linux's unshare is needed to give this test a small disk of its own")
    disk = tmp_path / "disk"
    disk.mkdir()
    when = f"{ahead(60)}T09:30"
    child = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", SCRIPT],
        env=os.environ
        | {
            "DISK": str(disk),
            "PYTHON": sys.executable,
            "WHEN": when,
            "PYTHONPATH": str(ROOT),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "tests.file_keyring.FileKeyring",
            "TRAINER_DESK_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    if child.returncode == 97:
        pytest.fail(f"this machine would not mount a small disk for the test: {child.stdout[-500:]}")
    said = child.stdout
    planned, full, freed = said.split("--- full")[0], *said.split("--- full")[1].split("--- freed")
    assert planned.count("exit 0") == 2, said
    # Reading may still work; writing cannot, and says why. Nothing is called damaged; no restore is made.
    assert "disk is full" in full and "do not restore" in full, full
    assert "is damaged" not in full and "fault in the program" not in full, full
    assert "could not be put back" in full and full.rstrip().endswith("exit 1"), full
    assert "Room 1" in freed and "Room 2" not in freed and "exit 0" in freed, freed
