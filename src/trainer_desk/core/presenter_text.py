"""What the presenter's window says: the section's heading and script, what comes next, what the room sees,
the clock's button and the question before ending. Plain text from plain values, so each wording is checked
without a screen, and the window only puts it on its labels."""

from __future__ import annotations

from typing import NamedTuple

from trainer_desk.core.audience_view import AudienceView
from trainer_desk.core.lesson_plan import Section
from trainer_desk.core.markdown_title import split_title
from trainer_desk.core.pacing import format_clock

SCRIPT_POINTS = 15  # the script's type size when a presenter opens
_SCRIPT_RANGE = (10, 40)  # smaller is unreadable at arm's length; larger leaves a line or two on the screen
_NOTES_SMALLER_BY, _NOTES_SMALLEST = 3, 9  # the notes are read less often than the script

REHEARSAL_NOTE = (
    "Rehearsal: no one is registered and the timings are only for you; a question you note for HQ still goes to HQ."
)
SESSION_CLOSED = (
    "This session has been closed, so nothing more is recorded and the clock has stopped. "
    "The room still sees this screen until you close the presenter."
)
AUDIENCE_MOVED = "The projector was disconnected: the audience view moved."


def section_name(index: int, section: Section) -> str:
    """The section as the trainer knows it, by its number and title in the presenter's list: its id is the
    plan's, and a trainer never sees it."""
    return f"{index + 1}. {section.title}"


def section_heading(index: int, section: Section) -> str:
    """The section's number, title, kind and length, as rich text for the heading above the script."""
    return (
        f"<h2>{section_name(index, section)}</h2><span>{section.kind.value.replace('-', ' ')}, "
        f"{section.minutes} minutes</span>"
    )


def script_markdown(section: Section) -> str:
    """The script without its own '# ' title (the heading above already names the section), then its prompts."""
    script, _notes = section.script_and_notes
    _title, script = split_title(script)
    prompts = "".join(f"\n- {p}" for p in section.prompts)
    return script + (f"\n\n**Prompts**\n{prompts}" if prompts else "")


def notes_markdown(section: Section) -> str:
    """The trainer's private notes; said to be none rather than an empty box that looks unloaded."""
    return section.script_and_notes[1] or "*No notes for this section.*"


def next_up(following: Section | None) -> str:
    return f"Next: {following.title} ({following.minutes} min)" if following else "Next: end of session"


def missing_film(section: Section) -> str:
    """Why the section's film will not play, when its file is not on this laptop; empty when there is none to
    miss or it is there."""
    if section.video is None or section.video.file.is_file():
        return ""
    return f"The video {section.video.file.name} is missing on this laptop. Carry on without it."


def room_sees(
    view: AudienceView,
    film_held: bool,
    page: int = 1,
    pages: int = 1,
    following: tuple[int, Section] | None = None,
) -> str:
    """What the room sees, said beside the controls; a film taken off the screen is said to be paused, and a
    text shown a page at a time says which page and what Next does: it turns the page, and on the last page
    goes on to the `following` section (its index and itself), or does nothing after the plan's last."""
    text = {
        AudienceView.BLANK: "The audience screen is blank.",
        AudienceView.SIGNPOSTING: "The audience sees the signposting card.",
    }.get(view, "The audience sees this section.")
    paused = view is not AudienceView.CONTENT and film_held
    turning = ""
    if pages > 1 and page < pages:
        turning = f" Page {page} of {pages}: Next turns the page."
    elif pages > 1 and following is not None:
        title = following[1].title
        stop = "" if title.endswith((".", "?", "!")) else "."  # "what would you do?" ends its own sentence
        turning = f" Page {page} of {pages}: Next goes on to {following[0] + 1}. {title}{stop}"
    elif pages > 1:
        turning = f" Page {page} of {pages}, the last page of the last section: Next does nothing more."
    return text + (" The film is paused." if paused else "") + turning


def clock_button(paused: bool) -> str:
    """What the clock's button will do, read from the clock (a resumed session's clock starts paused)."""
    return "Resume clock" if paused else "Pause clock"


def time_taught(spent_s: float) -> str:
    """A section's actual time in the section list: a dash until it has been taught at all."""
    return format_clock(spent_s) if spent_s else "-"


def script_sizes(points: int) -> tuple[int, int]:
    """The script's type size kept within what is readable, and the notes' a little smaller."""
    script = max(_SCRIPT_RANGE[0], min(points, _SCRIPT_RANGE[1]))
    return script, max(script - _NOTES_SMALLER_BY, _NOTES_SMALLEST)


def screen_choice(number: int, name: str, width: int, height: int) -> str:
    """A screen as the audience-screen list names it: an unnamed one by its place in the list."""
    return f"Audience on {name or f'screen {number}'} ({width}x{height})"


class EndQuestion(NamedTuple):
    title: str
    text: str
    confirm: str


def end_question(rehearsal: bool) -> EndQuestion:
    """The question before ending: one misclick mid-session must not end it. A session's register and feedback
    stay open after it, which the trainer is told."""
    what = "rehearsal" if rehearsal else "session"
    after = "" if rehearsal else "\n\nThe register and feedback stay open until you close the session."
    return EndQuestion(
        f"End the {what}", f"End this {what} and close the presenter and audience screens?{after}", f"End {what}"
    )
