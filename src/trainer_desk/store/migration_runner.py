"""Named schema migrations, applied in order, each with the record of it in one transaction.

The record is kept in the `_sqlite_migrations` table in the layout sqlite-utils' migrations wrote (which this
replaced), so every database written by an earlier release reads and upgrades as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from trainer_desk.store.connection import Database

TABLE = "_sqlite_migrations"
MigrationFunction = Callable[[Database], None]


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    apply: MigrationFunction


class Migrations:
    """A set of migrations under one name; register each with `@migrations(name="0001_...")`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.migrations: list[Migration] = []

    def __call__(self, *, name: str) -> Callable[[MigrationFunction], MigrationFunction]:
        def register(function: MigrationFunction) -> MigrationFunction:
            if any(m.name == name for m in self.migrations):
                raise ValueError(f"migration {name} is registered twice in {self.name}")
            self.migrations.append(Migration(name, function))
            return function

        return register

    @property
    def names(self) -> list[str]:
        """Every migration this version knows, in order."""
        return [m.name for m in self.migrations]

    def applied(self, db: Database) -> list[str]:
        """The names of the migrations `db` has had, in the order they were applied (read only)."""
        exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE]).fetchone()
        if not exists:
            return []
        rows = db.execute(f"SELECT name FROM {TABLE} WHERE migration_set = ? ORDER BY rowid", [self.name])
        return [str(row[0]) for row in rows]

    def pending(self, db: Database) -> list[Migration]:
        done = set(self.applied(db))
        return [m for m in self.migrations if m.name not in done]

    def apply(self, db: Database) -> None:
        """Apply what is pending. A migration that raises is rolled back with its record: it stays pending."""
        db.execute(
            f'CREATE TABLE IF NOT EXISTS "{TABLE}" (\n   "id" INTEGER PRIMARY KEY,\n   "migration_set" TEXT,\n'
            '   "name" TEXT,\n   "applied_at" TEXT\n)'
        )
        db.execute(
            f'CREATE UNIQUE INDEX IF NOT EXISTS "idx_{TABLE}_migration_set_name"\n'
            f'    ON "{TABLE}" ("migration_set", "name")'
        )
        for migration in self.pending(db):
            with db.atomic():
                migration.apply(db)
                db.execute(
                    f"INSERT INTO {TABLE} (migration_set, name, applied_at) VALUES (?, ?, ?)",
                    [self.name, migration.name, str(datetime.now(UTC))],
                )
