"""Time from launch to an interactive main window, against a bare PySide6 window, in the same run.

Each measurement is a fresh process, timed from before it starts until it exits right after the window's
first event-loop pass (`--exit-after 0`), so interpreter start-up and imports count. Run:
`.venv/bin/python bench/startup.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.show()
QTimer.singleShot(0, window.close)
app.exec()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # The database is encrypted as for a trainer; its key sits in a throw-away file keyring.
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
            "PYTHON_KEYRING_BACKEND": "tests.file_keyring.FileKeyring",
            "TRAINER_DESK_TEST_KEYRING_FILE": str(Path(folder) / "keyring.json"),
        }
        data = str(Path(folder) / "data")
        app = [sys.executable, "-m", "trainer_desk", "--data-dir", data, "--exit-after", "0"]
        bare = [sys.executable, "-c", BARE]
        timed(app, env)  # first start creates the database and loads the demo roster: not what we measure
        bare_times, app_times = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            bare_times.append(timed(bare, env))
            app_times.append(timed(app, env))
    bare_median = statistics.median(bare_times)
    app_median = statistics.median(app_times)
    print(f"bare PySide6 window:      median {bare_median * 1000:7.1f} ms  (runs: {args.runs})")
    print(f"Trainer Desk main window: median {app_median * 1000:7.1f} ms")
    print(f"ratio app/bare:           {app_median / bare_median:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
