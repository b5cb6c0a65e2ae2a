"""HQ's own face: its admin commands, its OpenAPI document, and what it says to a laptop it cannot serve."""

from __future__ import annotations

import csv
import shutil
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.hq.raw_laptop import attendance, item, session
from tests.hq_server import Hq
from trainer_desk.hq import audit_trail
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.database import hashed, open_engine
from trainer_desk.paths import bundled
from trainer_desk.sync.client import HqClient, SyncError
from trainer_desk.sync.protocol import PROTOCOL_HEADER, ItemResult, ItemStatus, PushItem


def test_admin_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ["--home", str(tmp_path / "hq")]
    assert hq_main([*home, "import-roster", str(bundled("resources") / "demo_roster.csv")]) == 0
    assert "260 people read: 260 added" in capsys.readouterr().out
    assert hq_main([*home, "enroll-code", "--trainer", "100234", "--unit", "NORTH"]) == 1
    assert "100234 is not on the roster of this unit's force" in capsys.readouterr().err
    assert hq_main([*home, "enroll-code", "--trainer", "S123280", "--unit", "NORHT"]) == 1  # the unit mistyped
    assert "unknown unit 'NORHT'" in capsys.readouterr().err
    assert hq_main([*home, "enroll-code", "--trainer", "S123280", "--unit", "NORTH"]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 19 and code.count("-") == 3
    broken = tmp_path / "plans"
    shutil.copytree(bundled("lesson_plans") / "upstander", broken / "upstander")
    (broken / "upstander" / "faq.toml").write_text("[[faq]]\nquestion = 'no answer'\n")
    assert hq_main([*home, "publish", str(broken)]) == 1
    assert "not published" in capsys.readouterr().err
    assert hq_main([*home, "publish", str(bundled("lesson_plans"))]) == 1
    refused = capsys.readouterr().err
    assert "sample films" in refused and "upstander" in refused and "--allow-sample-media" in refused
    assert hq_main([*home, "publish", "--allow-sample-media", str(bundled("lesson_plans"))]) == 0
    assert "published content version 1" in capsys.readouterr().out
    assert hq_main([*home, "devices", "revoke", "no-such-device"]) == 1
    assert "no device no-such-device" in capsys.readouterr().err
    out = tmp_path / "registrations.csv"
    assert hq_main([*home, "export-registrations", "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as handle:
        assert next(csv.reader(handle))[:3] == ["Registration id", "Session id", "Programme"]
    engine = open_engine(f"sqlite:///{tmp_path / 'hq' / 'hq.sqlite3'}")  # what the console's auditors read
    try:
        trail = {(e["actor"], e["action"], e["detail"]) for e in audit_trail.search(engine)}
    finally:
        engine.dispose()
    assert ("trainer-desk-hq", "roster imported", "demo_roster.csv: 260 added, 0 updated, 0 left") in trail
    issued = f"{hashed(code)[:12]}: for S123280 in NORTH as trainer"  # the code by its reference, never itself
    assert ("trainer-desk-hq", "enrollment code", issued) in trail
    assert ("trainer-desk-hq", "content published", "version 1, from the folder lesson_plans") in trail
    assert ("trainer-desk-hq", "download", "every registration: 0") in trail


def test_openapi_document_and_protocol_version(hq: Hq) -> None:
    spec = requests.get(hq.url + "/openapi.json", timeout=5).json()
    assert {"/v1/enroll", "/v1/push", "/v1/changes"} <= set(spec["paths"])
    answer = requests.get(hq.url + "/v1/changes", headers={PROTOCOL_HEADER: "0"}, timeout=5)
    assert answer.status_code == 426
    with pytest.raises(SyncError) as caught:
        HqClient(hq.url, "not-a-token").changes(0)
    assert caught.value.kind == "auth"


def test_malformed_pushes_are_refused_without_storing_anything(hq: Hq) -> None:
    from trainer_desk.hq import devices
    from trainer_desk.hq import records as hq_records

    token = HqClient(hq.url).enroll(devices.issue_code(hq.engine, "100234", "NORTH"), "laptop")["token"]
    headers = {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {token}"}
    too_new = PushItem("attendance", str(uuid.uuid4()), 2**31, None, "upsert", {}).to_wire()
    for body in (
        {"items": [{"entity": "payroll", "uuid": "x"}]},
        {"items": "all"},
        {"nothing": 1},
        {"items": [too_new]},
    ):
        answer = requests.post(hq.url + "/v1/push", json=body, headers=headers, timeout=5)
        assert answer.status_code == 400, body
    # Past the size limit: refused from what the laptop declared, before the body is read.
    huge = b'{"items": [' + b" " * (3 * 1024 * 1024) + b"]}"
    answer = requests.post(hq.url + "/v1/push", data=huge, headers=headers, timeout=5)
    assert answer.status_code == 413
    # Sent in chunks, with no declared size: refused once the limit is passed.
    chunks = iter([b'{"items": ['] + [b" " * 65536] * 48 + [b"]}"])
    answer = requests.post(hq.url + "/v1/push", data=chunks, headers=headers, timeout=5)
    assert answer.status_code == 413
    # A stranger's large body is turned away as a stranger, not read.
    stranger = {**headers, "Authorization": "Bearer not-a-device"}
    answer = requests.post(hq.url + "/v1/push", data=huge[: 1024 * 1024], headers=stranger, timeout=5)
    assert answer.status_code == 401
    assert hq_records.count_records(hq.engine) == 0


def test_laptops_pushing_at_the_same_moment_each_get_their_own_answers(hq: Hq) -> None:
    from trainer_desk.hq import devices
    from trainer_desk.hq import records as hq_records

    clients = [
        HqClient(
            hq.url, HqClient(hq.url).enroll(devices.issue_code(hq.engine, f"2{n:05d}", "NORTH"), f"laptop {n}")["token"]
        )
        for n in range(24)
    ]
    revoked = clients.pop()
    assert devices.set_device_flag(hq.engine, devices.list_devices(hq.engine)[-1]["id"], "revoked")
    # Each laptop records in its own session; one audit entry is sent by all (a replay is acknowledged).
    shared = PushItem.from_wire(item("audit", {"uuid": str(uuid.uuid4()), "action": "export", "actor": "100234"}))
    batches = []
    for n in range(len(clients)):
        room = session(trainers=(f"2{n:05d}",))
        batches.append(
            [PushItem.from_wire(item("session", room))]
            + [PushItem.from_wire(item("attendance", attendance(room, f"6{n:03d}{k:02d}"))) for k in range(4)]
            + [shared]
        )
    start_line = threading.Barrier(len(clients) + 1)

    def push(client: HqClient, items: list[PushItem]) -> list[ItemResult] | SyncError:
        start_line.wait()
        try:
            return client.push(items)
        except SyncError as error:
            return error

    with ThreadPoolExecutor(len(clients) + 1) as pool:
        answers = list(pool.map(push, [*clients, revoked], [*batches, batches[0][:1]]))
    refused = answers.pop()
    assert isinstance(refused, SyncError) and refused.kind == "auth"
    for items, results in zip(batches, answers, strict=True):
        assert isinstance(results, list)
        assert [(r.uuid, r.status) for r in results[:5]] == [(i.uuid, ItemStatus.CREATED) for i in items[:5]]
    shared_statuses = sorted(r[5].status for r in answers if isinstance(r, list))
    assert shared_statuses == [ItemStatus.CREATED] + [ItemStatus.DUPLICATE] * (len(clients) - 1)
    assert hq_records.count_records(hq.engine, "attendance") == 4 * len(clients)
    assert hq_records.count_records(hq.engine, "audit") == 1
