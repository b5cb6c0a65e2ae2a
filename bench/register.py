"""The register at force scale: roster import, search per keystroke and marking one attendee, at 50,000
people, with a bare FTS5 prefix query on the same data in the same run as the baseline.

Targets (issue): p95 search <= 3 ms, mark <= 3 ms (commit and UI update), import of 50,000 rows <= 3 s.
Everything is measured twice in the same run, with the database encrypted (SQLCipher) and without, to show
what encryption costs. Run: `.venv/bin/python bench/register.py [--people N]`.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keyring
from tests.memory_keyring import MemoryKeyring

from bench.roster_data import write_roster_csv
from bench.video import wait_briefly
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import fold_name
from trainer_desk.core.roster_import import read_roster_file
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.paths import AppPaths
from trainer_desk.store import attendance, roster, sessions, units
from trainer_desk.workspace import open_workspace


def percentiles(samples_s: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples_s)
    pick = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    return f"p50 {pick(0.50):6.3f} ms  p95 {pick(0.95):6.3f} ms  p99 {pick(0.99):6.3f} ms  (n={len(ms)})"


def keystrokes(rows: list[dict[str, str]], rng: random.Random) -> list[str]:
    """What trainers type, one query per keystroke: surnames, forenames, 'forename surname', numbers."""
    typed: list[str] = []
    for row in rng.sample(rows, 150):
        kind = rng.random()
        if kind < 0.45:
            word = fold_name(row["surname"])
        elif kind < 0.65:
            word = fold_name(row["forename"])
        elif kind < 0.85:
            word = fold_name(f"{row['forename']} {row['surname']}")
        else:
            word = row["staff_number"].lower()
        typed += [word[:n] for n in range(1, min(len(word), 9) + 1) if word[:n].strip()]
    return typed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=50_000)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())  # the key of a throw-away database stays in this process
    for encrypted in (False, True):
        print(f"\n=== database {'encrypted (SQLCipher)' if encrypted else 'not encrypted'} ===")
        measure(args.people, encrypted)
    return 0


def measure(people_count: int, encrypted: bool) -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "roster.csv"
        rows = write_roster_csv(csv_path, people_count)
        paths = AppPaths.resolve(Path(folder) / "data")
        paths.create()
        paths.user_config.write_text(f"encrypt_database = {'true' if encrypted else 'false'}\n")
        workspace = open_workspace(paths)
        db = workspace.db

        start = time.perf_counter()
        people = read_roster_file(csv_path, [u.code for u in units.list_units(db)])
        parsed = time.perf_counter()
        roster.replace_roster(db, people)
        done = time.perf_counter()
        print(
            f"roster import of {len(people)} rows: {done - start:.2f} s "
            f"(read and check {parsed - start:.2f} s, write {done - parsed:.2f} s)   target <= 3 s"
        )

        # Baseline: a bare FTS5 prefix query over the same names, top 20 unranked.
        bare = sqlite3.connect(":memory:")
        bare.execute("CREATE VIRTUAL TABLE f USING fts5(name, number, tokenize='unicode61 remove_diacritics 2')")
        bare.executemany(
            "INSERT INTO f VALUES (?, ?)", [(f"{r['forename']} {r['surname']}", r["staff_number"]) for r in rows]
        )
        queries = keystrokes(rows, rng)
        ours, baseline = [], []
        for query in queries:
            t = time.perf_counter()
            roster.search_people(db, query)
            ours.append(time.perf_counter() - t)
            words = [w for w in query.replace("-", " ").split() if w]
            match = " ".join(f'"{w}"*' for w in words)
            t = time.perf_counter()
            bare.execute("SELECT rowid FROM f WHERE f MATCH ? LIMIT 20", [match]).fetchall()
            baseline.append(time.perf_counter() - t)
        one_letter = [o for o, q in zip(ours, queries, strict=True) if len(q) == 1]
        print(f"search per keystroke:         {percentiles(ours)}   target p95 <= 3 ms")
        print(f"  one-letter prefixes only:   {percentiles(one_letter)}")
        print(f"bare FTS5 prefix, top 20:     {percentiles(baseline)}")
        ratio = statistics.quantiles(ours, n=20)[18] / statistics.quantiles(baseline, n=20)[18]
        print(f"ratio p95 ours/bare:          {ratio:.2f}x")

        # Marking: the real register window, the real writer connection; commit, then the table refresh.
        from PySide6.QtCore import QEventLoop

        from trainer_desk.app import application
        from trainer_desk.ui.register_window import RegisterWindow
        from trainer_desk.ui.tasks import TaskRunner

        app = application()
        session = Session(
            new_uuid(),
            PlanRef("signa-core", "1.0.0", "signa"),
            "NORTH",
            "Room 1",
            DeliveryMode.IN_PERSON,
            datetime.now(UTC),
            trainers=("100234",),
        )
        sessions.create_session(db, session, session.starts_at)
        tasks = TaskRunner()
        window = RegisterWindow(workspace, tasks, session, None)
        window.show()
        app.processEvents()
        settled, pending, commits = [], [], []
        saved = QEventLoop()
        window.statusBar().messageChanged.connect(lambda text: saved.quit() if text.startswith("Saved") else None)
        for index, row in enumerate(rng.sample(rows, 100)):
            number = row["staff_number"]
            shown = window.table.rowCount()
            # As a scanner does it: the number in the search box, then Enter. The write goes to the database
            # worker (a thread hop each way); the mark is done when the register shows the new row and says
            # saved. Its repaint (about 1.5 ms offscreen for the whole window) is part of it.
            # The UI thread waits in an event loop, as the app's does (a busy loop would hold the interpreter
            # lock and starve the worker).
            window.search.setText(number)  # the scanner's digits: searched as typed, measured above
            # Every other mark starts from a settled screen, as a scan seconds after the last finds it: the
            # typed number's match drawn (a scanner's keys come milliseconds apart, each searched and drawn)
            # and the last mark's deferred work done (the table's delayed relayout, which repaints it whole).
            # The others start with all that still pending, as the measure did before.
            from_settled = index % 2 == 0
            if from_settled:
                wait_briefly(app, 30)
            t = time.perf_counter()
            window.search.returnPressed.emit()  # its Enter: from here to the row shown is the mark
            if window.table.rowCount() == shown:
                saved.exec()
            app.processEvents()  # the repaint that puts the new row on the screen
            (settled if from_settled else pending).append(time.perf_counter() - t)
            assert window.statusBar().currentMessage().startswith("Saved")
            window.statusBar().clearMessage()
            person = roster.get_person(db, number)
            assert person is not None and window.table.item(shown, 0).text() == person.staff_number
            # The commit alone, on the same writer connection, for comparison.
            other = roster.get_person(db, rng.choice(rows)["staff_number"])
            assert other is not None
            second = replace(session, uuid=new_uuid())
            sessions.create_session(db, second, second.starts_at)
            t = time.perf_counter()
            attendance.add_attendee(
                workspace.writer, second, other, AttendanceStatus.PRESENT, "100234", workspace.clock()
            )
            commits.append(time.perf_counter() - t)
        # The measure, like for like: the commit and what the trainer sees updated, with the one row
        # redrawn (now) and with the whole register re-read and redrawn (before), both on this register.
        one_row, whole = [], []
        for index, row in enumerate(rng.sample(rows, 60)):
            person = roster.get_person(db, row["staff_number"])
            assert person is not None
            t = time.perf_counter()
            try:
                record = attendance.add_attendee(
                    workspace.writer, session, person, AttendanceStatus.PRESENT, "100234", workspace.clock()
                )
            except attendance.AlreadyRegisteredError:
                continue
            if index % 2:
                window.refresh()
            else:
                window._show_committed(record, person.full_name)
            app.processEvents()
            (whole if index % 2 else one_row).append(time.perf_counter() - t)
        settled, pending = settled[5:], pending[5:]  # the first few warm the caches
        print(f"mark one attendee (Enter to row shown, from a settled screen; {len(settled)} marks):  "
              f"{percentiles(settled)}   target p95 <= 3 ms")  # fmt: skip
        print(f"  the same with the typing's and the last mark's repaints still pending:  {percentiles(pending)}")
        print(f"  commit + the one row redrawn:                        {percentiles(one_row)}")
        print(f"  commit + the whole register re-read (before):        {percentiles(whole)}")
        print(f"  the commit alone (synchronous=FULL):                 {percentiles(commits)}")
        window.close()
        tasks.wait()
        workspace.close()


if __name__ == "__main__":
    sys.exit(main())
