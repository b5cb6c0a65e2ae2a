"""From the back of a classroom: on each projector a trainer meets, the audience screen, put on the projector
as a session puts it, sets the longest section of the bundled plans, every page of a signposting card and the
longest caption of the bundled films by the size rule in `projected_text`, whole on the screen."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect

from tests.ui.two_screens import run_on_two_screens

PROJECTORS = [(1024, 768), (1280, 720), (1920, 1080)]
LONGEST_LINE = 60  # characters


def seen_on(projector: tuple[int, int], tmp_path: Path) -> dict[str, Any]:
    """What the child process (audience_on_projector.py) saw, on a laptop beside a projector of that size."""
    return run_on_two_screens(
        tmp_path, (1920, 1080), projector, [str(Path(__file__).with_name("audience_on_projector.py"))]
    )


@pytest.mark.parametrize("projector", PROJECTORS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_back_row_can_read_every_text_on_the_projector(projector: tuple[int, int], tmp_path: Path) -> None:
    seen = seen_on(projector, tmp_path)
    assert seen["screen"] == "PROJECTOR" and seen["window"] == seen["projector"], "full screen on the projector"
    rule = math.ceil(projector[1] / 25)
    screen = QRect(0, 0, *projector)
    problems = []
    for view in seen["views"]:
        for box in view["boxes"]:
            where = f"{view['what']}, {box['name']}"
            if box["body_px"] < rule:
                problems.append(f"{where}: body text {box['body_px']} px, under {rule}")
            if not screen.contains(QRect(*box["box"])):
                problems.append(f"{where}: past the screen's edge at {box['box']}")
            needs_width, needs_height = box["needs"]
            if needs_width > box["box"][2] or needs_height > box["box"][3]:
                problems.append(f"{where}: text cut off ({needs_width:.0f}x{needs_height:.0f} in {box['box']})")
            for line in box["lines"]:
                if len(line["text"]) > LONGEST_LINE:
                    problems.append(f"{where}: a line of {len(line['text'])} characters: {line['text']!r}")
                if line["heading"] and line["px"] <= box["body_px"]:
                    problems.append(f"{where}: the heading {line['text']!r} is no larger than the body")
    caption = seen["caption"]
    if caption["px"] < rule:
        problems.append(f"the caption is {caption['px']} px, under the body's {rule}")
    if not screen.contains(QRect(*caption["box"])):
        problems.append(f"the caption reaches past the screen's edge at {caption['box']}")
    if sum(line["height"] for line in caption["lines"]) > caption["room"]:
        problems.append("the caption is cut off")
    problems += [
        f"a caption line of {len(line['text'])} characters"
        for line in caption["lines"]
        if len(line["text"]) > LONGEST_LINE
    ]
    assert problems == []
    assert any("page 2" in view["what"] for view in seen["views"]), "the long card went on to a second page"
