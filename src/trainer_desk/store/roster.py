"""People on the local roster: written in bulk (a file import or an HQ pull), found by name or number."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import Person, PersonRole, fold_name, normalise_staff_number
from trainer_desk.core.roster_guard import RosterShrink, check_roster_shrink
from trainer_desk.core.roster_import import name_key
from trainer_desk.core.unit_tree import rolled_up
from trainer_desk.store import audit, units
from trainer_desk.store.connection import Database
from trainer_desk.store.enrollment import enrolled_hq

SURNAME, FORENAME = 0, 1
_PERSON = "p.staff_number, p.forename, p.surname, p.unit_code, p.role, p.rank, p.team, p.joined"


def search_terms(forename: str, surname: str) -> list[tuple[int, str]]:
    """Every way a person can be found: the whole folded name and each later word of it
    ('Ní Bhriain' under 'ni bhriain' and 'bhriain'; 'Smith-Jones' under 'smith jones' and 'jones')."""
    terms: list[tuple[int, str]] = []
    for kind, name in ((SURNAME, surname), (FORENAME, forename)):
        words = fold_name(name).split()
        terms += [(kind, " ".join(words[i:])) for i in range(len(words))]
    return terms


@dataclass(frozen=True, slots=True)
class RosterChanges:
    added: list[Person] = field(default_factory=list)
    updated: list[Person] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # staff numbers no longer in the roster
    unchanged: int = 0
    current: int = 0  # people on the roster before, not counting a made-up demo roster

    @property
    def shrink(self) -> RosterShrink:
        return RosterShrink(
            self.current, len(self.left) if self.current else 0, self.unchanged + len(self.added) + len(self.updated)
        )


def check_file_import_allowed(db: Database) -> None:
    """Refuse a roster file on a laptop enrolled with HQ. HQ owns that laptop's roster and sends only what
    changed since the last sync, so anyone a file marked as left here would never come back; HR's file is
    imported once, at HQ, and reaches every laptop from there."""
    if hq := enrolled_hq(db):
        raise UserFacingError(
            f"This laptop takes its roster from HQ ({hq}), so a roster file cannot replace it here: "
            "import HR's file at HQ instead, in the console's Roster page, and sync."
        )


def plan_changes(db: Database, people: list[Person]) -> RosterChanges:
    """What importing `people` as the whole roster would change (the --dry-run answer). Refused on a laptop
    enrolled with HQ (see `check_file_import_allowed`); `replace_roster` plans through here too."""
    check_file_import_allowed(db)
    current = {p.staff_number: p for p in _all_people(db)}
    incoming = {p.staff_number for p in people}
    added: list[Person] = []
    updated: list[Person] = []
    unchanged = 0
    for person in people:
        old = current.get(person.staff_number)
        if old is None:
            added.append(person)
        elif old != person:
            updated.append(person)
        else:
            unchanged += 1
    demo = db.execute("SELECT value FROM sync_state WHERE key = 'roster_source'").fetchone() == ("demo",)
    return RosterChanges(added, updated, sorted(set(current) - incoming), unchanged, 0 if demo else len(current))


def replace_roster(
    db: Database,
    people: list[Person],
    hq_seq: int | None = None,
    now: datetime | None = None,
    actor: str = "",
    *,
    allow_shrink: bool = False,
) -> RosterChanges:
    """Make the roster exactly `people`, in one transaction; people who left are kept as tombstones, since
    past registrations still name them. Never empties the roster, and marks more than the allowed share as
    left only with `allow_shrink` (RosterShrinkError otherwise, before anything is written)."""
    with db.atomic():
        changes = plan_changes(db, people)
        check_roster_shrink(changes.shrink, allow_shrink=allow_shrink)
        upsert_people(db, [*changes.added, *changes.updated], hq_seq)
        db.conn.executemany("UPDATE people SET removed = 1 WHERE staff_number = ?", [(n,) for n in changes.left])
        db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('roster_source', 'import')")
        if now is not None:
            audit.record(
                db,
                "import",
                actor,
                f"roster: {len(changes.added)} added, {len(changes.updated)} updated, {len(changes.left)} left",
                now,
            )
    return changes


def staff_number_holders(db: Database) -> dict[str, str]:
    """Who holds each staff number on the roster (`name_key` of their name), so that `read_roster` gives a
    number a spreadsheet stripped of its leading zeros back to the same person instead of re-keying them. Empty
    for the made-up demo roster: its numbers say nothing of HR's."""
    rows = db.execute(
        "SELECT staff_number, forename, surname FROM people WHERE removed = 0"
        " AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'roster_source' AND value = 'demo')"
    )
    return {number: name_key(forename, surname) for number, forename, surname in rows}


def upsert_people(db: Database, people: Iterable[Person], hq_seq: int | None = None) -> int:
    """Add or update people (and their search terms) in one transaction; returns how many were written."""
    people = list(people)
    rows = [
        (
            p.staff_number,
            p.forename,
            p.surname,
            p.unit_code,
            p.role.value,
            p.rank,
            p.team,
            fold_name(f"{p.forename} {p.surname}"),
            hq_seq,
            p.joined.isoformat() if p.joined else None,
        )
        for p in people
    ]
    terms = [(kind, term, p.staff_number) for p in people for kind, term in search_terms(p.forename, p.surname)]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO people (staff_number, forename, surname, unit_code, role, rank, team, search_text, hq_seq,"
            " joined) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (staff_number) DO UPDATE SET forename = excluded.forename,"
            " surname = excluded.surname, unit_code = excluded.unit_code, role = excluded.role,"
            " rank = excluded.rank, team = excluded.team, search_text = excluded.search_text,"
            " hq_seq = excluded.hq_seq, joined = excluded.joined, removed = 0",
            rows,
        )
        # Only people already here have search terms to replace (none on a first pull of the whole force).
        numbers = [r[0] for r in rows]
        known = [
            (number,)
            for start in range(0, len(numbers), 500)
            for (number,) in db.execute(
                "SELECT staff_number FROM people_search WHERE staff_number IN"
                f" ({', '.join('?' * len(numbers[start : start + 500]))})",
                numbers[start : start + 500],
            )
        ]
        db.conn.executemany("DELETE FROM people_search WHERE staff_number = ?", sorted(set(known)))
        db.conn.executemany("INSERT INTO people_search (kind, term, staff_number) VALUES (?, ?, ?)", terms)
    return len(rows)


def search_people(db: Database, text: str, limit: int = 20) -> list[Person]:
    """People matching what was typed: a staff-number prefix, or name words in any order (each a prefix),
    surname matches first. Every query is an index range scan that stops after `limit` rows."""
    text = text.strip()
    if not text:
        return []
    if any(ch.isdigit() for ch in text):
        number = normalise_staff_number(text)
        rows = db.execute(
            f"SELECT {_PERSON} FROM people p WHERE p.staff_number >= ? AND p.staff_number < ? AND p.removed = 0"
            " ORDER BY p.staff_number LIMIT ?",
            [number, number + "\uffff", limit],
        ).fetchall()
        return [_person(r) for r in rows]
    words = fold_name(text).split()
    if not words:
        return []
    if len(words) == 1:
        found = _by_term(db, SURNAME, words[0], limit) + _by_term(db, FORENAME, words[0], limit)
        for split in _unspaced_splits(words[0]):
            found += _by_words(db, split, limit)
        return list(dict.fromkeys(found))[:limit]
    return _by_words(db, words, limit)


# Scripts whose names are written without a space between surname and forename, as code point ranges:
# Hangul letters, kana, Hangul compatibility letters, Chinese characters (with extension A, the compatibility
# block and the planes beyond), Hangul syllables.
_UNSPACED = (
    (0x1100, 0x11FF),
    (0x3040, 0x30FF),
    (0x3130, 0x318F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
    (0xAC00, 0xD7AF),
)


def _unspaced_splits(word: str) -> list[list[str]]:
    """A name in a script written without spaces is typed whole ('王小明', surname 王 and forename 小明),
    but stored as its two parts: try each way of cutting it in two, as if typed with a space ('王 小明').
    A name is a few characters, so this is a handful of range scans."""
    if len(word) < 2 or not any(low <= ord(ch) <= high for ch in word for low, high in _UNSPACED):
        return []
    return [[word[:i], word[i:]] for i in range(1, len(word))]


def people_named(db: Database, forename: str, surname: str) -> list[Person]:
    """Everyone on the roster whose names are these, as search folds them (case, accents, order): a walk-in
    who is one of them was most likely given, or typed, a wrong staff number."""
    wanted = sorted(fold_name(f"{forename} {surname}").split())
    if not wanted:
        return []
    return [p for p in _by_words(db, wanted, 20) if sorted(fold_name(f"{p.forename} {p.surname}").split()) == wanted]


def _by_words(db: Database, words: list[str], limit: int) -> list[Person]:
    """People with every one of `words` starting a word of their name, best matches first: range-scan the
    longest word's terms and let SQLite check the other words against the whole folded name, stopping at
    `limit` matches."""
    at = max(range(len(words)), key=lambda i: len(words[i]))
    longest, others = words[at], words[:at] + words[at + 1 :]  # by place: '明明' is two words, both '明'
    found = _by_term(db, SURNAME, longest, limit, others) + _by_term(db, FORENAME, longest, limit, others)
    typed = " ".join(words)
    matches = list(dict.fromkeys(found))
    matches.sort(
        key=lambda p: (
            not fold_name(p.full_name).startswith(typed),
            not fold_name(f"{p.surname} {p.forename}").startswith(typed),
            fold_name(p.surname),
            fold_name(p.forename),
        )
    )
    return matches[:limit]


def _by_term(db: Database, kind: int, prefix: str, limit: int, also: list[str] | None = None) -> list[Person]:
    """People with a `kind` name word starting with `prefix` (and every word in `also` starting a word of
    their full name), in index order."""
    also = also or []
    extra = "".join(" AND (' ' || p.search_text) LIKE ? ESCAPE '\\'" for _ in also)
    patterns = ["% " + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in also]
    rows = db.execute(
        f"SELECT {_PERSON} FROM people_search s JOIN people p ON p.staff_number = s.staff_number"
        f" WHERE s.kind = ? AND s.term >= ? AND s.term < ? AND p.removed = 0{extra} ORDER BY s.term LIMIT ?",
        [kind, prefix, prefix + "\uffff", *patterns, limit],
    ).fetchall()
    return [_person(r) for r in rows]


def _person(row: tuple[str, ...]) -> Person:
    joined = date.fromisoformat(row[7]) if row[7] else None
    return Person(row[0], row[1], row[2], row[3], PersonRole(row[4]), row[5], row[6], joined)


def _all_people(db: Database) -> list[Person]:
    return [_person(r) for r in db.execute(f"SELECT {_PERSON} FROM people p WHERE p.removed = 0")]


def count_people(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM people WHERE removed = 0").fetchone()[0])


def staff_number_lengths(db: Database) -> tuple[int, int] | None:
    """The shortest and longest staff number on the roster (None when it is empty): the shape of this force's
    numbers, against which a walk-in's number typed short is caught."""
    row = db.execute("SELECT min(length(staff_number)), max(length(staff_number)) FROM people WHERE removed = 0")
    shortest, longest = row.fetchone()
    return (int(shortest), int(longest)) if shortest is not None else None


def count_by_unit(db: Database) -> dict[str, int]:
    return dict(
        db.execute(
            "SELECT unit_code, count(*) FROM people WHERE removed = 0 GROUP BY unit_code ORDER BY unit_code"
        ).fetchall()
    )


@dataclass(frozen=True, slots=True)
class UnitHeadcount:
    """A row of the Roster view: a unit, the force's word for its level, how many people it has, and how far
    it is set in under the unit it is part of."""

    name: str
    level: str
    people: int
    depth: int = 0


def headcount_by_unit(db: Database) -> list[UnitHeadcount]:
    """People per unit in use. With HQ's unit tree, each unit counts everyone under it (a BCU its teams'
    people, as HQ counts it), set in under its parent in the tree's order; without one, each unit its own."""
    counts = count_by_unit(db)
    tree = units.tree(db)
    if not tree:
        return [UnitHeadcount(u.name, u.kind.value, counts.get(u.code, 0)) for u in units.list_units(db)]
    nodes = {node.code: node for node in tree}
    own = {node.code: (0,) for node in units.tree(db, in_use=True)} | {code: (n,) for code, n in counts.items()}
    return [
        UnitHeadcount(nodes[row.code].name, nodes[row.code].kind, row.totals[0], row.depth)
        if row.code in nodes
        else UnitHeadcount(row.code, "", row.totals[0], row.depth)
        for row in rolled_up(own, tree)
    ]


def get_person(db: Database, staff_number: str) -> Person | None:
    row = db.execute(
        f"SELECT {_PERSON} FROM people p WHERE p.staff_number = ? AND p.removed = 0", [staff_number]
    ).fetchone()
    return _person(row) if row else None
