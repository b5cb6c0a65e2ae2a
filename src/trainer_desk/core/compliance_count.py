"""Counting a programme's completion against the roster, the one way both the laptop and HQ count it.

The laptop reads people and completions from its SQLite store, HQ from its own database; both hand the same
plain values to `count`, so a unit's figure and its chase list are the same on a lead's laptop and in the HQ
console, and the compliance report printed from either says the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.reports import Completion, Outstanding
from trainer_desk.core.unit_tree import UnitNode, rolled_up


class ExemptionKind(StrEnum):
    EXEMPT = "exempt"  # excused: not expected to complete it
    OTHER_WAY = "other-way"  # completed it another way, e.g. one to one, for someone personally affected

    @property
    def label(self) -> str:
        return "exempt" if self is ExemptionKind.EXEMPT else "completed another way"


class Excusals(dict[str, ExemptionKind]):
    """Who is excused from a programme (staff number -> kind), with why where it is known: the compliance
    report lists them apart with the reason, as the Exemptions page promises. A plain mapping of kinds still
    counts; its people are listed without a reason."""

    def __init__(self, kinds: Mapping[str, ExemptionKind], reasons: Mapping[str, str]) -> None:
        super().__init__(kinds)
        self.reasons = {number: reason for number, reason in reasons.items() if number in kinds and reason}


@dataclass(frozen=True, slots=True)
class RosterEntry:
    staff_number: str
    name: str
    unit_code: str
    team: str
    role: str
    rank: str
    joined: date | None


@dataclass(frozen=True, slots=True)
class Counted:
    units: tuple[Completion, ...]
    teams: tuple[Completion, ...]  # empty where the roster records no teams
    outstanding: tuple[Outstanding, ...]
    excused: tuple[Outstanding, ...]


def count(
    people: Iterable[RosterEntry],
    rule: ProgrammeRule,
    done: AbstractSet[str],
    excused_kinds: Mapping[str, ExemptionKind],
    unit_names: Mapping[str, str],
    today: date,
    booked: Mapping[str, date] | None = None,
    tree: Sequence[UnitNode] = (),
    scope: AbstractSet[str] | None = None,
    forces: Mapping[str, str] | None = None,
) -> Counted:
    """Per unit and team, the people in the programme's audience and how many completed it; who is outstanding,
    with how pressing it is, and the day of a session they are booked on (`booked`: a lead chasing them need
    not, or can check they go); and who is excused. Someone exempt is neither counted nor chased; someone who
    completed it another way counts as completed. `people` in the order the chase list should read.

    With the force's unit `tree`, each unit's row counts every unit under it and the rows follow the tree, as
    HQ's dashboard has them (`scope`: the units the report covers, so a BCU's report starts at the BCU);
    without one, each unit counts the people placed in it. `forces`: each unit's force, where the report spans
    several, for the chase list to say whose each person is."""
    booked = booked or {}
    forces = forces or {}
    reasons = excused_kinds.reasons if isinstance(excused_kinds, Excusals) else {}
    counts: dict[str, list[int]] = {}
    team_counts: dict[tuple[str, str], list[int]] = {}
    outstanding: list[Outstanding] = []
    excused: list[Outstanding] = []
    for person in people:
        if not rule.includes(person.role, person.rank):
            continue  # not in the programme's audience: neither counted nor chased
        unit = unit_names.get(person.unit_code, person.unit_code)
        kind = excused_kinds.get(person.staff_number)
        if kind is not None:
            why = reasons.get(person.staff_number, "")
            excused.append(
                Outstanding(
                    person.staff_number, person.name, unit, kind.label, *_filed(person), reason=why,
                    unit_code=person.unit_code, force=forces.get(person.unit_code, ""),
                )
            )  # fmt: skip
            if kind is ExemptionKind.EXEMPT:
                continue
        tally = counts.setdefault(person.unit_code, [0, 0])
        team_tally = team_counts.setdefault((person.unit_code, person.team), [0, 0])
        tally[0] += 1
        team_tally[0] += 1
        if person.staff_number in done or kind is ExemptionKind.OTHER_WAY:
            tally[1] += 1
            team_tally[1] += 1
        else:
            standing = rule.standing(today, person.joined)
            day, due = booked.get(person.staff_number), rule.due_for(person.joined)
            outstanding.append(
                Outstanding(
                    person.staff_number, person.name, unit, standing, *_filed(person), day, due,
                    unit_code=person.unit_code, force=forces.get(person.unit_code, ""),
                )
            )  # fmt: skip
    teams = (
        tuple(
            Completion(unit_names.get(code, code), people_in, completed, team)
            for (code, team), (people_in, completed) in sorted(team_counts.items())
        )
        if any(team for _code, team in team_counts)
        else ()
    )
    return Counted(
        units=_by_unit(counts, unit_names, tree, scope),
        teams=teams,
        outstanding=tuple(outstanding),
        excused=tuple(excused),
    )


def _by_unit(
    counts: Mapping[str, list[int]],
    unit_names: Mapping[str, str],
    tree: Sequence[UnitNode],
    scope: AbstractSet[str] | None,
) -> tuple[Completion, ...]:
    """The per-unit rows: each unit's own people without a tree (as before there was one), each unit with
    those under it, set in under its parent, with one."""
    if not tree:
        return tuple(
            Completion(unit_names.get(code, code), people_in, completed)
            for code, (people_in, completed) in sorted(counts.items())
        )
    names = {node.code: node.name for node in tree}  # a retired unit is no longer among those in use
    return tuple(
        Completion(
            unit_names.get(row.code) or names.get(row.code, row.code), row.totals[0], row.totals[1], depth=row.depth
        )
        for row in rolled_up({code: tuple(tally) for code, tally in counts.items()}, tree, scope)
    )


def audience_in_words(rule: ProgrammeRule) -> str:
    """Who must complete it, in words for a report's first lines."""
    roles = ", ".join(sorted(rule.roles)) if rule.roles else "everyone on the roster"
    ranks = f" ({', '.join(sorted(r.title() for r in rule.ranks))})" if rule.ranks else ""
    due = f"; due by {rule.due:%d %b %Y}" if rule.due else ""
    if rule.due_days_after_joining:
        due += f" (for those who join later, {rule.due_days_after_joining} days after joining)"
    refresh = f"; a completion counts for {rule.refresh_months} months" if rule.refresh_months else ""
    return f"For {roles}{ranks}{due}{refresh}."


def _filed(person: RosterEntry) -> tuple[str, str, str]:
    """Where a person sits on the roster, beyond their unit: their team, role and rank."""
    return person.team, person.role, person.rank
