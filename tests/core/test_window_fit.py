"""A window opens on the screen whole: its bottom row of buttons is never under the taskbar or off the edge."""

from __future__ import annotations

from trainer_desk.core.window_fit import Box, fit_window


def test_on_a_small_laptop_the_window_takes_the_free_area_less_its_frame() -> None:
    fitted = fit_window(Box(0, 0, 1366, 728), (16, 48), (1280, 800))
    assert (fitted.width, fitted.height) == (1280, 680)
    assert fitted.x + fitted.width + 16 <= 1366 and fitted.y + fitted.height + 48 <= 728
    assert fitted.x == (1366 - 1280 - 16) // 2 and fitted.y == 0


def test_on_a_large_screen_it_opens_at_its_preferred_size_centred_on_that_screen() -> None:
    assert fit_window(Box(1920, 0, 1920, 1040), (16, 48), (1280, 800)) == Box(1920 + 312, 96, 1280, 800)
