"""The six-month follow-up's answers: the personal link each invitation carries, the questions it asks, and
what HQ keeps and reports.

A link is a token HQ derives from its own secret, the person and the programme, so the invitation and its
reminder carry the same link and HQ stores only the token's hash. Answering marks the invitation answered (so
nobody is reminded, or asked again) and stores the answers in another table with their programme and the day,
nothing more: no person, no invitation, no time (and, where HQ serves several forces, the person's force, so
that each force's roles read their own force's answers alone). Figures are shown per programme only, and none
from fewer than `MIN_GROUP` answers; written answers only to HQ's roles, as with feedback at the session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import FollowUpAnswer, FollowUpQuestion, LessonPlan
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.hq import feedback_keys, schema, units

SECRET_NAME = "follow_up_links"
LINK_DAYS = 60  # an invitation's link works this long after it was sent
MIN_GROUP = 5
MAX_TEXT = 1000
PATH = "/feedback/follow-up/"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")


def link_secret(engine: Engine) -> bytes:
    """HQ's secret the personal links are derived from: read once per run, not per person."""
    return feedback_keys.secret(engine, SECRET_NAME)


def token(secret: bytes, staff_number: str, programme_id: str) -> str:
    """The personal link's token for this person and programme: the same every time it is worked out."""
    mac = hmac.new(secret, f"{staff_number}\n{programme_id}".encode(), "sha256")
    return base64.urlsafe_b64encode(mac.digest()[:16]).decode().rstrip("=")


def link_hash(link_token: str) -> str:
    return hashlib.sha256(link_token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Invitation:
    programme_id: str
    invited_on: date
    answered: bool

    def closed(self, today: date) -> bool:
        return today > self.invited_on + timedelta(days=LINK_DAYS)


def invitation(engine: Engine, link_token: str) -> Invitation | None:
    """The invitation this link was sent with; None for a link HQ never sent (or a malformed one). The person
    it was sent to is not read: the form has no need of them."""
    if not _TOKEN.fullmatch(link_token):
        return None
    table = schema.follow_up_invitations
    with engine.connect() as conn:
        row = conn.execute(
            select(table.c.programme_id, table.c.invited_on, table.c.answered).where(
                table.c.link_hash == link_hash(link_token)
            )
        ).first()
    if row is None:
        return None
    return Invitation(row.programme_id, date.fromisoformat(row.invited_on), bool(row.answered))


def unit_invited(engine: Engine, link_token: str) -> str:
    """The roster unit of whoever a link was sent to, for the form to be headed with their own force's name on
    an HQ serving several; nothing of it is kept with the answers. "" where they have left the roster."""
    invited, roster = schema.follow_up_invitations, schema.roster
    with engine.connect() as conn:
        unit = conn.execute(
            select(roster.c.unit)
            .join(invited, invited.c.staff_number == roster.c.staff_number)
            .where(invited.c.link_hash == link_hash(link_token))
        ).scalar()
    return str(unit or "")


def questions(library: PlanLibrary, programme_id: str) -> tuple[LessonPlan | None, tuple[FollowUpQuestion, ...]]:
    """The follow-up questions of a programme: those of its first published plan that asks any."""
    for plan in sorted(library.plans, key=lambda p: p.id):
        if plan.programme.id == programme_id and plan.follow_up:
            return plan, plan.follow_up
    return None, ()


def answers_from_form(form: dict[str, Any], asked: tuple[FollowUpQuestion, ...]) -> dict[str, Any]:
    """The answers to the questions asked, checked: yes or no, a whole number from 1 to 5, or text (trimmed and
    cut to length). Anything else in the form is ignored; a question left blank is left out."""
    found: dict[str, Any] = {}
    for question in asked:
        value = " ".join(str(form.get(question.id, "")).split())
        if question.answer is FollowUpAnswer.YES_NO and value in ("yes", "no"):
            found[question.id] = value == "yes"
        elif question.answer is FollowUpAnswer.SCALE and value in {"1", "2", "3", "4", "5"}:
            found[question.id] = int(value)
        elif question.answer is FollowUpAnswer.TEXT and value:
            found[question.id] = value[:MAX_TEXT]
    return found


def record(engine: Engine, link_token: str, answers: dict[str, Any], today: date) -> bool:
    """Keep one person's answers; False if this link has already been answered (or was never sent). Marking
    the invitation answered and storing the answers happen together or not at all."""
    table = schema.follow_up_invitations
    with engine.begin() as conn:
        row = conn.execute(
            select(table.c.programme_id, schema.roster.c.unit)
            .select_from(table.outerjoin(schema.roster, schema.roster.c.staff_number == table.c.staff_number))
            .where(table.c.link_hash == link_hash(link_token))
        ).first()
        marked = conn.execute(
            update(table).where(table.c.link_hash == link_hash(link_token), table.c.answered.is_(False))
            .values(answered=True)
        ).rowcount  # fmt: skip
        if row is None or marked != 1:
            return False
        conn.execute(
            insert(schema.follow_up_answers).values(
                uuid=new_uuid(),
                programme_id=row.programme_id,
                answered_on=today.isoformat(),
                answers=json.dumps(answers, ensure_ascii=False),
                force=units.force_of(conn, str(row.unit or ""), units.tree_seq(conn)).code,
            )
        )
    return True


@dataclass(slots=True)
class QuestionFigures:
    question: FollowUpQuestion
    answered: int = 0
    yes: int = 0
    total: int = 0  # of the scale's scores
    texts: list[str] = field(default_factory=list)

    @property
    def yes_percent(self) -> int:
        return round(100 * self.yes / self.answered) if self.answered else 0

    @property
    def mean(self) -> float:
        return round(self.total / self.answered, 1) if self.answered else 0.0


@dataclass(slots=True)
class ProgrammeFollowUp:
    """What the follow-up of one programme has found, for the console."""

    programme_id: str
    name: str
    invited: int
    reminded: int
    answered: int
    questions: list[QuestionFigures]

    @property
    def response_percent(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0

    @property
    def shown(self) -> bool:
        """Whether there are enough answers for any figure to be shown."""
        return self.answered >= MIN_GROUP


def forces_within(engine: Engine, granted: Collection[str]) -> list[str]:
    """The forces (their codes) whose every unit is within `granted`, a role's units: whose follow-up answers
    that role may read. None where HQ is one force: its answers are the whole of HQ's, for HQ-wide roles."""
    with engine.connect() as conn:
        known = units.forces(conn, units.tree_seq(conn))
    return sorted({f.code for f in known.values() if f.code is not None and f.units <= set(granted)})


def figures(engine: Engine, library: PlanLibrary, forces: Collection[str] | None = None) -> list[ProgrammeFollowUp]:
    """Per programme with follow-up questions: invited, reminded and answered, and, from `MIN_GROUP` answers
    up, each question's figures (written answers among them, for the caller to show HQ's roles alone). Of
    `forces` only (their codes), where the reader's role covers those alone; None: the whole of HQ."""
    asking = {p.programme.id: p.programme.name for p in library.plans if p.follow_up}
    invitations, kept, roster = schema.follow_up_invitations, schema.follow_up_answers, schema.roster
    invited = select(
        invitations.c.programme_id,
        func.count().label("invited"),
        func.count(invitations.c.reminded_on).label("reminded"),
    )
    answered = select(kept.c.programme_id, kept.c.answers)
    with engine.connect() as conn:
        if forces is not None:
            known = units.forces(conn, units.tree_seq(conn))
            covered = sorted({u for f in known.values() if f.code in forces for u in f.units})
            invited = invited.select_from(
                invitations.join(roster, roster.c.staff_number == invitations.c.staff_number)
            ).where(roster.c.unit.in_(covered))
            answered = answered.where(kept.c.force.in_(sorted(forces)))
        counts = {r.programme_id: r for r in conn.execute(invited.group_by(invitations.c.programme_id))}
        given: dict[str, list[dict[str, Any]]] = {}
        for r in conn.execute(answered):
            found = json.loads(r.answers)
            if isinstance(found, dict):
                given.setdefault(r.programme_id, []).append(found)
    report = []
    for programme_id, name in sorted(asking.items(), key=lambda kv: kv[1]):
        answers = given.get(programme_id, [])
        counted = counts.get(programme_id)
        per_question = [QuestionFigures(q) for q in questions(library, programme_id)[1]]
        if len(answers) >= MIN_GROUP:
            for figures_of in per_question:
                _count(figures_of, answers)
        report.append(
            ProgrammeFollowUp(
                programme_id,
                name,
                counted.invited if counted else 0,
                counted.reminded if counted else 0,
                len(answers),
                per_question,
            )
        )
    return report


def _count(into: QuestionFigures, answers: list[dict[str, Any]]) -> None:
    for given in answers:
        value = given.get(into.question.id)
        if into.question.answer is FollowUpAnswer.YES_NO and isinstance(value, bool):
            into.answered += 1
            into.yes += value
        elif into.question.answer is FollowUpAnswer.SCALE and isinstance(value, int) and not isinstance(value, bool):
            into.answered += 1
            into.total += value
        elif into.question.answer is FollowUpAnswer.TEXT and isinstance(value, str) and value:
            into.answered += 1
            into.texts.append(value)
    into.texts.sort()  # in no order that could follow who answered when
