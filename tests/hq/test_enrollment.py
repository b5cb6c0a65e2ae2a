"""Enrollment, which anyone can reach: one code enrolls one laptop, a retry after a lost answer gets the same
answer, the body is bounded, and an address that keeps guessing codes is made to wait."""

from __future__ import annotations

import http.client
import json
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.hq import devices
from trainer_desk.hq.api import WRONG_CODES_ALLOWED
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.sync.protocol import PROTOCOL_HEADER

HEADERS = {PROTOCOL_HEADER: "1"}


def enroll(hq: Hq, body: Any) -> requests.Response:
    return requests.post(hq.url + "/v1/enroll", json=body, headers=HEADERS, timeout=10)


def test_one_code_enrolls_one_laptop_even_when_many_race_for_it(hq: Hq) -> None:
    code = devices.issue_code(hq.engine, "100234", "NORTH")
    start_line = threading.Barrier(12)

    def attempt(n: int) -> int:
        start_line.wait()
        body = {"code": code, "device_name": f"laptop {n}", "device_key": secrets.token_urlsafe(32)}
        return enroll(hq, body).status_code

    with ThreadPoolExecutor(12) as pool:
        answers = sorted(pool.map(attempt, range(12)))
    assert answers == [200] + [403] * 11
    assert len(devices.list_devices(hq.engine)) == 1


def test_a_retried_enrollment_gets_the_same_device_and_token(hq: Hq) -> None:
    code = devices.issue_code(hq.engine, "100234", "NORTH")
    key = secrets.token_urlsafe(32)
    first = enroll(hq, {"code": code, "device_name": "TRAINING-LAPTOP-7", "device_key": key})
    again = enroll(hq, {"code": f" {code.lower()} ", "device_name": "TRAINING-LAPTOP-7", "device_key": key})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(devices.list_devices(hq.engine)) == 1
    # Another key, or none, with the used code: refused, as for anyone else holding it.
    assert enroll(hq, {"code": code, "device_key": secrets.token_urlsafe(32)}).status_code == 403
    assert enroll(hq, {"code": code}).status_code == 403
    # The token works; once the device is revoked, the retry no longer answers.
    laptop = RawLaptop(hq, again.json()["token"], "100234", "NORTH")
    room = session()
    assert laptop.push(item("session", room), item("attendance", attendance(room, "600001")))[1] == ("created", "")
    assert devices.set_device_flag(hq.engine, first.json()["device_id"], "revoked")
    assert enroll(hq, {"code": code, "device_key": key}).status_code == 403
    # Older laptops send no key: their code still works once.
    plain = devices.issue_code(hq.engine, "100235", "NORTH")
    assert enroll(hq, {"code": plain, "device_name": "old laptop"}).status_code == 200
    assert enroll(hq, {"code": plain, "device_name": "old laptop"}).status_code == 403


def test_a_malformed_enrollment_is_refused(hq: Hq) -> None:
    for body in (
        {"code": 7},
        {"code": "AAAA", "device_name": "bad\ud800name"},
        {"code": "AAAA", "device_name": "line\nbreak"},
        {"code": "AAAA", "device_key": "short"},
        {"code": "A" * 100},
        ["code"],
    ):
        assert enroll(hq, body).status_code == 400, body
    assert devices.list_devices(hq.engine) == []


def test_enrollment_reads_only_a_small_body(hq: Hq) -> None:
    huge = b'{"code": "' + b"A" * (30 * 1024 * 1024) + b'"}'
    answer = requests.post(hq.url + "/v1/enroll", data=huge, headers=HEADERS, timeout=30)
    assert answer.status_code == 413
    chunks = iter([b'{"code": "'] + [b"A" * 65536] * 16 + [b'"}'])  # no declared size
    assert requests.post(hq.url + "/v1/enroll", data=chunks, headers=HEADERS, timeout=30).status_code == 413
    deep = b"[" * 2000 + b"]" * 2000  # deeper than the JSON parser recurses
    assert requests.post(hq.url + "/v1/enroll", data=deep, headers=HEADERS, timeout=10).status_code == 400


def enroll_from(hq: Hq, address: str, code: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", hq.port, timeout=10, source_address=(address, 0))
    try:
        body = json.dumps({"code": code, "device_name": "laptop"})
        connection.request("POST", "/v1/enroll", body, {**HEADERS, "Content-Type": "application/json"})
        answer = connection.getresponse()
        answer.read()
        return answer.status, answer.getheader("Retry-After") or ""
    finally:
        connection.close()


def test_wrong_codes_are_limited_per_client_address(hq: Hq) -> None:
    statuses = [enroll_from(hq, "127.0.0.1", "0000-0000-0000-0000") for _ in range(WRONG_CODES_ALLOWED + 5)]
    assert [s for s, _ in statuses] == [403] * WRONG_CODES_ALLOWED + [429] * 5
    assert all(int(wait) > 0 for _, wait in statuses[WRONG_CODES_ALLOWED:])
    # While it waits, even a right code from that address is not looked at; another address enrolls.
    code = devices.issue_code(hq.engine, "100234", "NORTH")
    assert enroll_from(hq, "127.0.0.1", code)[0] == 429
    assert enroll_from(hq, "127.0.0.2", code)[0] == 200


def test_enroll_code_refuses_a_past_expiry_and_an_unknown_unit(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = ["--home", str(tmp_path / "admin"), "--db", hq.engine.url.render_as_string(hide_password=False)]
    assert hq_main([*admin, "enroll-code", "--trainer", "100234", "--unit", "NORTH", "--hours", "-5"]) == 1
    assert "1 to 720 hours" in capsys.readouterr().err
    assert hq_main([*admin, "enroll-code", "--trainer", "100234", "--unit", "NOWHERE"]) == 1
    assert "unknown unit 'NOWHERE'" in capsys.readouterr().err
    assert hq_main([*admin, "enroll-code", "--trainer", "100234", "--unit", "NORTH", "--hours", "1"]) == 0
    code = capsys.readouterr().out.strip()
    assert enroll(hq, {"code": code}).status_code == 200


def test_enroll_code_gives_a_training_leads_laptop_its_role(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = ["--home", str(tmp_path / "admin"), "--db", hq.engine.url.render_as_string(hide_password=False)]
    with pytest.raises(SystemExit):  # argparse refuses a role it does not know, and lists the choices
        hq_main([*admin, "enroll-code", "--trainer", "100800", "--unit", "NORTH", "--role", "boss"])
    assert "invalid choice: 'boss'" in capsys.readouterr().err
    assert hq_main([*admin, "enroll-code", "--trainer", "100800", "--unit", "NORTH", "--role", "training_lead"]) == 0
    code = capsys.readouterr().out.strip()
    assert enroll(hq, {"code": code}).status_code == 200
    assert hq_main([*admin, "devices", "list"]) == 0
    listed = capsys.readouterr().out
    assert "100800" in listed and "training_lead" in listed


def test_enroll_code_lists_the_codes_waiting_and_withdraws_one(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """At a terminal as in the console: `enroll-code list` names each code waiting to be used by its reference,
    never the code; `enroll-code withdraw REF` withdraws one, which then enrolls no laptop, and withdrawing it
    again changes nothing and says what became of it."""
    admin = ["--home", str(tmp_path / "admin"), "--db", hq.engine.url.render_as_string(hide_password=False)]
    assert hq_main([*admin, "enroll-code", "--trainer", "100234", "--unit", "NORTH"]) == 0
    lost = capsys.readouterr().out.strip()
    assert hq_main([*admin, "enroll-code", "--trainer", "100235", "--unit", "NORTH", "--role", "training_lead"]) == 0
    kept = capsys.readouterr().out.strip()
    assert hq_main([*admin, "enroll-code", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and not any(lost in line or kept in line for line in listed)
    (line,) = [line for line in listed if "100234" in line]
    assert "NORTH" in line and "expires" in line and "by trainer-desk-hq" in line
    assert hq_main([*admin, "enroll-code", "withdraw", line.split()[0]]) == 0
    assert "the code for 100234 in NORTH is withdrawn" in capsys.readouterr().out
    assert enroll(hq, {"code": lost}).status_code == 403
    assert hq_main([*admin, "enroll-code", "withdraw", line.split()[0]]) == 1
    assert "It was withdrawn already" in capsys.readouterr().err
    assert enroll(hq, {"code": kept}).status_code == 200
    assert hq_main([*admin, "enroll-code", "list"]) == 0
    assert capsys.readouterr().out == ""


def test_a_code_is_asked_about_without_being_used_and_a_wrong_one_counts_as_a_guess(hq: Hq) -> None:
    """The laptop asks which unit a code enrolls for before the trainer enrolls; the code still enrolls after,
    and a wrong code asked about is one of the address's guesses, as at enrollment."""
    code = devices.issue_code(hq.engine, "100234", "EAST")
    check = requests.post(hq.url + "/v1/enroll/check", json={"code": code.lower()}, headers=HEADERS, timeout=10)
    assert (check.status_code, check.json()) == (200, {"unit": "EAST", "unit_name": "East"})
    assert enroll(hq, {"code": code, "device_name": "laptop"}).json()["unit"] == "EAST"
    for _ in range(WRONG_CODES_ALLOWED):
        wrong = requests.post(hq.url + "/v1/enroll/check", json={"code": code}, headers=HEADERS, timeout=10)
        assert wrong.status_code == 403  # used now
    assert enroll(hq, {"code": "0000-0000-0000-0000", "device_name": "laptop"}).status_code == 429
