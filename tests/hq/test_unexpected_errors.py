"""When HQ's database refuses a statement, the person is told plainly what happened and what to do, a laptop gets
the API's usual JSON error, and HQ's error output names the kind of error but never the values the statement
carried: a staff number there would be personal data in every log HQ's error output is kept in."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Page, expect
from sqlalchemy import text

from tests.hq.console_kit import sign_in
from tests.hq_server import Hq
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

pytestmark = pytest.mark.any_database


def _table_gone(hq: Hq, table: str) -> None:
    """The table HQ writes to is out of its reach, as if the database had failed under it."""
    with hq.engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE {table} RENAME TO {table}_away"))


def _error_output(hq: Hq) -> str:
    return (hq.blobs.parent / "serve.log").read_text(errors="replace")


def test_a_database_error_is_said_plainly_and_no_personal_data_reaches_the_error_output(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "hq.admin")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    _table_gone(hq, "hq_audit")  # the subject access export is recorded there before it is given
    page.goto(hq.url + "/console/subject-access")
    page.get_by_label("Staff number").fill("710001")
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_role("heading", name="Something went wrong")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "HQ's database could not finish that just now, so none of it was saved. Try again in a minute; if it "
        "keeps happening, tell HQ's administrator the time it happened."
    )
    expect(page.get_by_role("link", name="Back to the dashboard")).to_be_visible()
    logged = _error_output(hq)
    assert "POST /console/subject-access failed" in logged  # the error is there to be looked into
    assert "OperationalError" in logged or "ProgrammingError" in logged
    assert "710001" not in logged
    assert "staff number" not in logged


def test_a_laptop_gets_the_apis_error_shape_when_the_database_fails(hq: Hq) -> None:
    _table_gone(hq, "enrollment_codes")
    answer = requests.post(
        hq.url + "/v1/enroll/check",
        json={"code": "ABCD-EFGH-JKLM"},
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        timeout=10,
    )
    assert answer.status_code == 500
    assert answer.json() == {
        "detail": "HQ's database could not finish that just now, so none of it was saved. Try again in a "
        "minute; if it keeps happening, tell HQ's administrator the time it happened."
    }
    assert "ABCD-EFGH-JKLM" not in _error_output(hq)
