"""The HQ console's dashboard at force scale: 50,000 people on the roster and 1,000,000 registrations (40,000
sessions of 25), seeded with COPY on PostgreSQL (plain inserts on SQLite), served by HQ as its own process.

Prints: how long HQ took to fill its completions table from the stored records (what the first start after
the upgrade does), then the console's pages over HTTP, signed in, as the learning team sees them (the
dashboard for the force and for one unit, a unit's chase list, the trainers page): p50 and p95 of 20 requests
each, against the floor of HQ's `/health` answered in the same run. Then the same dashboard while 200 laptops
sync at once, five times over (each pushing a session of 25 registrations and pulling): the console must stay
usable while the force syncs.

Targets (issue): the dashboard <= 300 ms; usable while 200 laptops sync. Run:
`.venv/bin/python bench/console.py [--postgres URL]`; on PostgreSQL the database is emptied first, and HQ runs
one worker per core, as the README sizes it.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from sqlalchemy import create_engine, text, update
from tests.hq_server import Hq, running_hq

from bench.roster_data import people_rows
from bench.sync import DEVICES, attendance_items, crowd, percentile
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import completions, schema
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.database import insert_many, open_engine
from trainer_desk.hq.receipt import session_start_columns
from trainer_desk.paths import bundled
from trainer_desk.sync.client import HqClient

PEOPLE = 50_000
REGISTRATIONS = 1_000_000
PER_SESSION = 25
UNITS = ["NORTH", "EAST", "SOUTH", "WEST", "CENTRAL", "COAST", "VALLEY", "CITY", "RIVER", "FOREST", "HILLS", "PORT"]
PROGRAMMES = ["signa", "upstander", "raising-concerns", "inclusive-workplace"]
PASSWORD = "a benchmark password"


def seed(url: str, blobs: Path) -> None:
    engine = open_engine(url)
    rows = people_rows(PEOPLE)
    people = [
        Person(r["staff_number"], r["forename"], r["surname"], UNITS[n % len(UNITS)], PersonRole(r["role"]))
        for n, r in enumerate(rows)
    ]
    hq_roster.import_roster(engine, people)
    start = time.perf_counter()
    seq = 1_000
    day0 = datetime(2025, 1, 6, 9, tzinfo=UTC)
    batch: list[dict[str, object]] = []
    for s in range(REGISTRATIONS // PER_SESSION):
        unit = UNITS[s % len(UNITS)]
        session = str(uuid.uuid4())
        starts = (day0 + timedelta(minutes=s * 26)).isoformat()  # two years of sessions
        payload = {"uuid": session, "unit_code": unit, "programme_id": PROGRAMMES[s % 4], "starts_at": starts,
                   "plan_id": f"{PROGRAMMES[s % 4]}-core", "plan_version": "1.0.0", "venue": "Room 1",
                   "status": "closed", "trainers": ["100234"], "version": 1}  # fmt: skip
        seq += 1
        batch.append(stored_record("session", session, payload, seq, session))
        for k in range(PER_SESSION):
            person = people[(s * PER_SESSION + k * 7) % PEOPLE]
            registration = str(uuid.uuid4())
            seq += 1
            batch.append(
                stored_record(
                    "attendance",
                    registration,
                    {
                        "uuid": registration,
                        "session_uuid": session,
                        "staff_number": person.staff_number,
                        "unit_code": person.unit_code,
                        "status": "present" if k % 10 else "absent",
                        "marked_at": starts,
                        "recorded_by": "100234",
                        "walk_in": False,
                        "walk_in_name": "",
                        "version": 1,
                    },
                    seq,
                    session,
                )
            )
        if len(batch) >= 50_000:
            store_records(engine, batch)
            batch = []
    store_records(engine, batch)
    with engine.begin() as conn:
        conn.execute(update(schema.counters).where(schema.counters.c.name == "seq").values(value=seq))
    print(f"seeded {PEOPLE:,} people and {REGISTRATIONS:,} registrations in {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    completions.catch_up(engine)
    print(f"completions table filled from the records: {time.perf_counter() - start:.1f} s")
    hq_content.publish_content(engine, bundled("lesson_plans"), blobs, allow_sample_media=True)
    sys.stdin = io.StringIO(PASSWORD + "\n")
    engine.dispose()


def stored_record(
    entity: str, uuid_: str, payload: dict[str, object], seq: int, session: str, force: str | None = None
) -> dict[str, object]:
    """A record as HQ stores one it received (with the force its session was held in, where HQ serves several)."""
    return {"entity": entity, "uuid": uuid_, "version": 1, "deleted": False, "payload": json.dumps(payload),
            "device_id": "bench", "created_by": "bench", "seq": seq, "received_at": "2026-01-01T00:00:00+00:00",
            "conflicted": False, "session_uuid": session, "force": force,
            **session_start_columns(entity, payload)}  # fmt: skip


def store_records(engine: object, rows: list[dict[str, object]]) -> None:
    if rows:
        with engine.begin() as conn:  # type: ignore[attr-defined]
            insert_many(conn, schema.records, rows)


def timed(http: requests.Session, url: str, rounds: int = 20) -> tuple[float, float]:
    http.get(url, timeout=60)  # warm
    seconds = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer = http.get(url, timeout=60)
        seconds.append(time.perf_counter() - start)
        assert answer.status_code == 200, answer.status_code
    return statistics.median(seconds) * 1000, statistics.quantiles(seconds, n=20)[18] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="run HQ on this PostgreSQL URL instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        url = args.postgres or f"sqlite:///{folder / 'hq.sqlite3'}"
        if args.postgres:
            with create_engine(args.postgres).begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        seed(url, folder / "hq-home" / "blobs")
        workers = (os.cpu_count() or 1) if args.postgres else 1
        with running_hq(url, folder, workers) as hq:
            admin = ["--home", str(hq.blobs.parent), "--db", url]
            hq_main([*admin, "users", "add", "learning.team", "--role", "admin"])
            http = requests.Session()
            page = http.get(hq.url + "/console/sign-in", timeout=10).text
            token = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            signed = http.post(
                hq.url + "/console/sign-in",
                data={"username": "learning.team", "password": PASSWORD, "csrf": token},
                timeout=120,
            )
            assert "Completion against the roster" in signed.text
            floor = timed(http, hq.url + "/health")
            print(
                f"HQ on {'PostgreSQL' if args.postgres else 'SQLite'}, its own process, {workers} worker(s), loopback"
            )
            print(f"floor, GET /health:                  p50 {floor[0]:6.1f} ms, p95 {floor[1]:6.1f} ms")
            pages = {
                "dashboard, the force (12 units)": "/console/",
                "dashboard, one unit": "/console/?unit=NORTH&programme=upstander",
                "a unit's chase list (4,167 people)": "/console/units/NORTH?programme=signa",
                "trainers": "/console/trainers",
            }
            for name, path in pages.items():
                p50, p95 = timed(http, hq.url + path)
                print(
                    f"{name:36} p50 {p50:6.1f} ms, p95 {p95:6.1f} ms"
                    + ("   target <= 300 ms" if "dash" in name else "")
                )
            under_load(hq, http)
    return 0


def under_load(hq: Hq, http: requests.Session, rounds: int = 5) -> None:
    """The dashboard asked for again and again while 200 laptops sync at once, `rounds` times over."""
    tokens = [
        HqClient(hq.url).enroll(hq_devices.issue_code(hq.engine, f"2{n:05d}", "NORTH"), f"laptop {n}")["token"]
        for n in range(DEVICES)
    ]
    with hq.engine.connect() as conn:  # up-to-date laptops: their pulls find only each other's pushes
        cursor = conn.execute(text("SELECT value FROM counters WHERE name = 'seq'")).scalar_one()
    syncing: list[float] = []
    done = threading.Event()

    def laptops() -> None:
        for _ in range(rounds):
            bodies = [json.dumps({"items": [i.to_wire() for i in attendance_items(25)]}).encode() for _ in tokens]
            kinds = asyncio.run(crowd(hq.port, tokens, bodies, cursor))
            syncing.extend(kinds["pushes"] + kinds["pulls "])
        done.set()

    crowd_thread = threading.Thread(target=laptops)
    crowd_thread.start()
    seconds = []
    while not done.is_set():
        start = time.perf_counter()
        answer = http.get(hq.url + "/console/", timeout=60)
        seconds.append(time.perf_counter() - start)
        assert answer.status_code == 200
    crowd_thread.join()
    ms = sorted(s * 1000 for s in seconds)
    print(
        f"dashboard while {DEVICES} laptops sync ({rounds} rounds, {len(syncing)} sync requests): "
        f"{len(ms)} answers, p50 {statistics.median(ms):.0f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.0f} ms, "
        f"worst {ms[-1]:.0f} ms; the laptops' p99 {percentile(syncing, 99):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
