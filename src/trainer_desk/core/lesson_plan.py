"""A lesson plan as a trainer delivers it: timed sections, objectives, videos, FAQ and a signposting card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from trainer_desk.core.force_fields import FIELDS

FORMAT_VERSION = 1


class SectionKind(StrEnum):
    TALK = "talk"
    VIDEO = "video"
    DISCUSSION = "discussion"
    ACTIVITY = "activity"
    QUESTION_ROUND = "question-round"
    BREAK = "break"
    CLOSE = "close"


@dataclass(frozen=True, slots=True)
class Programme:
    id: str
    name: str
    mandatory: bool = False


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Video:
    file: Path  # absolute, inside the plan folder
    captions: Path
    start_seconds: int = 0
    # Why its captions cannot be read ("" when they can): the film plays without them, and the trainer is told.
    captions_problem: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    kind: SectionKind
    minutes: int
    objectives: tuple[str, ...]
    script: str  # Markdown: the facilitator's script, then '## Notes'
    audience: str  # Markdown for the projector
    prompts: tuple[str, ...] = ()
    content_warning: str = ""
    video: Video | None = None

    @property
    def script_and_notes(self) -> tuple[str, str]:
        """The script and the trainer's private notes, split at the '## Notes' heading."""
        head, marker, notes = self.script.partition("\n## Notes")
        return head.strip(), notes.strip() if marker else ""


@dataclass(frozen=True, slots=True)
class FaqEntry:
    question: str
    answer: str
    tags: tuple[str, ...] = ()
    source: str = ""


class FollowUpAnswer(StrEnum):
    YES_NO = "yes-no"
    SCALE = "scale"  # 1 (not at all) to 5 (a great deal)
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class FollowUpQuestion:
    """One question of the six-month follow-up: did the learning last, and is it used?"""

    id: str
    question: str
    answer: FollowUpAnswer


@dataclass(frozen=True, slots=True)
class Preparation:
    """What a trainer (and the training lead who books them) needs to know before the day."""

    trainers: str = ""  # who may deliver it: prerequisites, or co-delivery with a specialist
    group_size: str = ""
    room: str = ""  # resources and room set-up
    checklist: tuple[str, ...] = ()  # ticked off in the start dialog
    owner: str = ""  # who keeps the plan up to date
    review_by: date | None = None


@dataclass(frozen=True, slots=True)
class LessonPlan:
    folder: Path
    id: str
    title: str
    version: str
    audience: str
    duration_minutes: int
    delivery: tuple[str, ...]
    summary: str
    programme: Programme
    objectives: tuple[Objective, ...]
    sections: tuple[Section, ...]
    faq: tuple[FaqEntry, ...]
    signposting: str
    sample_media: bool = False
    warnings: tuple[str, ...] = ()  # "file:line: message" for what is missing but does not stop a session
    force_fields_missing: tuple[str, ...] = ()  # the force's facts this plan uses that nobody has filled in
    preparation: Preparation = Preparation()
    follow_up: tuple[FollowUpQuestion, ...] = ()  # asked six months after completing, at HQ

    def section_index(self, section_id: str) -> int:
        return next(i for i, s in enumerate(self.sections) if s.id == section_id)

    def before_you_start(self) -> list[str]:
        """What the trainer must know before delivering this plan: shown in the library and the start dialog."""
        notices = []
        if self.preparation.trainers:
            notices.append(f"Who may deliver it: {self.preparation.trainers}")
        if self.sample_media:
            notices.append(
                "The films in this plan are samples (narrated title cards), not your force's own films: "
                "HQ replaces them."
            )
        for section in self.sections:  # found at the start, not in front of the room
            if section.video is not None and not section.video.file.is_file():
                notices.append(
                    f"The film for “{section.title}” ({section.video.file.name}) is not on this laptop: that "
                    "section goes on without it. Ask HQ for the film, or plan to talk it through."
                )
            if section.video is not None and section.video.captions_problem:
                notices.append(
                    f"The captions for the film in “{section.title}” cannot be read "
                    f"({section.video.captions_problem}): the film plays without captions. Ask HQ for a "
                    "corrected captions file."
                )
        if self.force_fields_missing:
            names = ", ".join(FIELDS[name] for name in self.force_fields_missing)
            notices.append(
                f"Your force's details are missing from this plan: {names}. They show as 'not set' on screen. "
                "Ask HQ to fill them in (force.toml), or IT (settings), before the session."
            )
        return notices
