"""Self sign-in on a 1920-wide laptop: the staff-number box ran from one edge of the screen to the other. It
stands in a centred column as wide as the instruction above it, on the laptop and on a 1024x768 projector,
its type as large as before."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect

from tests.ui.two_screens import run_on_two_screens

DIGITS_PX = 53  # the staff number's 40 points, at 96 dots an inch
REPLY_PX = 40  # the reply's 30 points


def test_the_staff_number_box_stands_in_a_centred_column_on_the_laptop_and_the_projector(tmp_path: Path) -> None:
    seen = run_on_two_screens(
        tmp_path, (1920, 1080), (1024, 768), [str(Path(__file__).with_name("kiosk_on_screen.py"))]
    )
    for name, size in (("LAPTOP", (1920, 1080)), ("PROJECTOR", (1024, 768))):
        shown = seen[name]
        assert shown["window"][2:] == list(size), f"{name}: the sign-in covers the screen"
        x, _y, width, _height = shown["entry"]
        left, right = x, size[0] - x - width
        assert abs(left - right) <= 1, f"{name}: the box is not centred ({left} px left, {right} px right)"
        assert left >= 48, f"{name}: the box runs to the edges ({width} px wide)"
        assert shown["entry_px"] >= DIGITS_PX and shown["reply_px"] >= REPLY_PX, f"{name}: smaller type"
        screen = QRect(0, 0, *size)
        for part in ("title", "entry", "reply"):
            assert screen.contains(QRect(*shown[part])), f"{name}: the {part} is off the screen"
        for part in ("title", "reply"):
            assert shown[part][3] >= shown[f"{part}_needs"], f"{name}: the {part} is cut off"
    assert seen["LAPTOP"]["entry"][2] <= 1920 // 2  # on the laptop, no wider than half its screen
