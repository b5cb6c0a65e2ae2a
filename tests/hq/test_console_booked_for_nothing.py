"""Nobody is booked on a session they do not need: planning names those expected who have completed the
programme already, or are exempt from it, and books them only if the lead says so (as it does for people due
elsewhere at that time); recording an exemption says which sessions of it the person is still booked on and
takes them off, which the trainer's laptop learns at its next sync. The programme chosen last stays chosen."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.dates import ahead, short_date
from tests.hq.console_kit import FORCE, admin, sign_in
from tests.hq_server import Hq
from tests.test_sessions_cli import booking_list
from trainer_desk import hq_link
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import planning as hq_planning
from trainer_desk.hq import units as hq_units
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import attendance, sessions
from trainer_desk.workspace import open_workspace

EXPECTED = "People expected: a staff number a line, or separated by commas"
# The fixture's Signa session (23 Nov 2026), where Aleksandra Wiśniewska (710001) was present.
COMPLETED = "Aleksandra Wiśniewska (710001) completed Signa on 23 Nov 2026"


def publish(hq: Hq) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_units.import_units(
        hq.engine, [UnitNode("FERN", "Fernshire Police", "force"), UnitNode("NORTH", "North BCU", "BCU", "FERN")]
    )


def record_exemption(page: Page, number: str, reason: str, kind: str = "exempt", take_off: bool = True) -> None:
    """The Exemptions page's form for Signa, as a lead fills it in."""
    record = page.get_by_role("form", name="Record an exemption")
    record.get_by_label("Staff number").fill(number)
    record.get_by_label("Programme").select_option("signa")
    record.get_by_label("completed another way" if kind == "other-way" else "exempt", exact=True).check()
    record.get_by_label("Reason").fill(reason)
    if not take_off:  # ticked unless the lead unticks it
        record.get_by_label("Take them off any session of it they are booked on").uncheck()
    record.get_by_role("button", name="Record the exemption").click()


@pytest.mark.any_database  # what the person sees: the same on either database
def test_those_who_completed_it_or_are_exempt_are_named_before_they_are_booked(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    publish(hq)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    record_exemption(page, "710003", "on long-term secondment")

    page.get_by_role("link", name="Plan a session").click()
    page.get_by_label("Lesson plan").select_option("signa-core")
    page.get_by_label("Starts").fill(f"{ahead(40)}T09:30")
    page.get_by_label("Venue").fill("Room 1, Northgate")
    page.get_by_label("Trainers' staff numbers (the first leads)").fill("720002")
    page.get_by_label(EXPECTED).fill("710001\n710002\n710003")
    page.get_by_role("button", name="Plan the session").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Not planned: 2 of the people named have completed Signa already or are exempt")
    expect(refusal).to_contain_text(COMPLETED)
    expect(refusal).to_contain_text("Nguyễn Thị Lan (710003) is exempt from Signa")
    expect(refusal).not_to_contain_text("710002")  # still to do it
    expect(refusal).to_contain_text("Take them off this one, or plan it anyway.")
    assert len(hq_planning.list_sessions(hq.engine, "NORTH")) == 1  # the fixture's: nothing planned

    page.get_by_label("Plan it anyway").check()
    page.get_by_role("button", name="Plan the session").click()
    expect(page.get_by_role("status")).to_have_text("Planned, with 3 people booked.")


@pytest.mark.any_database
def test_an_exemption_takes_the_person_off_the_sessions_they_are_booked_on_and_the_laptop_learns_it(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    publish(hq)
    day = ahead(30)
    planned = hq_planning.plan_session(
        hq.engine, hq.blobs, plan_id="signa-core", starts_at=datetime.fromisoformat(f"{day}T09:30+00:00"),
        venue="Room 2, Northgate", unit="NORTH", trainers=["710001"], expected=["710002", "710003"],
    )  # fmt: skip
    laptop = open_workspace(AppPaths.resolve(tmp_path / "trainer"))
    hq_link.enroll(laptop, hq.url, hq_devices.issue_code(hq.engine, "710001", "NORTH"))
    hq_link.sync_once(laptop)

    def booked_on_laptop() -> set[str]:
        return {line.attendance.staff_number for line in attendance.register(laptop.db, planned.session.uuid)}

    assert booked_on_laptop() == {"710002", "710003"}

    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    record_exemption(page, "710002", "on long-term sick leave")
    on = f"Signa, {short_date(day)}, North BCU"
    expect(page.get_by_role("status")).to_have_text(
        f"Recorded: Rhys ap Gwilym (710002) exempt from Signa. Taken off {on}."
    )
    # This one keeps the booking, as the box is unticked: it is said.
    record_exemption(page, "710003", "completed it one to one", kind="other-way", take_off=False)
    expect(page.get_by_role("status")).to_have_text(
        f"Recorded: Nguyễn Thị Lan (710003) completed Signa another way. Still booked on {on}."
    )
    page.goto(f"{hq.url}/console/sessions/{planned.session.uuid}")
    register = page.get_by_role("table", name="Register: 1 person")
    expect(register).to_contain_text("Nguyễn Thị Lan")
    expect(register).not_to_contain_text("Rhys ap Gwilym")

    hq_link.sync_once(laptop)
    assert booked_on_laptop() == {"710003"}
    assert [s.uuid for s in sessions.list_sessions(laptop.db)] == [planned.session.uuid]


@pytest.mark.any_database
def test_each_form_starts_on_the_programme_chosen_last(page: Page, hq: Hq, force: dict[str, str]) -> None:
    """Recording several Signa exemptions meant choosing Signa each time; Reports and Plan a session, too,
    started on the first in the list however often the lead had chosen another."""
    publish(hq)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    record = page.get_by_role("form", name="Record an exemption")
    record.get_by_label("Staff number").fill("710002")
    record.get_by_label("Programme").select_option("signa")
    record.get_by_label("Reason").fill("on long-term sick leave")
    record.get_by_role("button", name="Record the exemption").click()
    expect(page.get_by_role("status")).to_have_text("Recorded: Rhys ap Gwilym (710002) exempt from Signa")
    expect(record.get_by_label("Programme")).to_have_value("signa")

    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Programme").select_option("upstander")
    with page.expect_download():
        page.get_by_role("button", name="Download").click()

    page.get_by_role("link", name="Plan a session").click()
    page.get_by_label("Lesson plan").select_option("signa-core")
    page.get_by_label("Starts").fill(f"{ahead(40)}T09:30")
    page.get_by_label("Venue").fill("Room 1, Northgate")
    page.get_by_label("Trainers' staff numbers (the first leads)").fill("710001")
    page.get_by_role("button", name="Plan the session").click()
    expect(page.get_by_role("status")).to_have_text("Planned, with 0 people booked.")

    page.get_by_role("link", name="Plan a session").click()
    expect(page.get_by_label("Lesson plan")).to_have_value("signa-core")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_label("Programme")).to_have_value("upstander")
    page.get_by_role("link", name="Exemptions").click()
    expect(page.get_by_label("Programme")).to_have_value("signa")


# On both databases: who completed it is read by a query of its own.
def test_the_command_line_refuses_to_book_someone_who_completed_it_unless_told_anyway(
    hq: Hq, force: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(hq)
    listed = booking_list(tmp_path, [p for p in FORCE if p.staff_number in ("710001", "710002")])
    plan = ["sessions", "plan", "--plan", "signa-core", "--at", f"{ahead(40)}T09:30", "--venue", "Room 9",
            "--unit", "NORTH", "--trainer", "710003", "--expect", str(listed)]  # fmt: skip
    assert hq_main([*admin(hq), *plan]) == 1
    refused = capsys.readouterr().err
    assert COMPLETED in refused and "710002" not in refused and "plan it anyway" in refused
    assert len(hq_planning.list_sessions(hq.engine, "NORTH")) == 1  # the fixture's
    assert hq_main([*admin(hq), *plan, "--anyway"]) == 0
    assert "2 expected" in capsys.readouterr().out


@pytest.mark.any_database
def test_withdrawing_an_exemption_offers_to_book_them_again_on_the_sessions_it_took_them_off(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """Withdrawn (recorded for the wrong person, say), the person is counted again, and the lead is told of
    the sessions the exemption took them off that are still ahead: one click books them on those again."""
    publish(hq)
    day = ahead(30)
    planned = hq_planning.plan_session(
        hq.engine, hq.blobs, plan_id="signa-core", starts_at=datetime.fromisoformat(f"{day}T09:30+00:00"),
        venue="Room 2, Northgate", unit="NORTH", trainers=["710001"], expected=["710002", "710003"],
    )  # fmt: skip
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    record_exemption(page, "710002", "recorded for the wrong person")
    on = f"Signa, {short_date(day)}, North BCU"
    expect(page.get_by_role("status")).to_have_text(
        f"Recorded: Rhys ap Gwilym (710002) exempt from Signa. Taken off {on}."
    )

    holds = page.get_by_role("table", name="Exemptions that hold in your units, newest first")
    holds.get_by_role("link", name="Withdraw Rhys ap Gwilym's exemption from Signa").click()
    page.get_by_label("Why it is withdrawn").fill("recorded for the wrong person")
    page.get_by_role("button", name="Withdraw the exemption").click()
    expect(page.get_by_role("status")).to_have_text("Withdrawn: Rhys ap Gwilym (710002) is counted again for Signa")
    offer = page.get_by_role("form", name="Book them again")
    expect(offer).to_contain_text(f"They were taken off {on}:")
    offer.get_by_role("button", name="Book them on it again").focus()
    page.keyboard.press("Enter")  # by keyboard, as by mouse
    expect(page.get_by_role("status")).to_have_text(f"Booked again: Rhys ap Gwilym (710002) on {on}.")
    expect(page.get_by_role("form", name="Book them again")).to_have_count(0)

    page.goto(f"{hq.url}/console/sessions/{planned.session.uuid}")
    register = page.get_by_role("table", name="Register: 2 people")
    expect(register).to_contain_text("Rhys ap Gwilym")
