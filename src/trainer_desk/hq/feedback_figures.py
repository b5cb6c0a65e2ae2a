"""What participants said, per programme, as the console shows it: the share who would recommend it, the
reasons of those who would not (and others' comments), and understanding before and after per objective,
each with how many answered.

Feedback is anonymous, and small numbers would undo that: no figure rests on fewer than MIN_ANSWERS answers,
and free-text reasons and comments come only from sessions with at least that many answers (in a room of
three, a lead could tell who wrote what): the rule every report follows (`core.feedback_privacy`). Who may read
the reasons at all is the console's decision."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Row

from trainer_desk.core.feedback_privacy import MIN_ANSWERS
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.hq import completions
from trainer_desk.hq.records import kept_up, live_sessions

__all__ = ["MIN_ANSWERS", "ProgrammeFeedback", "by_programme", "for_session", "named"]


@dataclass
class Objective:
    before: list[int] = field(default_factory=list)
    after: list[int] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "before": _mean(self.before),
            "after": _mean(self.after),
            "answered_before": len(self.before),
            "answered_after": len(self.after),
        }


@dataclass
class ProgrammeFeedback:
    programme: str
    forms: int = 0
    recommend: int = 0
    not_recommend: int = 0
    reasons: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # written with a "yes" or no answer (the phone's form)
    objectives: dict[str, Objective] = field(default_factory=dict)  # by the objective's id, as forms send it
    name: str = ""  # the programme's title, where a published plan gives it (`named`)
    objective_texts: dict[str, str] = field(default_factory=dict)  # id -> the objective's words, in the plan's order

    @property
    def title(self) -> str:
        return self.name or self.programme

    @property
    def shown(self) -> bool:
        return self.forms >= MIN_ANSWERS

    @property
    def recommend_percent(self) -> int | None:
        answered = self.recommend + self.not_recommend
        return round(100 * self.recommend / answered) if answered >= MIN_ANSWERS else None

    def objective_figures(self) -> dict[str, dict[str, Any]]:
        """Each objective answered, in its own words and the plan's order; one no published plan has any more
        (from an earlier version) after them, by its id."""
        planned = [key for key in self.objective_texts if key in self.objectives]
        rest = sorted(key for key in self.objectives if key not in self.objective_texts)
        return {self.objective_texts.get(key, key): self.objectives[key].figures() for key in planned + rest}


def named(found: Iterable[ProgrammeFeedback], plans: Iterable[LessonPlan], plan_id: str = "") -> None:
    """Give each programme its title and its objectives their words, in the order of the published plans (the
    session's own plan first, where given): the figures are kept by id, which a reader cannot read."""
    ordered = sorted(plans, key=lambda plan: plan.id != plan_id)
    for entry in found:
        mine = [plan for plan in ordered if plan.programme.id == entry.programme]
        if mine:
            entry.name = mine[0].programme.name
        for plan in mine:
            for objective in plan.objectives:
                entry.objective_texts.setdefault(objective.id, objective.text)


def by_programme(engine: Engine, units: AbstractSet[str]) -> list[ProgrammeFeedback]:
    """Feedback from sessions run for these units, per programme."""
    sessions = {s.uuid: s.payload for s in live_sessions(engine)}
    forms = kept_up(engine, "feedback", _form)
    per_session = _per_session(forms)
    found: dict[str, ProgrammeFeedback] = {}
    for session_uuid, form in forms:
        session = sessions.get(session_uuid)
        if session is None or session.get("unit_code") not in units:
            continue
        programme = str(session.get("programme_id", ""))
        _count(found.setdefault(programme, ProgrammeFeedback(programme)), form, per_session[session_uuid])
    return sorted(found.values(), key=lambda f: f.programme)


def for_session(engine: Engine, session_uuid: str, programme: str) -> ProgrammeFeedback:
    """One session's feedback, under the same rules: nothing from fewer than MIN_ANSWERS forms."""
    forms = [(s, f) for s, f in kept_up(engine, "feedback", _form) if s == session_uuid]
    found = ProgrammeFeedback(programme)
    for _, form in forms:
        _count(found, form, len(forms))
    return found


def _form(row: Row[Any]) -> tuple[str, dict[str, Any]]:
    """A form with the session it is in (an unreadable one counts as empty: no answer to anything)."""
    return str(row.session_uuid), completions.payload_object(row.payload)


def _per_session(forms: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for session_uuid, _ in forms:
        counts[session_uuid] = counts.get(session_uuid, 0) + 1
    return counts


def _count(entry: ProgrammeFeedback, form: dict[str, Any], forms_in_its_session: int) -> None:
    """Add one form; its reason for "no", or its comment, only when its session had enough forms to keep it
    anonymous."""
    entry.forms += 1
    if form.get("would_recommend") is True:
        entry.recommend += 1
    elif form.get("would_recommend") is False:
        entry.not_recommend += 1
        reason = str(form.get("reason_not", "")).strip()
        if reason and forms_in_its_session >= MIN_ANSWERS:
            entry.reasons.append(reason[:500])
    comment = str(form.get("comment") or "").strip()
    if comment and form.get("would_recommend") is not False and forms_in_its_session >= MIN_ANSWERS:
        entry.comments.append(comment[:500])
    for rating in form.get("ratings") or []:
        if not isinstance(rating, dict):
            continue
        objective = entry.objectives.setdefault(str(rating.get("objective_id", "")), Objective())
        for when in ("before", "after"):
            score = rating.get(when)
            if isinstance(score, int) and not isinstance(score, bool) and 1 <= score <= 5:
                getattr(objective, when).append(score)


def _mean(scores: list[int]) -> float | None:
    return round(sum(scores) / len(scores), 1) if len(scores) >= MIN_ANSWERS else None
