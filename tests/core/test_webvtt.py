from __future__ import annotations

import pytest

from trainer_desk.core.webvtt import CaptionError, CaptionTrack, parse_webvtt

VTT = """WEBVTT

1
00:00:01.000 --> 00:00:03.500 align:center
Hello <b>room</b>

00:01:00.250 --> 00:01:02.000
Second
line
"""


def test_cues_are_read_with_times_and_without_markup() -> None:
    cues = parse_webvtt(VTT)
    assert [(c.start_ms, c.end_ms, c.text) for c in cues] == [
        (1000, 3500, "Hello room"),
        (60250, 62000, "Second\nline"),
    ]


def test_the_caption_showing_at_a_moment() -> None:
    track = CaptionTrack(parse_webvtt(VTT))
    assert track.text_at(500) == ""
    assert track.text_at(1000) == "Hello room"
    assert track.text_at(3500) == ""
    assert track.text_at(61000) == "Second\nline"


def test_not_webvtt_is_refused() -> None:
    with pytest.raises(CaptionError):
        parse_webvtt("1\n00:00:01,000 --> 00:00:02,000\nSRT\n")
