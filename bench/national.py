"""HQ at national scale, on PostgreSQL (`bench/sync.py --national --postgres URL`): one HQ for the 43 forces
of England and Wales, each force the top of its own part of the unit tree, and each laptop learning its own
force alone.

Seeded with COPY: 43 forces of six BCUs, 300,000 people (the first force 10,000), 5,000,000 registrations
(200,000 sessions of 25, over two years, each in a BCU of one force with that force's people) and 3,000
enrolled laptops. Then, against HQ running as its own process, one worker per core:

- a force's compliance summary: the console's dashboard, signed in as that force's learning team, against
  HQ's `/health` answered in the same run (the floor);
- 1,000 laptops syncing at once, each pushing a session of 25 registrations and pulling: the push's p99, all
  starting at the same instant (the worst case), and again starting within 30 seconds;
- a laptop's first pull of a 10,000-person force: its roster, its force's completions, its units, measured
  three times on a quiet HQ and once straight after the bursts, while HQ is still taking them in.

Targets (issue): summary <= 1 s; push p99 <= 500 ms with 1,000 syncing; first pull of 10,000 people <= 2 s.
`--scale 0.05` runs the same at a twentieth of the size, to try the bench quickly; `--seeded` measures again on
a fresh copy of the database a previous run seeded (seeding takes about half an hour on two cores; the copy,
kept beside it, a minute or two). After seeding, the
database is vacuumed and analysed, as autovacuum keeps a live one.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import Connection, create_engine, make_url, text, update
from tests.hq_server import Hq, running_hq

from bench.console import store_records, stored_record, timed
from bench.roster_data import people_rows
from trainer_desk import hq_link
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import completions, schema
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.database import insert_many, open_engine
from trainer_desk.hq.units import import_units
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.sync.protocol import PushItem
from trainer_desk.workspace import open_workspace

FORCES = 43
BCUS = 6
PEOPLE = 300_000
FIRST_FORCE = 10_000
REGISTRATIONS = 5_000_000
PER_SESSION = 25
DEVICES = 3_000
AT_ONCE = 1_000
SPREAD_S = 30.0  # the same laptops coming online within half a minute, as after a network outage ends
PROGRAMMES = ["signa", "upstander", "raising-concerns", "inclusive-workplace"]
PASSWORD = "a benchmark password"


def force(n: int) -> str:
    return f"F{n + 1:02d}"


def bcu(n: int, b: int) -> str:
    return f"{force(n)}-B{b + 1}"


def forces_of_people(people: int) -> list[int]:
    """How many people each force has: the first `FIRST_FORCE` (scaled), the rest shared by the others."""
    first = round(FIRST_FORCE * people / PEOPLE)
    rest = people - first
    return [first] + [rest // (FORCES - 1) + (1 if k < rest % (FORCES - 1) else 0) for k in range(FORCES - 1)]


def seed(url: str, blobs: Path, scale: float) -> tuple[dict[str, list[str]], int]:
    """Fill HQ; returns each force's staff numbers and the number of registrations."""
    engine = open_engine(url)
    import_units(
        engine,
        [node for n in range(FORCES) for node in (
            UnitNode(force(n), f"Force {n + 1}", "force"),
            *(UnitNode(bcu(n, b), f"Force {n + 1} BCU {b + 1}", "BCU", force(n)) for b in range(BCUS)),
        )],
    )  # fmt: skip
    start = time.perf_counter()
    rows = people_rows(round(PEOPLE * scale))
    people: dict[str, list[str]] = {}
    roster, taken, seq = [], 0, 10_000
    for n, size in enumerate(forces_of_people(len(rows))):
        people[force(n)] = [r["staff_number"] for r in rows[taken : taken + size]]
        for k, r in enumerate(rows[taken : taken + size]):
            seq += 1
            roster.append({"staff_number": r["staff_number"], "forename": r["forename"], "surname": r["surname"],
                           "unit": bcu(n, k % BCUS), "previous_unit": None, "role": r["role"], "rank": "", "team": "",
                           "joined": None, "removed": False, "seq": seq, "left_at": None, "email": None})  # fmt: skip
        taken += size
    with engine.begin() as conn:
        insert_many(conn, schema.roster, roster)
    registrations = round(REGISTRATIONS * scale) // PER_SESSION * PER_SESSION
    day0 = datetime(2024, 12, 2, 9, tzinfo=UTC)
    sessions = registrations // PER_SESSION
    batch: list[dict[str, object]] = []
    for s in range(sessions):
        n = s % FORCES
        unit, crowd_of = bcu(n, (s // FORCES) % BCUS), people[force(n)]
        session = str(uuid.uuid4())
        starts = (day0 + timedelta(minutes=s * 525_600 * 2 // sessions)).isoformat()
        programme = PROGRAMMES[(s // FORCES) % 4]
        payload = {"uuid": session, "unit_code": unit, "programme_id": programme, "starts_at": starts,
                   "plan_id": f"{programme}-core", "plan_version": "1.0.0", "venue": "Room 1", "mode": "in-person",
                   "ends_at": starts, "status": "closed", "trainers": [crowd_of[1]], "version": 1}  # fmt: skip
        seq += 1
        batch.append(stored_record("session", session, payload, seq, session, force(n)))
        for k in range(PER_SESSION):
            registration = str(uuid.uuid4())
            seq += 1
            batch.append(stored_record("attendance", registration, {
                "uuid": registration, "session_uuid": session,
                "staff_number": crowd_of[(s // FORCES * PER_SESSION + k * 7) % len(crowd_of)], "unit_code": unit,
                "status": "present" if k % 10 else "absent", "marked_at": starts, "recorded_by": crowd_of[1],
                "follow_up_due": starts[:10], "walk_in": False, "walk_in_name": "", "version": 1},
                seq, session, force(n)))  # fmt: skip
        if len(batch) >= 100_000:
            store_records(engine, batch)
            batch = []
    store_records(engine, batch)
    with engine.begin() as conn:
        conn.execute(update(schema.counters).where(schema.counters.c.name == "seq").values(value=seq))
    print(f"seeded {len(rows):,} people in {FORCES} forces and {registrations:,} registrations with COPY: "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    start = time.perf_counter()
    completions.catch_up(engine)
    print(f"completions table filled from the records (once, as after an upgrade): {time.perf_counter() - start:.0f} s")
    vacuum(url)
    hq_content.publish_content(engine, bundled("lesson_plans"), blobs, allow_sample_media=True)
    engine.dispose()
    return people, registrations


def vacuum(url: str) -> None:
    """What autovacuum does for a live database, done at once after a bulk load: without statistics and the
    visibility map, PostgreSQL plans a force's counts as scans of the nation's completions."""
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))


def keep_seed(url: str) -> None:
    """A copy of the database just seeded, beside it (its name and `_seeded`): every `--seeded` run starts from
    it, so a run measures what the last one did and not also the laptops and records each run adds."""
    name, maintenance = _names(url)
    with create_engine(maintenance, isolation_level="AUTOCOMMIT").connect() as conn:
        _alone(conn, name)
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_seeded"'))
        conn.execute(text(f'CREATE DATABASE "{name}_seeded" TEMPLATE "{name}" STRATEGY FILE_COPY'))


def from_seed(url: str) -> None:
    """The database put back as it was seeded (`keep_seed`). One seeded before there were copies is kept as it
    is, and copied now: later runs start from where this one does."""
    name, maintenance = _names(url)
    with create_engine(maintenance, isolation_level="AUTOCOMMIT").connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": f"{name}_seeded"}).first():
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{name}_seeded" STRATEGY FILE_COPY'))
            print(f"{name} copied afresh from {name}_seeded, as it was seeded")
        else:
            _alone(conn, name)
            conn.execute(text(f'CREATE DATABASE "{name}_seeded" TEMPLATE "{name}" STRATEGY FILE_COPY'))
            print(f"{name} copied to {name}_seeded: later --seeded runs start from it")


def _alone(conn: Connection, name: str) -> None:
    """Closes the connections the seeding left open (pooled): a database is copied only with none."""
    conn.execute(
        text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"),
        {"n": name},
    )


def _names(url: str) -> tuple[str, str]:
    """The database's name, and the address of the server's own `postgres` database, to copy it from."""
    made = make_url(url)
    assert made.database and made.database.replace("_", "").isalnum(), made.database
    return made.database, made.set(database="postgres").render_as_string(hide_password=False)


def seeded_people(url: str) -> dict[str, list[str]]:
    """Each force's staff numbers, from a database this bench seeded before (`--seeded`)."""
    people: dict[str, list[str]] = {}
    with create_engine(url).connect() as conn:
        for number, unit in conn.execute(text("SELECT staff_number, unit FROM roster ORDER BY seq")):
            people.setdefault(unit.split("-")[0], []).append(number)
    return people


def push_body(unit: str, crowd_of: list[str]) -> bytes:
    session = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    items = [PushItem("session", session, 1, None, "upsert", {"uuid": session, "unit_code": unit,
             "programme_id": "signa", "plan_id": "signa-core", "plan_version": "1.0.0", "starts_at": now,
             "mode": "in-person", "status": "closed", "trainers": [crowd_of[0]], "version": 1})]  # fmt: skip
    items += [
        PushItem(
            "attendance",
            str(uuid.uuid4()),
            1,
            None,
            "upsert",
            {
                "session_uuid": session,
                "staff_number": crowd_of[k % len(crowd_of)],
                "unit_code": unit,
                "status": "present",
                "marked_at": now,
                "recorded_by": crowd_of[0],
                "follow_up_due": "2027-06-01",
                "walk_in": False,
                "walk_in_name": "",
                "version": 1,
            },
        )
        for k in range(PER_SESSION)
    ]
    return json.dumps({"items": [i.to_wire() for i in items]}).encode()


def run(postgres: str, folder: Path, scale: float, seeded: bool = False) -> None:
    from bench.sync import crowd, percentile

    if seeded:  # the database this bench filled last time: measure again without seeding for half an hour
        from_seed(postgres)
        people = seeded_people(postgres)
        hq_content.publish_content(open_engine(postgres), bundled("lesson_plans"), folder / "hq-home" / "blobs",
                                   allow_sample_media=True)  # fmt: skip
        vacuum(postgres)
    else:
        with create_engine(postgres).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        people, _registrations = seed(postgres, folder / "hq-home" / "blobs", scale)
        keep_seed(postgres)
    workers = os.cpu_count() or 1
    with running_hq(postgres, folder, workers) as hq:
        print(f"HQ on PostgreSQL, its own process, {workers} worker(s), over loopback, on this machine")
        start = time.perf_counter()
        devices = max(round(DEVICES * scale), AT_ONCE if scale >= 1 else round(AT_ONCE * scale))
        tokens: list[tuple[str, str]] = []
        for d in range(devices):
            n = d % FORCES
            made = hq_devices.enroll(hq.engine, hq_devices.issue_code(hq.engine, people[force(n)][d // FORCES % 50],
                                     bcu(n, d % BCUS)), f"laptop {d}")  # fmt: skip
            assert made is not None
            tokens.append((made[1], bcu(n, d % BCUS)))
        print(f"{devices:,} laptops enrolled: {time.perf_counter() - start:.0f} s")

        admin = ["--home", str(hq.blobs.parent), "--db", postgres]
        sys.stdin = io.StringIO(PASSWORD + "\n")
        hq_main([*admin, "users", "add", "force.one", "--role", "admin", "--unit", force(0)])
        http = requests.Session()
        token = http.get(hq.url + "/console/sign-in", timeout=10).text.split('name="csrf" value="', 1)[1][:43]
        form = {"username": "force.one", "password": PASSWORD, "csrf": token}
        signed = http.post(hq.url + "/console/sign-in", data=form, timeout=300)
        assert "Completion against the roster" in signed.text, signed.text[:300]
        floor = timed(http, hq.url + "/health")
        print(f"floor, GET /health:                         p50 {floor[0]:7.1f} ms, p95 {floor[1]:7.1f} ms")
        for name, path in (("a force's compliance summary (dashboard)", "/console/"),
                           ("a BCU's chase list", f"/console/units/{bcu(0, 0)}?programme=signa")):  # fmt: skip
            p50, p95 = timed(http, hq.url + path)
            print(f"{name:42} p50 {p50:7.1f} ms, p95 {p95:7.1f} ms" + ("   target <= 1 s" if "summary" in name else ""))

        for n in range(3):
            first_pull(hq, people, folder, f"on a quiet HQ, run {n + 1} of 3")
        at_once = tokens[:AT_ONCE] if scale >= 1 else tokens[: round(AT_ONCE * scale)]
        for spread, how in ((0.0, "at the same instant"), (SPREAD_S, f"within {SPREAD_S:.0f} s")):
            with hq.engine.connect() as conn:
                cursor = conn.execute(text("SELECT value FROM counters WHERE name = 'seq'")).scalar_one()
            bodies = [push_body(unit, people[unit.split("-")[0]]) for _, unit in at_once]
            kinds = asyncio.run(crowd(hq.port, [t for t, _ in at_once], bodies, cursor, spread))
            pushes = kinds["pushes"]
            print(f"{len(at_once):,} laptops syncing {how} (a push of {PER_SESSION + 1} records, then a pull): push "
                  f"p50 {percentile(pushes, 50):.0f} ms, p99 {percentile(pushes, 99):.0f} ms   target p99 <= 500 ms; "
                  f"pulls p99 {percentile(kinds['pulls '], 99):.0f} ms")  # fmt: skip

        first_pull(hq, people, folder, "straight after those bursts, while HQ takes them in")


def first_pull(hq: Hq, people: dict[str, list[str]], folder: Path, when: str) -> None:
    """A new laptop's first sync in the first force (10,000 people at full scale): its roster, its force's
    completions, its units and the lesson content, all it needs before its first session."""
    laptop = open_workspace(AppPaths.resolve(folder / f"first-pull-{uuid.uuid4()}"))
    trainer = people[force(0)][-1]  # a trainer with no sessions of their own yet
    hq_link.enroll(laptop, hq.url, hq_devices.issue_code(hq.engine, trainer, bcu(0, 0)))
    start = time.perf_counter()
    report = hq_link.sync_once(laptop)
    pulled_s = time.perf_counter() - start
    known = laptop.db.execute("SELECT count(*) FROM hq_completions").fetchone()[0]
    print(f"a laptop's first sync of its force ({when}): {report.roster_changes:,} people and {known:,} "
          f"completions: {pulled_s:.2f} s   target <= 2 s")  # fmt: skip
    laptop.close()
