"""Where a window opens on a screen: at its preferred size where there is room, else as large as the screen's
free area allows, centred on it, so the buttons along its bottom are never under the taskbar or off the edge."""

from __future__ import annotations

from typing import NamedTuple


class Box(NamedTuple):
    x: int
    y: int
    width: int
    height: int


def fit_window(room: Box, border: tuple[int, int], preferred: tuple[int, int]) -> Box:
    """The window's size (inside its frame) and its frame's position in `room`, the screen's free area.
    `border` is what the title bar and edges add to each side's length."""
    width = min(preferred[0], room.width - border[0])
    height = min(preferred[1], room.height - border[1])
    return Box(
        room.x + max((room.width - width - border[0]) // 2, 0),
        room.y + max((room.height - height - border[1]) // 2, 0),
        width,
        height,
    )
