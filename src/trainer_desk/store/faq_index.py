"""Instant FAQ search for the classroom: an in-memory FTS5 index over a plan's and the shared questions.

The FAQ is small and ships with the plan, so it is indexed afresh when a plan is opened rather than kept in
the database file. Questions, answers and tags are indexed as stems without stop words (core/faq_terms.py),
and a query matches any of its words, best first by bm25: people type questions, not keyword lists.
"""

from __future__ import annotations

from collections.abc import Iterable

from trainer_desk.core.faq_terms import Vocabulary, stemmed, words
from trainer_desk.core.lesson_plan import FaqEntry
from trainer_desk.store.connection import memory_database

# bm25 weights of the columns: stems of the question, answer and tags, then the question's words as written.
# The question says what an entry is about; its words as written put the very word typed ahead of its kin.
_WEIGHTS = (5.0, 1.0, 2.0, 2.0)


def _any(terms: tuple[str, ...]) -> str:
    return " OR ".join(f'"{t}"' for t in terms)  # folded words are [a-z0-9] only: quoting them is safe


class FaqIndex:
    def __init__(self, entries: Iterable[FaqEntry]) -> None:
        self.entries = list(entries)
        self.vocabulary = Vocabulary(text for e in self.entries for text in (e.question, e.answer, " ".join(e.tags)))
        index = memory_database(check_same_thread=False)
        self._conn = index.conn
        with index.atomic():  # one transaction for the whole index, not one for each entry
            # unicode61 only splits here: the text arrives folded and stemmed, which FTS5 cannot do itself.
            self._conn.execute(
                "CREATE VIRTUAL TABLE faq USING fts5(question, answer, tags, question_words, tokenize = 'unicode61')"
            )
            self._conn.executemany(
                "INSERT INTO faq (rowid, question, answer, tags, question_words) VALUES (?, ?, ?, ?, ?)",
                [
                    (i, stemmed(e.question), stemmed(e.answer), stemmed(" ".join(e.tags)), " ".join(words(e.question)))
                    for i, e in enumerate(self.entries)
                ],
            )

    def search(self, text: str, limit: int = 50) -> list[FaqEntry]:
        """Entries matching any word typed (the last also as the start of a word), best first.

        All entries when nothing searchable was typed (nothing, or only words such as 'what' and 'if'); none
        for text with no word the FAQ's index can hold ("王", an emoji), which matches nothing in it: listing
        every question then read as if each one answered it.
        """
        query = self.vocabulary.query(text)
        if query is None:
            return [] if text.strip() and not words(text) else self.entries[:limit]
        if not query.stems:
            return []
        match = f"{{question answer tags}} : ({_any(query.stems)})"
        if query.words:
            match += f" OR question_words : ({_any(query.words)})"
        rows = self._conn.execute(
            "SELECT rowid FROM faq WHERE faq MATCH ? ORDER BY bm25(faq, ?, ?, ?, ?) LIMIT ?",
            [match, *_WEIGHTS, limit],
        ).fetchall()
        return [self.entries[row[0]] for row in rows]

    def close(self) -> None:
        self._conn.close()
