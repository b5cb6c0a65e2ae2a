"""Whether a programme's audience (its roles, and its ranks or grades) matches anyone on the roster.

A force's roster writes ranks its own way ("PS", "Insp", "Staff Band D"), and a programmes.toml written with
other words ("Sergeant", "Band D") counts nobody, silently: the dashboard said "0 of 0" and the programme
dropped out of every table. Each value that matches no one is named, with the words the roster does use, for
the publish preview, the Programmes page and the programme's dashboard alike."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.hq import schema

MOST_COMMON = 5  # the roster's words shown beside a value that matches nobody: enough to see its spelling


@dataclass(frozen=True, slots=True)
class RosterWords:
    """The roles and ranks on the roster now, with how many people have each; a rank folded to lower case."""

    people: Counter[tuple[str, str]]  # (role, folded rank) -> people
    spelt: Mapping[str, str]  # folded rank -> as the roster writes it most often

    def roles(self) -> Counter[str]:
        found: Counter[str] = Counter()
        for (role, _), count in self.people.items():
            found[role] += count
        return found

    def ranks(self) -> Counter[str]:
        found: Counter[str] = Counter()
        for (_, rank), count in self.people.items():
            if rank:
                found[rank] += count
        return found


@dataclass(frozen=True, slots=True)
class Unmatched:
    """What of a programme's audience matches no one on the roster, and what the roster says instead."""

    roles: tuple[str, ...]
    ranks: tuple[str, ...]  # as the Programmes page writes them
    nobody: bool  # the audience as a whole is no one
    roster_roles: tuple[str, ...]
    roster_ranks: tuple[str, ...]  # the most common few, as the roster writes them

    def words(self, name: str) -> str:
        """One paragraph a person reads: what matches no one, and the words the roster uses."""
        said = []
        if self.ranks:
            said.append(f"no one on the roster has the rank or grade {_either(self.ranks)}")
        if self.roles:
            said.append(f"no one on the roster has the role {_either(self.roles)}")
        if not said:
            said.append("no one on the roster has both one of its roles and one of its ranks or grades")
        text = f"{name}: " + "; ".join(said)
        text += ", so no one is counted as having to complete it." if self.nobody else "."
        if self.ranks or (self.nobody and not self.roles):
            used = ", ".join(self.roster_ranks) if self.roster_ranks else "none: its rank column is empty"
            text += f" The ranks and grades the roster uses most: {used}."
        if self.roles:
            text += f" The roles on the roster: {', '.join(self.roster_roles)}."
        return text


def roster_words(engine: Engine) -> RosterWords:
    """Each role and rank on the roster now (people removed from it left out), counted."""
    roster = schema.roster
    rank = func.coalesce(roster.c.rank, "")
    with engine.connect() as conn:
        rows = conn.execute(
            select(roster.c.role, rank, func.count()).where(roster.c.removed.is_(False)).group_by(roster.c.role, rank)
        ).all()
    people: Counter[tuple[str, str]] = Counter()
    spellings: Counter[tuple[str, str]] = Counter()
    for role, written, count in rows:
        people[(str(role), str(written).strip().casefold())] += int(count)
        spellings[(str(written).strip().casefold(), str(written).strip())] += int(count)
    spelt: dict[str, str] = {}
    for (folded, written), _ in spellings.most_common():
        spelt.setdefault(folded, written)
    return RosterWords(people, spelt)


def unmatched(rule: ProgrammeRule, words: RosterWords) -> Unmatched | None:
    """What of `rule`'s audience matches no one on the roster: each rank or grade no one has, and, where the
    audience is no one at all, each role no one has. None when nothing is amiss, or when the roster is empty
    (nothing to match yet)."""
    if not words.people:
        return None
    roles, ranks = words.roles(), words.ranks()
    nobody = not any(
        (not rule.roles or role in rule.roles) and (not rule.ranks or rank in rule.ranks) for role, rank in words.people
    )
    # Roles are a fixed list: a force with no specials is no mistake, so they are named only when they leave the
    # audience empty. Ranks are the roster's own words, where one that matches no one is most likely misspelt.
    lost_roles = tuple(sorted(r for r in rule.roles if not roles[r])) if nobody else ()
    lost_ranks = tuple(r.title() for r in sorted(rule.ranks) if not ranks[r])
    if not (lost_roles or lost_ranks or nobody):
        return None
    common = tuple(words.spelt[r] for r, _ in sorted(ranks.items(), key=lambda kv: (-kv[1], kv[0]))[:MOST_COMMON])
    return Unmatched(lost_roles, lost_ranks, nobody, tuple(sorted(roles)), common)


def every_unmatched(engine: Engine, rules: Mapping[str, ProgrammeRule]) -> dict[str, Unmatched]:
    """Programme id -> what of its audience matches no one, for each programme where something does not."""
    words = roster_words(engine)
    return {pid: found for pid, rule in rules.items() if (found := unmatched(rule, words))}


def _either(values: tuple[str, ...]) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]
