"""Who must complete which programme, by when, and for how long a completion stays valid.

A force states this once per programme in `programmes.toml` beside its lesson plans (HQ publishes it with
them; the bundled one describes the four bundled programmes), because it is the force's policy rather than
lesson content:

    [[programme]]
    id = "inclusive-workplace"
    roles = ["officer", "staff"]          # the roster's role column; leave out for everyone
    ranks = ["Sergeant", "Inspector"]     # the roster's rank or grade column; leave out for every rank
    due = 2027-03-31                      # when everyone in the audience must have completed it
    due_days_after_joining = 90           # for someone who joins later: due this many days after joining
    refresh_months = 36                   # a completion older than this no longer counts; leave out: never

Compliance counts only the people in a programme's audience; a completion counts whenever it happened, as
long as it is still valid at the end of the report's period.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.toml_lines import basic_string

DUE_SOON_DAYS = 30


@dataclass(frozen=True, slots=True)
class ProgrammeRule:
    programme_id: str
    roles: frozenset[str] = frozenset()  # empty: every role
    ranks: frozenset[str] = frozenset()  # folded to lower case; empty: every rank and grade
    due: date | None = None
    refresh_months: int | None = None
    due_days_after_joining: int | None = None

    def includes(self, role: str, rank: str) -> bool:
        """Whether someone with this role and rank (or grade) on the roster must complete the programme."""
        return (not self.roles or role in self.roles) and (not self.ranks or rank.strip().casefold() in self.ranks)

    def valid_from(self, on: date) -> date | None:
        """The earliest completion still valid on `on` (None: every completion stays valid)."""
        if self.refresh_months is None:
            return None
        return on - timedelta(days=round(self.refresh_months * 365.25 / 12))

    def due_for(self, joined: date | None) -> date | None:
        """When it is due for someone: the programme's date, or for a joiner the days after joining, if later."""
        if joined is None or self.due_days_after_joining is None:
            return self.due
        own = joined + timedelta(days=self.due_days_after_joining)
        return own if self.due is None or own > self.due else self.due

    def standing(self, today: date, joined: date | None = None) -> str:
        """How pressing it is for someone who has not completed it: overdue, due soon, or not yet due."""
        due = self.due_for(joined)
        if due is None:
            return ""
        if due < today:
            return "overdue"
        return "due soon" if due <= today + timedelta(days=DUE_SOON_DAYS) else f"due {due.day} {due:%b %Y}"


EVERYONE = ProgrammeRule("")


def read_rules(path: Path) -> dict[str, ProgrammeRule]:
    """The rules in a programmes.toml; a missing file means every programme is for everyone, with no due date.
    A file that cannot be used is refused as a whole, naming the file and the programme."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UserFacingError(f"{path}: the programme rules cannot be read: {error}") from error
    rules: dict[str, ProgrammeRule] = {}
    entries = data.get("programme", [])
    if not isinstance(entries, list):
        raise UserFacingError(f"{path}: 'programme' must be a list of [[programme]] tables")
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: programme {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"].strip():
            raise UserFacingError(f"{where}: every programme needs an id")
        roles, ranks = entry.get("roles", []), entry.get("ranks", [])
        if not _strings(roles) or not _strings(ranks):
            raise UserFacingError(f"{where} ({entry['id']}): roles and ranks must be lists of text")
        due, refresh, after = entry.get("due"), entry.get("refresh_months"), entry.get("due_days_after_joining")
        if due is not None and not isinstance(due, date):
            raise UserFacingError(f"{where} ({entry['id']}): due must be a date such as 2027-03-31")
        if refresh is not None and (isinstance(refresh, bool) or not isinstance(refresh, int) or refresh < 1):
            raise UserFacingError(f"{where} ({entry['id']}): refresh_months must be a whole number of months")
        if after is not None and (isinstance(after, bool) or not isinstance(after, int) or after < 1):
            raise UserFacingError(f"{where} ({entry['id']}): due_days_after_joining must be a whole number of days")
        rules[entry["id"]] = ProgrammeRule(
            entry["id"],
            frozenset(roles),
            frozenset(r.strip().casefold() for r in ranks),
            due,
            refresh,
            after,
        )
    return rules


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def rules_to_toml(rules: list[ProgrammeRule], *, demonstration: bool = False) -> str:
    """A programmes.toml holding `rules`, as `read_rules` reads it back (ranks in title case). `demonstration`:
    keep the line that says these are still the demonstration force's dates, so that publishing them asks."""
    lines = [
        "# Who must complete each programme, by when, and for how long a completion counts.",
        "# Written by the HQ console; the file's format is described in the README.",
    ]
    if demonstration:
        lines += [
            "# These are still the demonstration force's dates: HQ asks before publishing them until this line goes.",
            "demonstration = true",
        ]
    for rule in rules:
        lines += ["", "[[programme]]", f"id = {basic_string(rule.programme_id)}"]
        if rule.roles:
            lines.append("roles = [" + ", ".join(basic_string(r) for r in sorted(rule.roles)) + "]")
        if rule.ranks:
            lines.append("ranks = [" + ", ".join(basic_string(r.title()) for r in sorted(rule.ranks)) + "]")
        if rule.due:
            lines.append(f"due = {rule.due.isoformat()}")
        if rule.due_days_after_joining:
            lines.append(f"due_days_after_joining = {rule.due_days_after_joining}")
        if rule.refresh_months:
            lines.append(f"refresh_months = {rule.refresh_months}")
    return "\n".join(lines) + "\n"
