"""A child process of the app's own Python on two offscreen screens, a laptop beside a projector, as a trainer's
classroom has them: what it printed last, as JSON. Qt reads the screens once, at start, so each layout needs a
process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_on_two_screens(
    tmp_path: Path, laptop: tuple[int, int], projector: tuple[int, int], arguments: list[str]
) -> dict[str, Any]:
    """Run `python ARGUMENTS` with a LAPTOP screen at the left and a PROJECTOR to its right."""
    layout = tmp_path / "screens.json"
    common = {"y": 0, "logicalDpi": 96, "logicalBpp": 32, "dpr": 1}
    screens = [
        {"name": "LAPTOP", "x": 0, "width": laptop[0], "height": laptop[1]},
        {"name": "PROJECTOR", "x": laptop[0], "width": projector[0], "height": projector[1]},
    ]
    layout.write_text(json.dumps({"screens": [screen | common for screen in screens]}))
    child = subprocess.run(
        [sys.executable, *arguments],
        env=os.environ | {"QT_QPA_PLATFORM": f"offscreen:configfile={layout}"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    found: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return found
