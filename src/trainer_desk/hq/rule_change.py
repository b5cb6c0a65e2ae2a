"""What a change to a programme's rules would do to the force, before it is published.

Narrowing a programme to officers takes every member of staff off the chase lists; a due date brought forward
makes people overdue overnight. The console shows the change's effect per top unit first: who becomes due and
how many of them have not completed it, who stops being due, and how many are outstanding before and after.
Everything is counted as the dashboard and the chase lists count it (`compliance.audience`, `completed`, with
the programme's exemptions), so the preview and the figures after publishing agree."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Engine, and_, case, func, not_, select

from trainer_desk.core.programme_rules import ProgrammeRule, rules_to_toml
from trainer_desk.hq import compliance, exemptions, schema, units


@dataclass(frozen=True, slots=True)
class UnitChange:
    unit: str  # a top unit's code (see `top_units`)
    become_due: int
    become_due_outstanding: int  # of those becoming due, how many have not completed it (as the new rule counts)
    stop_being_due: int
    outstanding_before: int
    outstanding_after: int

    @property
    def changes(self) -> bool:
        return bool(self.become_due or self.stop_being_due or self.outstanding_before != self.outstanding_after)


def rule_digest(rule: ProgrammeRule) -> str:
    """A short fingerprint of one programme's rule as published: a preview is published only while it holds."""
    return hashlib.sha256(rules_to_toml([rule]).encode("utf-8")).hexdigest()[:32]


def preview(
    engine: Engine, programme: str, before: ProgrammeRule, after: ProgrammeRule, today: date
) -> list[UnitChange]:
    """Per top unit, with any change: what publishing `after` in place of `before` changes for its people."""
    roster = schema.roster.c
    excused = exemptions.for_programme(engine, programme)
    counted = excused.counted(roster.staff_number)
    was = and_(compliance.audience(before), counted)
    will = and_(compliance.audience(after), counted)
    done_before = compliance.completed(programme, before, today, excused)
    done_after = compliance.completed(programme, after, today, excused)

    def tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            roster.unit,
            tally(and_(will, not_(was))),
            tally(and_(will, not_(was), not_(done_after))),
            tally(and_(was, not_(will))),
            tally(and_(was, not_(done_before))),
            tally(and_(will, not_(done_after))),
        )
        .where(roster.removed.is_(False))
        .group_by(roster.unit)
    )
    totals: dict[str, list[int]] = {}
    with engine.connect() as conn:
        top = top_units(units.parents_and_names(conn))
        for unit, *figures in conn.execute(query):
            summed = totals.setdefault(top.get(str(unit), str(unit)), [0] * 5)
            for i, figure in enumerate(figures):
                summed[i] += int(figure)
    found = [UnitChange(unit, *figures) for unit, figures in sorted(totals.items())]
    return [c for c in found if c.changes]


def top_units(tree: dict[str, tuple[str | None, str]]) -> dict[str, str]:
    """Each unit's top unit: the unit under the force it is in (a BCU, say, where the tree is force, BCUs,
    teams), or where the tree has several top nodes, or none yet, the top node itself."""
    parents = {code: parent for code, (parent, _name) in tree.items()}
    roots = [code for code, parent in parents.items() if not parent]
    tops = set(roots)
    if len(roots) == 1 and any(parent == roots[0] for parent in parents.values()):
        tops = {code for code, parent in parents.items() if parent == roots[0]}
    found: dict[str, str] = {}
    for code in parents:
        node: str | None = code
        seen: set[str] = set()
        while node is not None and node not in tops and node not in seen:
            seen.add(node)
            node = parents.get(node)
        found[code] = node if node in tops and node is not None else code
    return found
