"""An HQ administrator granted on one unit (`users add admin.north --role admin --unit NORTH`), signed in through
the console's own sign-in form against a real HQ on loopback. The console showed them NORTH alone, yet let them
issue an enrollment code for a lead's laptop in EAST (which then receives all of EAST's registers), flag any
device, export an EAST officer's subject-access file, and reach the force-wide pages (roster, lesson content,
backups, walk-ins of every unit, the audit trail). Each cross-unit action must now answer "Not found" and each
force-wide one be refused, while the same action in NORTH works, and an administrator of the whole of HQ keeps
everything."""

from __future__ import annotations

import io
import json

import pytest
import requests

from tests.hq.console_kit import PASSWORD, admin, csrf_token, signed_in_http
from tests.hq_server import Hq
from trainer_desk.hq import devices
from trainer_desk.hq.cli import main as hq_main

FORCE_WIDE = ["/console/walk-ins", "/console/units", "/console/roster", "/console/content", "/console/faq-questions",
              "/console/backups", "/console/records", "/console/audit"]  # fmt: skip


@pytest.fixture
def unit_admin(hq: Hq, force: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    """The reviewer's account: an administrator granted on NORTH only."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "admin.north", "--role", "admin", "--unit", "NORTH"]) == 0
    return "admin.north"


def _post(http: requests.Session, hq: Hq, form_page: str, target: str, data: dict[str, str]) -> requests.Response:
    """Posts `data` to `target` with the CSRF token of the signed-in session (read from a page it may open)."""
    token = csrf_token(http.get(hq.url + form_page, timeout=10).text)
    return http.post(hq.url + target, data={**data, "csrf": token}, timeout=10, allow_redirects=False)


def _device_of(hq: Hq, unit: str) -> dict[str, object]:
    return next(d for d in devices.list_devices(hq.engine) if d["unit"] == unit)


def _enrol(http: requests.Session, hq: Hq, unit: str) -> requests.Response:
    data = {"trainer": "710001", "unit": unit, "role": "training_lead", "hours": "72"}
    return _post(http, hq, "/console/", "/console/enrollment", data)


def test_a_unit_admin_issues_enrollment_codes_for_their_unit_only(hq: Hq, unit_admin: str) -> None:
    """An EAST lead's code would hand NORTH's administrator every EAST register: it is refused as "Not found",
    and EAST is not even offered; NORTH's code is issued as before."""
    http = signed_in_http(hq, unit_admin)
    form = http.get(hq.url + "/console/enrollment", timeout=10)
    assert form.status_code == 200
    assert '<option value="NORTH"' in form.text and 'value="EAST"' not in form.text  # the units it may choose
    east = _enrol(http, hq, "EAST")
    assert east.status_code == 404 and "Not found" in east.text and 'class="code"' not in east.text
    north = _enrol(http, hq, "NORTH")
    assert north.status_code == 200 and 'class="code"' in north.text, north.text


def test_a_unit_admin_flags_only_their_units_devices(hq: Hq, unit_admin: str) -> None:
    """Revoking or reporting lost another unit's laptop (which then wipes itself) is "Not found" and leaves it
    alone; a NORTH laptop is flagged."""
    http = signed_in_http(hq, unit_admin)
    east, north = _device_of(hq, "EAST"), _device_of(hq, "NORTH")
    refused = _post(http, hq, "/console/devices", f"/console/devices/{east['id']}", {"flag": "lost"})
    assert refused.status_code == 404 and "Not found" in refused.text
    assert not _device_of(hq, "EAST")["lost"]
    done = _post(http, hq, "/console/devices", f"/console/devices/{north['id']}", {"flag": "lost"})
    assert done.status_code == 303
    assert _device_of(hq, "NORTH")["lost"]


def test_a_unit_admin_exports_subject_access_only_for_people_in_their_unit(hq: Hq, unit_admin: str) -> None:
    """An EAST officer's file is "Not found" (and no export is recorded); a NORTH officer's downloads."""
    http = signed_in_http(hq, unit_admin)
    east = _post(http, hq, "/console/subject-access", "/console/subject-access", {"staff_number": "720002"})
    assert east.status_code == 404 and "Not found" in east.text
    assert "application/json" not in east.headers["content-type"]
    north = _post(http, hq, "/console/subject-access", "/console/subject-access", {"staff_number": "710001"})
    assert north.status_code == 200 and json.loads(north.text)["staff number"] == "710001"


@pytest.mark.any_database  # what the account is told and refused
def test_a_unit_admin_is_refused_every_force_wide_page_and_action(hq: Hq, unit_admin: str) -> None:
    """Roster, lesson content, programme rules, FAQ answers, backups, every unit's walk-ins, every person's
    records and the audit trail act on (or show) the whole force: refused, and not offered in the menu."""
    http = signed_in_http(hq, unit_admin)
    menu = http.get(hq.url + "/console/", timeout=10).text
    for path in FORCE_WIDE:
        assert http.get(hq.url + path, timeout=10).status_code == 403, path
        assert f'href="{path}"' not in menu, path
    assert 'href="/console/enrollment"' in menu and 'href="/console/subject-access"' in menu
    made = _post(http, hq, "/console/", "/console/backups", {})
    assert made.status_code == 403
    assert not (hq.blobs.parent / "backups").exists() or not any((hq.blobs.parent / "backups").iterdir())
    rules = _post(http, hq, "/console/", "/console/programmes/signa", {"role_officer": "yes"})
    assert rules.status_code == 403
    walk_in = _post(http, hq, "/console/", "/console/walk-ins/x", {"action": "dismiss", "reason": "r"})
    assert walk_in.status_code == 403
    removal = _post(http, hq, "/console/", "/console/records/retention", {"years": "1", "cutoff": "2000-01-01"})
    assert removal.status_code == 403


def test_a_whole_hq_admin_keeps_everything(hq: Hq, force: dict[str, str]) -> None:
    """The fix narrows the unit-limited grant only: an administrator of the whole of HQ still enrols, flags
    and exports in any unit and reaches every force-wide page."""
    http = signed_in_http(hq, "hq.admin")
    assert _enrol(http, hq, "EAST").status_code == 200
    east = _device_of(hq, "EAST")
    assert _post(http, hq, "/console/devices", f"/console/devices/{east['id']}", {"flag": "revoked"}).status_code == 303
    assert _device_of(hq, "EAST")["revoked"]
    export = _post(http, hq, "/console/subject-access", "/console/subject-access", {"staff_number": "720002"})
    assert export.status_code == 200 and json.loads(export.text)["staff number"] == "720002"
    for path in FORCE_WIDE:
        assert http.get(hq.url + path, timeout=10).status_code == 200, path


@pytest.mark.any_database  # what the account is told and refused
def test_users_add_says_plainly_what_a_unit_admin_may_not_do(
    hq: Hq, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'on NORTH' alone read as "everything, in NORTH": the command now says what stays force-wide."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "admin.north", "--role", "admin", "--unit", "NORTH"]) == 0
    said = capsys.readouterr().out
    assert "HQ administrator on North:" in said and "whole of HQ" in said  # the unit as its people name it
    for force_wide in ("roster", "lesson content", "backups", "walk-ins", "audit trail"):
        assert force_wide in said, force_wide
