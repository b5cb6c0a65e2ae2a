"""Wrong passwords at the console's sign-in hold back guessing without letting a stranger lock people out: counted
per account and network address (and in the database, so every worker process counts the same ones), an
address trying many accounts is slowed rather than shut, the wait is said plainly, and the audit trail gets one
line per lockout rather than one per attempt. Addresses are as HQ's proxy reports them (X-Forwarded-For)."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.hq.console_kit import PASSWORD
from tests.hq_server import Hq, running_hq
from trainer_desk.hq import audit_trail

HELD_BACK = (
    "Too many wrong passwords for this account from your network address: try again in 15 minutes, or ask an HQ "
    "administrator to reset its password."
)


def sign_in_from(hq: Hq, address: str, username: str, password: str) -> requests.Response:
    """One attempt on a connection of its own (so a server with several workers may give it to any)."""
    http = requests.Session()
    http.headers["X-Forwarded-For"] = address
    page = http.get(hq.url + "/console/sign-in", timeout=10).text
    token = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    data = {"username": username, "password": password, "csrf": token}
    answer = http.post(hq.url + "/console/sign-in", data=data, timeout=10)
    http.close()
    return answer


def lockouts(hq: Hq) -> list[str]:
    return [e["detail"] for e in audit_trail.search(hq.engine) if e["action"] == "sign-in locked"]


def test_a_guesser_elsewhere_cannot_lock_out_the_account_and_workers_share_the_count(
    hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "two").mkdir()
    with running_hq(hq.engine.url.render_as_string(hide_password=False), tmp_path / "two", workers=2) as two:
        for attempt in range(5):
            assert sign_in_from(two, "10.1.1.1", "lead.north", f"guess {attempt}").status_code == 401
        held = sign_in_from(two, "10.1.1.1", "lead.north", PASSWORD)  # even the right one, from there
        assert held.status_code == 429 and HELD_BACK in held.text
        # The lead, at their own station, signs in as ever.
        assert "Sign out" in sign_in_from(two, "10.2.2.2", "lead.north", PASSWORD).text
    assert lockouts(hq) == ["5 wrong passwords for this account from 10.1.1.1"]  # once, not per attempt
    assert not [e for e in audit_trail.search(hq.engine) if e["action"].startswith("sign-in") and "10.2" in e["detail"]]


def test_an_address_trying_many_accounts_is_slowed_but_its_colleagues_still_sign_in(
    hq: Hq, force: dict[str, str]
) -> None:
    for n in range(30):  # someone at a shared station trying usernames
        assert sign_in_from(hq, "10.3.3.3", f"made.up.{n}", "password guess").status_code == 401
    # A colleague behind the same address, on an account it has not been failing on, signs in.
    assert "Sign out" in sign_in_from(hq, "10.3.3.3", "hq.viewer", PASSWORD).text
    # From that address, one wrong password now holds an account back.
    assert sign_in_from(hq, "10.3.3.3", "hq.admin", "one typo").status_code == 401
    held = sign_in_from(hq, "10.3.3.3", "hq.admin", PASSWORD)
    assert held.status_code == 429 and HELD_BACK in held.text
    assert "Sign out" in sign_in_from(hq, "10.4.4.4", "hq.admin", PASSWORD).text
    assert lockouts(hq) == ["30 wrong passwords from 10.3.3.3 within 15 minutes"]
