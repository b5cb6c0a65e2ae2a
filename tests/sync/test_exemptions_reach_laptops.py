"""Exemptions reach every laptop of the force through HQ: one recorded in the console, or on another laptop,
is counted by a training lead's laptop as HQ counts it. Once HQ only ever received them: the lead exempted one
person in the console, a trainer another on their laptop, and after syncing the lead's laptop still chased
both and said "47 of 82" while HQ's dashboard said "47 of 79". A laptop enrolled later, or before laptops were
given exemptions, is given every one HQ holds at its next sync."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import requests

from tests.hq.console_kit import PASSWORD, admin, chased, csrf_token, signed_in_http
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from tests.two_forces import TWO_FORCES
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.reports import ComplianceReport, Letterhead
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import exemptions as hq_exemptions
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.units import import_units
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import exemptions, reports
from trainer_desk.store.attendance import add_attendee
from trainer_desk.store.sessions import create_session
from trainer_desk.sync import credentials
from trainer_desk.sync.protocol import PROTOCOL_HEADER
from trainer_desk.workspace import Workspace, open_workspace

NORTH = [
    Person("710061", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER),  # trained
    Person("710062", "Rhys", "ap Gwilym", "NORTH", PersonRole.STAFF),
    Person("710063", "Nguyễn", "Thị Lan", "NORTH", PersonRole.OFFICER),
    Person("710064", "Yusuf", "Al-Masri", "NORTH", PersonRole.STAFF),
]
ELSEWHERE = Person("820001", "Siân", "Pryce", "DALES-1", PersonRole.OFFICER)  # another force's officer


@pytest.fixture
def north(hq: Hq, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Workspace, Workspace]]:
    """NORTH's roster with one person trained, a console account for its lead, and two laptops that have
    synced: a trainer's and the BCU training lead's."""
    _north_at_hq(hq, monkeypatch)
    trainer = _laptop(tmp_path, hq, "trainer", "100234", "trainer")
    lead = _laptop(tmp_path, hq, "lead", "100800", "training_lead")
    yield trainer, lead
    trainer.close()
    lead.close()


def _north_at_hq(hq: Hq, monkeypatch: pytest.MonkeyPatch) -> None:
    """NORTH's roster and lesson content at HQ, one person trained there, and a console account for its lead."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_roster.import_roster(hq.engine, NORTH)
    run = session("NORTH", ("100234",))
    sent = RawLaptop.enrolled(hq, "100234", "NORTH").push(
        item("session", run), item("attendance", attendance(run, "710061"))
    )
    assert sent == [("created", "")] * 2
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "lead.north", "--role", "lead", "--unit", "NORTH"]) == 0


def _laptop(tmp_path: Path, hq: Hq, name: str, staff_number: str, role: str) -> Workspace:
    workspace = open_workspace(AppPaths.resolve(tmp_path / name))
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, staff_number, "NORTH", role=role))
    hq_link.sync_once(workspace)
    return workspace


def _exempt_in_console(hq: Hq, number: str, kind: str, reason: str) -> None:
    """The lead fills in the console's Exemptions page."""
    http = signed_in_http(hq, "lead.north")
    token = csrf_token(http.get(hq.url + "/console/exemptions", timeout=10).text)
    answer = http.post(
        hq.url + "/console/exemptions",
        data={"staff_number": number, "programme": "signa", "kind": kind, "reason": reason, "csrf": token},
        timeout=10,
    )
    assert answer.status_code == 200 and f"({number}) " in answer.text and "Recorded: " in answer.text, answer.text


def _hq_says(hq: Hq) -> tuple[str, list[str]]:
    """The lead's dashboard headline and NORTH's chase list in the console."""
    http = signed_in_http(hq, "lead.north")
    dashboard = http.get(hq.url + "/console/?programme=signa", timeout=10).text
    headline = re.search(r'id="trend-summary">\s*<strong>([^<]*)</strong>', dashboard)
    assert headline is not None
    unit = http.get(hq.url + "/console/units/NORTH?programme=signa", timeout=10).text
    return headline.group(1), chased(unit)


def _report(workspace: Workspace) -> ComplianceReport:
    """The compliance report the laptop's Reports view makes for NORTH."""
    return reports.compliance(
        workspace.db,
        Letterhead("Demonstration Police Service", "OFFICIAL-SENSITIVE"),
        "signa",
        "SIGNA",
        "NORTH",
        date(2026, 11, 1),
        date(2026, 11, 30),
    )


def _laptop_says(workspace: Workspace) -> tuple[str, list[str]]:
    report = _report(workspace)
    return f"{report.completed} of {report.people}", sorted(o.staff_number for o in report.outstanding)


def test_exemptions_from_the_console_and_another_laptop_are_counted_on_the_leads_laptop(
    hq: Hq, north: tuple[Workspace, Workspace]
) -> None:
    trainer, lead = north
    assert _laptop_says(lead) == _hq_says(hq) == ("1 of 4", ["710062", "710063", "710064"])

    _exempt_in_console(hq, "710064", "exempt", "long-term sick leave")
    exemptions.record(trainer.db, "710063", "signa", ExemptionKind.EXEMPT, "on secondment", "100234", datetime.now(UTC))
    assert hq_link.sync_once(trainer).flagged == 0
    hq_link.sync_once(lead)

    assert _hq_says(hq) == ("1 of 2", ["710062"])
    assert _laptop_says(lead) == ("1 of 2", ["710062"])  # no longer "1 of 4", chasing both
    assert sorted(o.staff_number for o in _report(lead).excused) == ["710063", "710064"]
    # The trainer's laptop counts the console's exemption too, and still holds its own once, reason and all.
    assert _laptop_says(trainer) == ("1 of 2", ["710062"])
    held = trainer.db.execute("SELECT staff_number, reason FROM exemptions ORDER BY staff_number").fetchall()
    assert [tuple(row) for row in held] == [("710063", "on secondment"), ("710064", "")]
    # What a laptop is given of someone else's exemption is what it counts by: not why, nor who recorded it.
    given = lead.db.execute("SELECT reason, recorded_by FROM exemptions").fetchall()
    assert [tuple(row) for row in given] == [("", ""), ("", "")]
    # Nothing pulled goes back to HQ as if the laptop had recorded it.
    assert hq_link.sync_once(lead).pushed == 0
    assert hq_link.sync_once(trainer).pushed == 0


def test_the_newest_exemption_for_a_person_wins_on_every_laptop_as_at_hq(
    hq: Hq, north: tuple[Workspace, Workspace]
) -> None:
    trainer, lead = north
    # The trainer records one before the lead records another in the console, but sends it after: HQ
    # received the trainer's last, so the trainer's counts, at HQ and on both laptops.
    exemptions.record(
        trainer.db, "710062", "signa", ExemptionKind.EXEMPT, "long-term sick leave", "100234", datetime.now(UTC)
    )
    _exempt_in_console(hq, "710062", "other-way", "trained one to one")
    hq_link.sync_once(trainer)
    hq_link.sync_once(lead)

    def kinds(workspace: Workspace) -> dict[str, ExemptionKind]:
        return exemptions.for_programme(workspace.db, "signa")

    assert hq_exemptions.for_programme(hq.engine, "signa").kinds == {"710062": ExemptionKind.EXEMPT}
    assert kinds(trainer) == kinds(lead) == {"710062": ExemptionKind.EXEMPT}
    [(reason,)] = trainer.db.execute("SELECT reason FROM exemptions").fetchall()
    assert reason == "long-term sick leave"  # its own record, not overwritten by its echo
    assert _laptop_says(lead) == _hq_says(hq) == ("1 of 3", ["710063", "710064"])

    # Recorded again in the console: now that one is the newest, everywhere.
    _exempt_in_console(hq, "710062", "other-way", "back, and trained one to one")
    hq_link.sync_once(trainer)
    hq_link.sync_once(lead)
    assert kinds(trainer) == kinds(lead) == {"710062": ExemptionKind.OTHER_WAY}
    assert _laptop_says(trainer) == _laptop_says(lead) == _hq_says(hq) == ("2 of 4", ["710063", "710064"])


def test_no_laptop_is_given_another_forces_exemptions(hq: Hq, tmp_path: Path) -> None:
    """Where HQ serves several forces, a laptop learns its own force's exemptions and none of another's; and
    a laptop on the previous protocol, which is given no one's completions, is given no exemptions either."""
    import_units(hq.engine, TWO_FORCES)
    hq_roster.import_roster(hq.engine, [*NORTH, ELSEWHERE])
    fern = _laptop(tmp_path, hq, "fern", "100234", "trainer")
    dales = open_workspace(AppPaths.resolve(tmp_path / "dales"))
    try:
        hq_link.enroll(dales, hq.url, hq_devices.issue_code(hq.engine, "800001", "DALES-1", role="training_lead"))
        hq_link.sync_once(dales)
        exemptions.record(
            fern.db, "710063", "signa", ExemptionKind.EXEMPT, "on secondment", "100234", datetime.now(UTC)
        )
        exemptions.record(
            dales.db, "820001", "signa", ExemptionKind.EXEMPT, "maternity leave", "800001", datetime.now(UTC)
        )
        hq_link.sync_once(fern)
        hq_link.sync_once(dales)
        hq_link.sync_once(fern)
        assert exemptions.for_programme(fern.db, "signa") == {"710063": ExemptionKind.EXEMPT}
        assert exemptions.for_programme(dales.db, "signa") == {"820001": ExemptionKind.EXEMPT}

        token = credentials.load_token(dales.paths.data_dir, dales.keychain)
        assert token is not None
        for protocol in ("2", "1"):
            answer = requests.get(
                hq.url + "/v1/changes",
                params={"since": 0, "limit": 500},
                headers={PROTOCOL_HEADER: protocol, "Authorization": f"Bearer {token}"},
                timeout=10,
            )
            assert answer.status_code == 200
            given = answer.json().get("exemptions", [])
            assert [e["staff_number"] for e in given] == (["820001"] if protocol == "2" else [])
    finally:
        fern.close()
        dales.close()


def test_an_exemption_recorded_before_a_laptop_enrolled_is_counted_on_it_after_its_first_sync(
    hq: Hq, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A laptop's first pull is the force as HQ holds it at once (`GET /v1/snapshot`), not its history: the
    exemptions HQ held before the laptop enrolled come in it, or it would chase people HQ has excused."""
    _north_at_hq(hq, monkeypatch)
    trainer = _laptop(tmp_path, hq, "trainer", "100234", "trainer")
    try:
        _exempt_in_console(hq, "710064", "exempt", "long-term sick leave")
        exemptions.record(
            trainer.db, "710063", "signa", ExemptionKind.EXEMPT, "on secondment", "100234", datetime.now(UTC)
        )
        hq_link.sync_once(trainer)

        lead = _laptop(tmp_path, hq, "lead", "100800", "training_lead")  # enrolled now, and synced once
        try:
            assert _laptop_says(lead) == _hq_says(hq) == ("1 of 2", ["710062"])
            given = lead.db.execute("SELECT staff_number, reason, recorded_by FROM exemptions ORDER BY 1").fetchall()
            assert [tuple(row) for row in given] == [("710063", "", ""), ("710064", "", "")]
            assert hq_link.sync_once(lead).pushed == 0  # none of them goes back as the lead's own
            assert hq_link.sync_once(lead).roster_changes == 0  # and its first pull is not made again
        finally:
            lead.close()
    finally:
        trainer.close()


def test_a_laptop_that_synced_before_exemptions_were_given_catches_up_once_and_keeps_its_own(
    hq: Hq, north: tuple[Workspace, Workspace]
) -> None:
    """A laptop from before exemptions were given paged past every one recorded until then: at its first sync
    with them it starts its pull again from HQ's whole record, once, and nothing of its own is lost."""
    trainer, _ = north
    exemptions.record(trainer.db, "710063", "signa", ExemptionKind.EXEMPT, "on secondment", "100234", datetime.now(UTC))
    hq_link.sync_once(trainer)
    _exempt_in_console(hq, "710064", "exempt", "long-term sick leave")
    hq_link.sync_once(trainer)
    # What such a laptop's database holds: its cursor past the console's exemption, which it never took in,
    # and no note that it has been given exemptions.
    with trainer.db.atomic():
        trainer.db.execute("DELETE FROM exemptions WHERE staff_number = '710064'")
        trainer.db.execute("DELETE FROM sync_state WHERE key = 'whole_pulls'")
    assert _laptop_says(trainer) == ("1 of 3", ["710062", "710064"])

    # Meanwhile the trainer trains someone, not sent yet.
    plan = load_library(bundled("lesson_plans")).get("signa-core")
    assert plan is not None
    run = Session(
        new_uuid(),
        PlanRef(plan.id, plan.version, plan.programme.id),
        "NORTH",
        "Training room 2",
        DeliveryMode.IN_PERSON,
        datetime(2026, 11, 20, 9, tzinfo=UTC),
        trainers=("100234",),
    )
    create_session(trainer.db, run, run.starts_at)
    add_attendee(trainer.db, run, NORTH[1], AttendanceStatus.PRESENT, "100234", run.starts_at)

    report = hq_link.sync_once(trainer)
    assert report.pushed >= 2 and report.roster_changes == len(NORTH)  # sent, then HQ's whole record again
    assert trainer.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
    assert _laptop_says(trainer) == _hq_says(hq) == ("2 of 2", [])
    held = trainer.db.execute("SELECT staff_number, reason FROM exemptions ORDER BY staff_number").fetchall()
    assert [tuple(row) for row in held] == [("710063", "on secondment"), ("710064", "")]
    following = hq_link.sync_once(trainer)
    assert (following.pushed, following.roster_changes) == (0, 0)  # caught up once, not at every sync


def _withdraw_in_console(hq: Hq, number: str, reason: str) -> None:
    """The lead follows the person's Withdraw link on the Exemptions page and gives the reason."""
    http = signed_in_http(hq, "lead.north")
    listed = http.get(hq.url + "/console/exemptions", timeout=10).text
    holding = listed.split("<caption>Exemptions that hold", 1)[1].split("</table>", 1)[0]
    [row] = [r for r in holding.split("<tr>") if f"({number})" in r]
    link = re.search(r'href="(/console/exemptions/[0-9a-f-]{36}/withdraw)"', row)
    assert link is not None
    token = csrf_token(http.get(hq.url + link.group(1), timeout=10).text)
    answer = http.post(hq.url + link.group(1), data={"reason": reason, "csrf": token}, timeout=10)
    assert answer.status_code == 200 and f"({number}) is counted again for Signa" in answer.text, answer.text


def test_an_exemption_withdrawn_in_the_console_is_chased_again_on_every_laptop(
    hq: Hq, north: tuple[Workspace, Workspace], tmp_path: Path
) -> None:
    """Withdrawn at HQ, an exemption stops counting on laptops that held it (at their next sync) and on a
    laptop enrolled afterwards (its first pull), as in the console. A laptop cannot withdraw one itself."""
    trainer, lead = north
    exemptions.record(trainer.db, "710063", "signa", ExemptionKind.EXEMPT, "on secondment", "100234", datetime.now(UTC))
    _exempt_in_console(hq, "710064", "exempt", "long-term sick leave")
    hq_link.sync_once(trainer)
    hq_link.sync_once(lead)
    assert _laptop_says(trainer) == _laptop_says(lead) == _hq_says(hq) == ("1 of 2", ["710062"])

    _withdraw_in_console(hq, "710063", "back from secondment")  # the trainer's own, recorded on their laptop
    _withdraw_in_console(hq, "710064", "recorded for the wrong person")
    assert _hq_says(hq) == ("1 of 4", ["710062", "710063", "710064"])
    assert hq_link.sync_once(trainer).flagged == 0
    hq_link.sync_once(lead)
    assert _laptop_says(trainer) == _laptop_says(lead) == ("1 of 4", ["710062", "710063", "710064"])
    assert not _report(lead).excused
    assert hq_link.sync_once(trainer).pushed == 0  # nothing of the withdrawal goes back as the laptop's own

    later = _laptop(tmp_path, hq, "later", "100801", "training_lead")
    try:
        assert _laptop_says(later) == ("1 of 4", ["710062", "710063", "710064"])
        assert not later.db.execute("SELECT 1 FROM exemptions").fetchall()
    finally:
        later.close()

    # Recorded again after the withdrawal, the exemption holds again, everywhere.
    _exempt_in_console(hq, "710064", "exempt", "long-term sick leave, from today")
    hq_link.sync_once(lead)
    assert _laptop_says(lead) == _hq_says(hq) == ("1 of 3", ["710062", "710063"])

    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    withdrawal = {"uuid": new_uuid(), "staff_number": "710062", "programme_id": "signa", "kind": "withdrawn",
                  "reason": "", "recorded_by": "100234", "recorded_at": datetime.now(UTC).isoformat()}  # fmt: skip
    [(status, reason)] = laptop.push(item("exemption", withdrawal))
    assert status == "refused" and "withdrawn in HQ's console" in reason
