"""Read WebVTT captions into cues, so captions can be drawn over a video at the right moment."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_TIMING = re.compile(r"^\s*((?:\d+:)?\d{1,2}:\d{2}\.\d{3})\s+-->\s+((?:\d+:)?\d{1,2}:\d{2}\.\d{3})(?:\s+.*)?$")
_TAG = re.compile(r"<[^>]+>")


class CaptionError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str


def _ms(stamp: str) -> int:
    parts = stamp.split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    return round(((hours * 60 + minutes) * 60 + seconds) * 1000)


def _real_time(stamp: str) -> bool:
    """Minutes and seconds below 60, as on a clock (hours may run on)."""
    parts = stamp.split(":")
    return int(parts[-2]) < 60 and float(parts[-1]) < 60


def _not_a_timing(number: int, line: str) -> CaptionError:
    return CaptionError(
        f"line {number} of the captions is not a WebVTT timing ({line.strip()[:40]}): write times as "
        "00:01:02.500, with a dot before the milliseconds"
    )


def parse_webvtt(text: str) -> list[Cue]:
    """The cues, or CaptionError naming the first line that is not WebVTT: captions that read as none would
    leave a film silently uncaptioned, and SRT's comma before the milliseconds is the usual slip."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].startswith("WEBVTT"):
        raise CaptionError("captions must start with 'WEBVTT'")
    cues: list[Cue] = []
    index = 1
    while index < len(lines):
        match = _TIMING.match(lines[index])
        index += 1
        if not match:
            if "-->" in lines[index - 1]:  # a timing line, but not one WebVTT reads
                raise _not_a_timing(index, lines[index - 1])
            continue
        # A time no clock shows (99:99:99.999) or a cue that ends before it starts is as broken as a comma
        # before the milliseconds: dropped quietly, its caption never showed and nobody was told.
        if not (_real_time(match.group(1)) and _real_time(match.group(2))):
            raise _not_a_timing(index, lines[index - 1])
        start, end = _ms(match.group(1)), _ms(match.group(2))
        if end <= start:
            raise _not_a_timing(index, lines[index - 1])
        body: list[str] = []
        while index < len(lines) and lines[index].strip():
            body.append(_TAG.sub("", lines[index]).strip())
            index += 1
        cues.append(Cue(start, end, "\n".join(body)))
    if not cues:
        raise CaptionError("the captions hold no cue (a line of timings such as 00:00:01.000 --> 00:00:04.000)")
    cues.sort(key=lambda c: c.start_ms)
    return cues


class CaptionTrack:
    """Answers 'what caption is showing at this moment' quickly, as it is asked on every frame."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        self._starts = [c.start_ms for c in cues]

    def text_at(self, position_ms: int) -> str:
        index = bisect.bisect_right(self._starts, position_ms) - 1
        if index >= 0 and position_ms < self.cues[index].end_ms:
            return self.cues[index].text
        return ""
