"""Sync at force scale over loopback, against HQ running as its own process:

- pushing 37,000 registrations from one laptop, against a bare SQLite insert of the same rows (same run);
- pulling a 50,000-person roster;
- HQ with 200 devices syncing at once (a push of 25 registrations and a pull each): request latency p50/p99;
- a trainer's first pull of the 50,000-person force roster with the force's completions (all of the above);
- a BCU training lead's first pull of a 5,000-person unit with 12 months of its sessions (250 sessions,
  6,000 registrations), which a lead's laptop receives whole.

Targets (issue): push <= 5 s, pull <= 3 s, p99 <= 500 ms; trainer's pull with completions <= 3 s; lead's
pull <= 3 s. Run: `.venv/bin/python bench/sync.py [--postgres URL]`. With `--national` (PostgreSQL only), HQ
for the 43 forces instead: see bench/national.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keyring
from sqlalchemy import create_engine, text
from tests.hq_server import running_hq
from tests.memory_keyring import MemoryKeyring

from bench.roster_data import people_rows
from trainer_desk import hq_link
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import receipt as hq_receipt
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import AppPaths
from trainer_desk.store import roster
from trainer_desk.sync.client import HqClient
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, PushItem
from trainer_desk.workspace import open_workspace

REGISTRATIONS = 37_000
PEOPLE = 50_000
DEVICES = 200


def attendance_items(count: int) -> list[PushItem]:
    """A session and `count` registrations in it: HQ takes a registration only once its session is there."""
    rows = people_rows(min(count, PEOPLE))
    session = str(uuid.uuid4())
    opened = session_payload(session, datetime.now(UTC))  # a whole session: HQ refuses one no laptop would send
    return [PushItem("session", session, 1, None, "upsert", opened)] + [
        PushItem(
            "attendance",
            str(uuid.uuid4()),
            1,
            None,
            "upsert",
            {
                "session_uuid": session,
                "staff_number": rows[n % len(rows)]["staff_number"],
                "unit_code": "NORTH",
                "status": "present",
                "marked_at": datetime.now(UTC).isoformat(),
                "recorded_by": "100234",
                "follow_up_due": "2027-05-23",
                "walk_in": False,
                "walk_in_name": "",
                "version": 1,
            },
        )
        for n in range(count)
    ]


def bare_sqlite_insert(folder: Path, items: list[PushItem]) -> float:
    conn = sqlite3.connect(folder / "bare.sqlite3")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE r (uuid TEXT PRIMARY KEY, payload TEXT)")
    start = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO r VALUES (?, ?)", [(i.uuid, json.dumps(i.payload)) for i in items])
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


async def crowd(
    port: int, tokens: list[str], bodies: list[bytes], cursor: int, spread_s: float = 0.0
) -> dict[str, list[float]]:
    """Every device, from one start line, connects, pushes and pulls; a push's time includes connecting, as
    a laptop coming online has no connection yet. With `spread_s`, each device starts at a random moment
    within that many seconds of the line. The load generator is one asyncio loop writing requests
    encoded beforehand, so on a shared machine the figures are HQ's rather than this process's (200 Python
    threads cost more CPU than the server they measure)."""
    kinds: dict[str, list[float]] = {"pushes": [], "pulls ": [], "syncs ": []}
    start_line = asyncio.Event()

    async def one_device(token: str, body: bytes) -> None:
        head = f"Host: 127.0.0.1\r\n{PROTOCOL_HEADER}: {PROTOCOL_VERSION}\r\nAuthorization: Bearer {token}\r\n"
        push = (
            f"POST /v1/push HTTP/1.1\r\n{head}Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        pull = f"GET /v1/changes?since={cursor} HTTP/1.1\r\n{head}\r\n".encode()
        await start_line.wait()
        if spread_s:  # devices coming online over a while rather than at one instant
            await asyncio.sleep(random.uniform(0, spread_s))
        started = sent = time.perf_counter()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for kind, request in (("pushes", push), ("pulls ", pull)):
            writer.write(request)
            status, payload = await read_answer(reader)
            answered = time.perf_counter()
            assert status == 200, payload[:200]
            kinds[kind].append(answered - sent)
            sent = answered
        kinds["syncs "].append(sent - started)
        writer.close()
        await writer.wait_closed()

    devices = [asyncio.create_task(one_device(t, b)) for t, b in zip(tokens, bodies, strict=True)]
    await asyncio.sleep(0.1)  # every device is waiting at the line
    start_line.set()
    await asyncio.gather(*devices)
    return kinds


def percentile(seconds: list[float], p: int) -> float:
    return statistics.quantiles([s * 1000 for s in seconds], n=100, method="inclusive")[p - 1]


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if line)
    length = int(next(v for k, v in headers.items() if k.lower() == "content-length"))
    return int(lines[0].split()[1]), await reader.readexactly(length)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="run HQ on this PostgreSQL URL instead of SQLite")
    parser.add_argument("--national", action="store_true", help="HQ for 43 forces (PostgreSQL): see bench/national.py")
    parser.add_argument("--scale", type=float, default=1.0, help="--national at this fraction of its size")
    parser.add_argument("--seeded", action="store_true", help="--national on the database a previous run filled")
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    if args.national:
        if not args.postgres:
            parser.error("--national runs on PostgreSQL: give --postgres URL")
        from bench import national

        with tempfile.TemporaryDirectory() as folder_name:
            national.run(args.postgres, Path(folder_name), args.scale, args.seeded)
        return 0
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        hq_home = folder / "hq-home"
        hq_home.mkdir()
        db_url = args.postgres or f"sqlite:///{hq_home / 'hq.sqlite3'}"
        # SQLite takes one writer at a time, so more worker processes only add waiting; PostgreSQL uses them.
        workers = (os.cpu_count() or 1) if args.postgres else 1
        with running_hq(db_url, folder, workers) as hq:
            engine, url = hq.engine, hq.url
            rows = people_rows(PEOPLE)
            hq_roster.import_roster(
                engine,
                [Person(r["staff_number"], r["forename"], r["surname"], "NORTH", PersonRole(r["role"])) for r in rows],
            )
            print(
                f"HQ on {'PostgreSQL' if args.postgres else 'SQLite'}, as its own process ({workers} worker(s)), "
                "over loopback"
            )
            workspace = open_workspace(AppPaths.resolve(folder / "laptop"))
            hq_link.enroll(workspace, url, hq_devices.issue_code(engine, "100234", "NORTH"))

            start = time.perf_counter()
            report = hq_link.sync_once(workspace)  # the first pull brings the whole roster
            pull_s = time.perf_counter() - start
            print(
                f"pull of a {report.roster_changes:,}-person roster: {pull_s:.2f} s   target <= 3 s "
                f"({roster.count_people(workspace.db):,} people on the laptop)"
            )

            items = attendance_items(REGISTRATIONS)
            with workspace.db.atomic():
                workspace.db.conn.executemany(
                    "INSERT INTO outbox (entity, entity_uuid, version, base_version, op, payload, created_at)"
                    " VALUES (?, ?, 1, NULL, 'upsert', ?, ?)",
                    [(i.entity, i.uuid, json.dumps(i.payload), datetime.now(UTC).isoformat()) for i in items],
                )
            start = time.perf_counter()
            report = hq_link.sync_once(workspace)
            push_s = time.perf_counter() - start
            bare_s = bare_sqlite_insert(folder, items)
            print(f"push of {report.pushed:,} registrations:       {push_s:.2f} s   target <= 5 s")
            print(f"bare SQLite insert of the same rows:  {bare_s:.2f} s   (ratio {push_s / bare_s:.1f}x)")
            workspace.close()

            tokens = [
                HqClient(url).enroll(hq_devices.issue_code(engine, f"2{n:05d}", "NORTH"), f"laptop {n}")["token"]
                for n in range(DEVICES)
            ]
            with engine.connect() as conn:  # an up-to-date laptop: its pull finds nothing new
                cursor = conn.execute(text("SELECT value FROM counters WHERE name = 'seq'")).scalar_one()
            bodies = [json.dumps({"items": [i.to_wire() for i in attendance_items(25)]}).encode() for _ in tokens]
            kinds = asyncio.run(crowd(hq.port, tokens, bodies, cursor))
            for kind, values in kinds.items():
                deciles = ", ".join(f"{x * 1000:.0f}" for x in statistics.quantiles(values, n=10))
                print(f"  {kind} latency deciles (ms): {deciles}")
            requests, syncs = kinds["pushes"] + kinds["pulls "], kinds["syncs "]
            print(
                f"{DEVICES} devices syncing at once: {len(requests)} requests, "
                f"p50 {percentile(requests, 50):.0f} ms, p99 {percentile(requests, 99):.0f} ms   target p99 <= 500 ms"
            )
            print(
                f"  a whole sync (connect, push, pull): p50 {percentile(syncs, 50):.0f} ms, "
                f"p99 {percentile(syncs, 99):.0f} ms; the last device done after {max(syncs) * 1000:.0f} ms"
            )
            fresh = open_workspace(AppPaths.resolve(folder / "second-laptop"))
            hq_link.enroll(fresh, url, hq_devices.issue_code(engine, "100235", "NORTH"))
            start = time.perf_counter()
            report = hq_link.sync_once(fresh)
            first_pull_s = time.perf_counter() - start
            known = fresh.db.execute("SELECT count(*) FROM hq_completions").fetchone()[0]
            print(
                f"a trainer's first pull: {report.roster_changes:,} people and {known:,} completions: "
                f"{first_pull_s:.2f} s   target <= 3 s"
            )
            fresh.close()
        lead_pull(folder, args.postgres)
    return 0


def lead_pull(folder: Path, postgres: str | None) -> None:
    """A training lead's laptop, enrolled for a unit of 5,000 people with a year of sessions, pulls it all."""
    hq_home = folder / "lead-hq"
    hq_home.mkdir()
    db_url = postgres or f"sqlite:///{hq_home / 'hq.sqlite3'}"
    if postgres:  # a fresh database for this scenario
        with create_engine(postgres).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    (folder / "lead").mkdir()
    with running_hq(db_url, folder / "lead", (os.cpu_count() or 1) if postgres else 1) as hq:
        rows = people_rows(5000, seed=11)
        hq_roster.import_roster(
            hq.engine,
            [Person(r["staff_number"], r["forename"], r["surname"], "NORTH", PersonRole(r["role"])) for r in rows],
        )
        trainer = HqClient(hq.url).enroll(hq_devices.issue_code(hq.engine, "100234", "NORTH"), "trainer")["token"]
        pushes = []
        for n in range(250):  # about five sessions a week for a year, 24 people each
            session = str(uuid.uuid4())
            starts = datetime(2026, 1, 5, 9, tzinfo=UTC) + timedelta(days=n * 365 // 250)
            items = [PushItem("session", session, 1, None, "upsert", session_payload(session, starts))]
            for k in range(24):
                person = rows[(n * 24 + k) % len(rows)]
                items.append(
                    PushItem("attendance", str(uuid.uuid4()), 1, None, "upsert", registration(session, person, starts))
                )
            pushes.append((trainer, items))
        for start in range(0, len(pushes), 40):
            hq_receipt.apply_pushes(hq.engine, pushes[start : start + 40])
        lead = open_workspace(AppPaths.resolve(folder / "lead-laptop"))
        hq_link.enroll(lead, hq.url, hq_devices.issue_code(hq.engine, "100800", "NORTH", role="training_lead"))
        start_s = time.perf_counter()
        report = hq_link.sync_once(lead)
        pull_s = time.perf_counter() - start_s
        sessions_here = lead.db.execute("SELECT count(*) FROM sessions").fetchone()[0]
        registrations_here = lead.db.execute("SELECT count(*) FROM attendance").fetchone()[0]
        print(
            f"a training lead's first pull: {report.roster_changes:,} people, {sessions_here} sessions, "
            f"{registrations_here:,} registrations: {pull_s:.2f} s   target <= 3 s"
        )
        lead.close()


def session_payload(session: str, starts: datetime) -> dict[str, object]:
    return {
        "uuid": session,
        "plan_id": "signa-core",
        "plan_version": "1.0.0",
        "programme_id": "signa",
        "unit_code": "NORTH",
        "venue": "Training room 1",
        "mode": "in-person",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=3)).isoformat(),
        "status": "closed",
        "trainers": ["100234"],
        "version": 1,
    }


def registration(session: str, person: dict[str, str], starts: datetime) -> dict[str, object]:
    return {
        "session_uuid": session,
        "staff_number": person["staff_number"],
        "unit_code": "NORTH",
        "status": "present",
        "marked_at": starts.isoformat(),
        "recorded_by": "100234",
        "follow_up_due": (starts + timedelta(days=182)).date().isoformat(),
        "walk_in": False,
        "walk_in_name": "",
        "version": 1,
    }


if __name__ == "__main__":
    sys.exit(main())
