"""What the room's screen shows of the presentation: the section, a blank screen or the signposting card."""

from __future__ import annotations

from enum import StrEnum


class AudienceView(StrEnum):
    CONTENT = "content"  # the section's projector text, or its video in a video section
    BLANK = "blank"
    SIGNPOSTING = "signposting"
