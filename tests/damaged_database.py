"""Damage a real (unencrypted) database the way a failing disk does: one page's cells overwritten with zeros,
while the header and schema still read, so SQLite's integrity check has a long list to report."""

from __future__ import annotations

import sqlite3
from pathlib import Path

PAGE = 4096


def damage_one_page(path: Path) -> list[str]:
    """Zero the cells of the first page whose loss SQLite reports at length; returns what it reports."""
    original = path.read_bytes()
    for page in range(2, len(original) // PAGE + 1):
        start = (page - 1) * PAGE
        damaged = original[: start + 200] + bytes(PAGE - 300) + original[start + PAGE - 100 :]
        path.write_bytes(damaged)
        conn = sqlite3.connect(path)
        try:
            findings = [row[0] for row in conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError:
            findings = []  # the schema itself unreadable: not the damage wanted here
        finally:
            conn.close()
        lines = "\n".join(findings).splitlines()
        if len(lines) > 20:
            return lines
    path.write_bytes(original)
    raise AssertionError(f"{path}: no page found whose damage SQLite reports at length")
