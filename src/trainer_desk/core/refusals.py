"""The records HQ did not take, grouped into lines a trainer can read out to HQ.

Listed one record a row, a refused session came back as "The session itself" three times and "Section timings"
seventeen times, each with the same answer. What the trainer needs is which session HQ would not take, why, and
how much of their work waits on it; and, for anything else, each answer once with how many records it covers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from trainer_desk.core import force_clock
from trainer_desk.core.counted import counted

NAMES_SHOWN = 5  # people named in a line before "and 3 more": enough to tell HQ which, short enough to read
KINDS = {  # what each kind of record is called, one and many
    "session": ("version of the session", "versions of the session"),
    "attendance": ("registration", "registrations"),
    "attendance_removed": ("removal from a register", "removals from a register"),
    "feedback": ("feedback form", "feedback forms"),
    "section_timing": ("section timing", "section timings"),
    "faq_question": ("question from the room", "questions from the room"),
    "audit": ("audit entry", "audit entries"),
    "exemption": ("exemption", "exemptions"),
}


class Refused(Protocol):
    """A record HQ refused or found in conflict (the store's `HeldBack`)."""

    @property
    def entity(self) -> str: ...
    @property
    def session_uuid(self) -> str | None: ...
    @property
    def person(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def removal(self) -> bool: ...


def short_session_name(plan_title: str, starts_at: datetime, unit_name: str) -> str:
    """ "Signa, 7 Dec 09:00, Central West": the plan's short title (before its colon), day and unit."""
    when = force_clock.local(starts_at)
    return f"{plan_title.split(':', 1)[0]}, {when.day} {when:%b %H:%M}, {unit_name}"


def reason(answer: str) -> str:
    """HQ's reason without the status word it is stored with ("refused: ...", "conflict: ...")."""
    status, said, rest = answer.partition(": ")
    return rest if said and status in ("refused", "conflict") else answer


@dataclass
class _Group:
    session_name: str
    answer: str
    kinds: dict[str, int] = field(default_factory=dict)
    people: list[str] = field(default_factory=list)

    def add(self, record: Refused) -> None:
        kind = "attendance_removed" if record.entity == "attendance" and record.removal else record.entity
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if record.person and record.person not in self.people:
            self.people.append(record.person)

    def records(self) -> str:
        """ "10 registrations, 1 feedback form and 17 section timings"."""
        parts = [counted(n, *KINDS.get(kind, (kind.replace("_", " "), ""))) for kind, n in self.kinds.items()]
        return and_list(parts)

    def named(self) -> str:
        if not self.people:
            return ""
        shown = self.people[:NAMES_SHOWN]
        more = len(self.people) - len(shown)
        return f" People named: {and_list([*shown, *([f'{more} more'] if more else [])])}."


def and_list(parts: Sequence[str]) -> str:
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def refusal_lines(
    records: Sequence[Refused],
    session_name: Callable[[str | None], str],
    remedy: Callable[[str], str] = lambda _uuid: "",
) -> list[str]:
    """One line per session HQ did not take (its reason, what the trainer can do about it themselves, and the
    records that wait on it), then one per other answer (per session) with how many records it covers, in the
    order HQ answered. `session_name` names a session by its uuid ('' for none, or one this laptop does not
    hold); `remedy` says what the trainer can do about a refused session ('' when it is for HQ to put right)."""
    refused_sessions: dict[str, _Group] = {}
    for record in records:
        if record.entity == "session" and record.session_uuid and record.session_uuid not in refused_sessions:
            refused_sessions[record.session_uuid] = _Group(session_name(record.session_uuid), record.answer)
    others: dict[tuple[str | None, str], _Group] = {}
    for record in records:
        if record.session_uuid in refused_sessions:
            if record.entity != "session":
                refused_sessions[record.session_uuid].add(record)
            continue
        key = (record.session_uuid, reason(record.answer))
        if key not in others:
            others[key] = _Group(session_name(record.session_uuid), record.answer)
        others[key].add(record)
    lines = []
    for uuid, group in refused_sessions.items():
        total = sum(group.kinds.values())
        waiting = f" {group.records()} {'waits' if total == 1 else 'wait'} on it." if total else ""
        where = f"{group.session_name}: " if group.session_name else "A session not on this laptop: "
        lines.append(
            f"{where}HQ did not take the session: {sentence_end(reason(group.answer))}{remedy(uuid)}{waiting}"
            f"{group.named()}"
        )
    for group in others.values():
        where = f"{group.session_name}: " if group.session_name else ""
        said = f"HQ did not take {group.records()}: {sentence_end(reason(group.answer))}{group.named()}"
        lines.append(where + said if where else said)
    return lines


def sentence_end(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."
