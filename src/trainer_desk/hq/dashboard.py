"""The console's dashboard for one programme: completion against its audience (the programme's rules: who must
complete it, by when, for how long it counts), month by month against its due date, with the recent pace and
where it leads; per unit and team; and what is happening: sessions delivered and planned, trainers who have
not delivered for six months, devices not synced for a week.

Everything is counted by the database from the completions tables and the roster, never from registrations'
payloads, so the page answers as fast for a force of 50,000 as for a demonstration."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, select

from trainer_desk.core import force_clock, unit_tree
from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.sessions import was_delivered
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import compliance, devices, exemptions, published, schema
from trainer_desk.hq.records import deliveries
from trainer_desk.hq.units import parents_and_names

RECENT_MONTHS = 3  # the pace is what the three months before this one and this one so far achieved
MONTH_DAYS = 365.25 / 12  # a month of the pace: a twelfth of a year of days


def programme_names(engine: Engine, blobs: Path) -> dict[str, str]:
    """Programme id -> name: those in the published plans, and any someone has completed, by name."""
    found = {p.programme.id: p.programme.name for p in published.newest(engine, blobs).library.plans}
    for programme in compliance.programmes(engine):
        found.setdefault(programme, programme)
    return dict(sorted(found.items(), key=lambda item: item[1].casefold()))


def programme_and_rule(engine: Engine, blobs: Path, names: dict[str, str], programme: str) -> tuple[str, ProgrammeRule]:
    """The programme asked for, or else the first one delivered (or published), with its published rule."""
    completed = set(compliance.programmes(engine))
    delivered = [p for p in names if p in completed]
    chosen = programme if programme in names else next(iter(delivered or names), "")
    return chosen, published.newest(engine, blobs).rules.get(chosen) or ProgrammeRule(chosen)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """One row of a breakdown. By unit, a row counts the unit and every unit under it (a BCU's row is the BCU's
    total, as its chase list counts it); `depth` is how far under the top of what is shown it sits, and `parent`
    the row it is part of ("" for a top row)."""

    unit: str
    team: str
    people: int
    completed: int
    depth: int = 0
    parent: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.people) if self.people else 0


def breakdown(
    engine: Engine, units: AbstractSet[str], programme: str, rule: ProgrammeRule, today: date, *, teams: bool
) -> list[Breakdown]:
    """Per unit, each with the units under it (`rolled_up`), or per unit and team: the programme's audience on
    the roster, less those exempt, and how many completed it (or completed it another way): counted as the
    chase list and the Reports download are."""
    roster = schema.roster
    keys = [roster.c.unit, roster.c.team] if teams else [roster.c.unit]
    excused = exemptions.for_programme(engine, programme)
    in_scope = and_(compliance.audience(rule), excused.counted(roster.c.staff_number), roster.c.unit.in_(sorted(units)))
    with engine.connect() as conn:
        sizes = {
            tuple(r[:-1]): int(r[-1]) for r in conn.execute(select(*keys, func.count()).where(in_scope).group_by(*keys))
        }
        completed = {
            tuple(r[:-1]): int(r[-1])
            for r in conn.execute(
                select(*keys, func.count())
                .where(in_scope, compliance.completed(programme, rule, today, excused))
                .group_by(*keys)
            )
        }
        tree = parents_and_names(conn) if not teams else {}
    if not teams:
        return rolled_up({str(k[0]): (n, completed.get(k, 0)) for k, n in sizes.items()}, tree, units)
    return [
        Breakdown(str(key[0]), str(key[1] or ""), size, completed.get(key, 0))
        for key, size in sorted(sizes.items(), key=lambda item: tuple(str(k or "") for k in item[0]))
    ]


def rolled_up(
    own: Mapping[str, tuple[int, int]], tree: Mapping[str, tuple[str | None, str]], units: AbstractSet[str]
) -> list[Breakdown]:
    """Rows per unit from each unit's own (people, completed): each row the unit with every unit under it that
    is in `units`, in the tree's order (`unit_tree.rolled_up`, as the laptop's reports roll up). A BCU whose
    people all sit in its teams read as nobody's, and one with people of its own counted only those: neither is
    what its page says."""
    nodes = [UnitNode(code, name, "", parent) for code, (parent, name) in tree.items()]
    rows = unit_tree.rolled_up(own, nodes, units)
    shown = {row.code for row in rows}
    return [
        Breakdown(row.code, "", row.totals[0], row.totals[1], row.depth, parent if parent in shown else "")
        for row in rows
        for parent in [tree[row.code][0] if row.code in tree else None]
    ]


def under_and_own(rows: list[Breakdown], code: str) -> list[Breakdown]:
    """The rows straight under `code` in a roll-up (a BCU's teams), then one for the people placed on `code`
    itself, if any (its row less those under it): a BCU's page listed its teams alone, so its rows added up to
    fewer than the total it gave, and its own people were in no row."""
    under = [b for b in rows if b.parent == code]
    whole = next((b for b in rows if b.unit == code), None)
    if whole is None:
        return under
    people = whole.people - sum(b.people for b in under)
    completed = whole.completed - sum(b.completed for b in under)
    own = [Breakdown(code, "", people, completed, whole.depth + 1, code)] if people > 0 else []
    return under + own


def every_programme(
    engine: Engine,
    blobs: Path,
    units: AbstractSet[str],
    today: date,
    known: Mapping[str, list[Breakdown]] | None = None,
) -> list[tuple[str, list[Breakdown]]]:
    """Each programme (published, or completed by someone) by unit, counted as its headline and chase list
    are (`breakdown`): the console's table of every programme and `trainer-desk-hq compliance-summary` alike,
    so the command line never disagrees with the console. `known`: those already counted."""
    rules = published.newest(engine, blobs).rules
    given = known or {}
    return [
        (
            programme,
            given[programme]
            if programme in given
            else breakdown(
                engine, units, programme, rules.get(programme) or ProgrammeRule(programme), today, teams=False
            ),
        )
        for programme in programme_names(engine, blobs)
    ]


def over_time(
    engine: Engine, units: AbstractSet[str], programme: str, rule: ProgrammeRule, today: date
) -> dict[str, Any]:
    """Month by month, how many of the audience had completed it (by their first completion), the pace of
    the RECENT_MONTHS months before this one and this one so far, and where that pace leads by the due date;
    what the chart draws. The audience is less those exempt, as in `breakdown`; someone who completed it another
    way counts from their first completion or the month the exemption was recorded, whichever is earlier."""
    roster, done = schema.roster, schema.people_completed
    hour = func.substr(done.c.first_completed, 1, 13)  # the month it falls in on the force's clocks, below
    this_month = today.strftime("%Y-%m")
    excused = exemptions.for_programme(engine, programme)
    in_scope = and_(compliance.audience(rule), excused.counted(roster.c.staff_number), roster.c.unit.in_(sorted(units)))
    another_way = excused.completed_another_way(roster.c.staff_number)
    with engine.connect() as conn:
        people = int(conn.execute(select(func.count()).where(in_scope)).scalar_one())
        per_month: dict[str, int] = {}
        for r in conn.execute(
            select(hour, func.count())
            .join(roster, roster.c.staff_number == done.c.staff_number)
            .where(in_scope, ~another_way, done.c.programme_id == programme)
            .group_by(hour)
        ):
            if month := force_clock.month_of_hour(str(r[0] or "")):  # one unreadable time is left out
                per_month[month] = per_month.get(month, 0) + int(r[1])
        for r in conn.execute(
            select(roster.c.staff_number, done.c.first_completed)
            .select_from(
                roster.outerjoin(
                    done, and_(done.c.staff_number == roster.c.staff_number, done.c.programme_id == programme)
                )
            )
            .where(in_scope, another_way)
        ):
            completed_in = force_clock.month_of_hour(str(r.first_completed)) if r.first_completed else ""
            months = [m for m in (completed_in, excused.recorded.get(r.staff_number, "")) if m]
            when = min([*months, this_month])  # a laptop's clock ahead of HQ's is not the future
            per_month[when] = per_month.get(when, 0) + 1
    due = rule.due
    first = min([*per_month, this_month])
    last = max(this_month, due.strftime("%Y-%m") if due else this_month)
    months = _months(first, last)
    cumulative, total = [], 0
    for m in months:
        total += per_month.get(m, 0)
        cumulative.append(total if m <= this_month else None)
    completed = total_by(per_month, this_month)
    pace_since = date.fromisoformat(_shift(this_month, -RECENT_MONTHS) + "-01")
    recent = _months(pace_since.strftime("%Y-%m"), this_month)
    # This month so far counts, over the days it has had: a month's big sessions show in the pace the day they
    # are synced, not from the month after.
    months_gone = ((today - pace_since).days + 1) / MONTH_DAYS
    pace = sum(per_month.get(m, 0) for m in recent) / months_gone
    # The time left is counted in days as the pace is, today included: whole months left out the rest of this
    # one (asking 70 a month where 56 would do) and gave no figure at all in the month something falls due.
    months_left = ((due - today).days + 1) / MONTH_DAYS if due and due >= today else 0.0
    projected = min(people, round(completed + pace * months_left)) if due else None
    needed = (people - completed) / months_left if months_left else None
    projection = [
        (min(people, round(completed + pace * _months_from(today, m, due))) if m >= this_month else None)
        for m in months
    ]
    return {
        "months": months,
        "labels": [f"{date.fromisoformat(m + '-01'):%b %Y}" for m in months],  # as the console writes a month
        "completed": cumulative,
        "projection": projection if due else [],
        "people": people,
        "done": completed,
        "due": force_clock.day_text(due) if due else "",  # as the audience line below it says it: 31 Mar 2027
        "pace": round(pace, 1),
        "pace_since": force_clock.day_text(pace_since),
        "projected": projected,
        "needed": round(needed, 1) if needed is not None else None,
        "overdue": bool(due and due < today and completed < people),
    }


def activity(
    engine: Engine, units: AbstractSet[str], programme: str, start: date, end: date, today: date
) -> dict[str, int]:
    """Sessions of the programme delivered in the period and planned from today (as the page's programme
    filter says: a count of every programme's beside one programme's completion read as that programme's),
    trainers who delivered and those idle for six months, and devices not synced for a week, for these units."""
    delivered = planned = 0
    # The force's days, as moments: a national HQ compares hundreds of thousands of sessions with them.
    begins, ends, from_today = (force_clock.day_begins(d) for d in (start, end + timedelta(days=1), today))
    for session in deliveries(engine):
        if session.unit not in units or session.status == "cancelled" or session.programme != programme:
            continue
        if session.starts is None:
            continue
        if session.status == "planned" and session.starts >= from_today:
            planned += 1
        elif was_delivered(session.status) and begins <= session.starts < ends:
            delivered += 1
    trainers = compliance.trainers(engine, units, today)
    in_use = [d for d in devices.list_devices(engine) if d["unit"] in units and not d["revoked"]]
    unseen = len(devices.not_seen_since(in_use, datetime.now(UTC) - devices.UNSEEN_AFTER))
    return {
        "delivered": delivered,
        "planned": planned,
        "trainers": len(trainers),
        "idle_trainers": sum(1 for t in trainers if t["idle"]),
        "unseen_devices": unseen,
    }


def total_by(per_month: dict[str, int], month: str) -> int:
    return sum(n for m, n in per_month.items() if m <= month)


def _months(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (YYYY-MM), both included."""
    found: list[str] = []
    current = first
    while current <= last and len(found) < 240:
        found.append(current)
        current = _shift(current, 1)
    return found


def _months_from(today: date, month: str, due: date | None) -> float:
    """Months of pace from today to where the chart draws `month`: today for this month, then the end of each
    month after it (the due date in the month it falls due)."""
    if month <= today.strftime("%Y-%m"):
        return 0.0
    end = date.fromisoformat(_shift(month, 1) + "-01") - timedelta(days=1)
    return ((min(end, due) if due else end) - today).days / MONTH_DAYS


def _shift(month: str, by: int) -> str:
    year, number = int(month[:4]), int(month[5:7]) - 1 + by
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"
