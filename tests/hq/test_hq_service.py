"""HQ's own face: its admin commands, its OpenAPI document, and what it says to a laptop it cannot serve."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import requests

from tests.hq_server import Hq
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import bundled
from trainer_desk.sync.client import HqClient, SyncError
from trainer_desk.sync.protocol import PROTOCOL_HEADER


def test_admin_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ["--home", str(tmp_path / "hq")]
    assert hq_main([*home, "import-roster", str(bundled("resources") / "demo_roster.csv")]) == 0
    assert "260 people read: 260 added" in capsys.readouterr().out
    assert hq_main([*home, "enroll-code", "--trainer", "100234", "--unit", "NORTH"]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 19 and code.count("-") == 3
    broken = tmp_path / "plans"
    shutil.copytree(bundled("lesson_plans") / "upstander", broken / "upstander")
    (broken / "upstander" / "faq.toml").write_text("[[faq]]\nquestion = 'no answer'\n")
    assert hq_main([*home, "publish", str(broken)]) == 1
    assert "not published" in capsys.readouterr().err
    assert hq_main([*home, "publish", str(bundled("lesson_plans"))]) == 0
    assert "published content version 1" in capsys.readouterr().out
    assert hq_main([*home, "devices", "revoke", "no-such-device"]) == 1
    assert "no device no-such-device" in capsys.readouterr().err
    out = tmp_path / "registrations.csv"
    assert hq_main([*home, "export-registrations", "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as handle:
        assert next(csv.reader(handle))[:3] == ["uuid", "session_uuid", "staff_number"]


def test_openapi_document_and_protocol_version(hq: Hq) -> None:
    spec = requests.get(hq.url + "/openapi.json", timeout=5).json()
    assert {"/v1/enroll", "/v1/push", "/v1/changes"} <= set(spec["paths"])
    answer = requests.get(hq.url + "/v1/changes", headers={PROTOCOL_HEADER: "0"}, timeout=5)
    assert answer.status_code == 426
    with pytest.raises(SyncError) as caught:
        HqClient(hq.url, "not-a-token").changes(0)
    assert caught.value.kind == "auth"


def test_malformed_pushes_are_refused_without_storing_anything(hq: Hq) -> None:
    from trainer_desk.hq import store

    token = HqClient(hq.url).enroll(store.issue_code(hq.engine, "100234", "NORTH"), "laptop")["token"]
    headers = {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {token}"}
    for body in ({"items": [{"entity": "payroll", "uuid": "x"}]}, {"items": "all"}, {"nothing": 1}):
        answer = requests.post(hq.url + "/v1/push", json=body, headers=headers, timeout=5)
        assert answer.status_code == 400, body
    assert store.count_records(hq.engine) == 0
