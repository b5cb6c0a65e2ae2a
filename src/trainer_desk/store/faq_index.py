"""Instant FAQ search for the classroom: an in-memory FTS5 index over a plan's and the shared questions.

The FAQ is small and ships with the plan, so it is indexed afresh when a plan is opened rather than kept in
the database file.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from trainer_desk.core.lesson_plan import FaqEntry
from trainer_desk.core.people import fold_name


class FaqIndex:
    def __init__(self, entries: Iterable[FaqEntry]) -> None:
        self.entries = list(entries)
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.execute(
            "CREATE VIRTUAL TABLE faq USING fts5(question, answer, tags, tokenize = 'unicode61 remove_diacritics 2')"
        )
        self._conn.executemany(
            "INSERT INTO faq (rowid, question, answer, tags) VALUES (?, ?, ?, ?)",
            [(i, e.question, e.answer, " ".join(e.tags)) for i, e in enumerate(self.entries)],
        )

    def search(self, text: str, limit: int = 50) -> list[FaqEntry]:
        """Entries matching every word typed (the last as a prefix), best first; all entries when empty."""
        words = [w for w in re.split(r"\s+", fold_name(text)) if w]
        if not words:
            return self.entries[:limit]
        query = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        rows = self._conn.execute(
            "SELECT rowid FROM faq WHERE faq MATCH ? ORDER BY bm25(faq, 5.0, 1.0, 2.0) LIMIT ?",
            [query, limit],
        ).fetchall()
        return [self.entries[row[0]] for row in rows]

    def close(self) -> None:
        self._conn.close()
