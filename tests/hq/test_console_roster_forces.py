"""One HQ serving three forces (Northshire, Westshire and Eastshire Police): a roster upload is one force's HR
export and replaces that force's roster alone. Once, Westshire's file (its people only) listed every Northshire
and Eastshire officer as leaving, and Westshire's own administrator could not upload it at all."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.hq.console_kit import PASSWORD, admin, csrf_token, sign_in, signed_in_http
from tests.hq.test_console import excel_roster
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.units import import_units
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either

THREE_FORCES = [
    UnitNode("NST", "Northshire Police", "force"),
    UnitNode("NST-1", "Northshire BCU", "BCU", "NST"),
    UnitNode("WST", "Westshire Police", "force"),
    UnitNode("WST-1", "Westshire BCU", "BCU", "WST"),
    UnitNode("EST", "Eastshire Police", "force"),
    UnitNode("EST-1", "Eastshire BCU", "BCU", "EST"),
]
PEOPLE = [
    Person("710001", "Aleksandra", "Wiśniewska", "NST-1", PersonRole.OFFICER),
    Person("710002", "Rhys", "ap Gwilym", "NST-1", PersonRole.STAFF),
    Person("720001", "Ífeoma", "Okafor", "WST-1", PersonRole.OFFICER),
    Person("720002", "Trần", "Văn Minh", "WST-1", PersonRole.STAFF),
    Person("720003", "Siobhán", "Ní Bhriain", "WST-1", PersonRole.OFFICER),
    Person("730001", "Yusuf", "Al-Masri", "EST-1", PersonRole.OFFICER),
]
# Westshire's next export: Siobhán has left, Trần is now an officer, and Ffion has joined.
WESTSHIRE = [
    "720001\tÍfeoma\tOkafor\tWST-1\tofficer",
    "720002\tTrần\tVăn Minh\tWST-1\tofficer",
    "720004\tFfion\tLlywelyn\tWestshire BCU\tofficer",
]
OTHERS = {"NST-1": 2, "EST-1": 1}  # Northshire's and Eastshire's people, as they were


@pytest.fixture
def three_forces(hq: Hq, monkeypatch: pytest.MonkeyPatch) -> None:
    import_units(hq.engine, THREE_FORCES)
    hq_roster.import_roster(hq.engine, PEOPLE)
    for username, unit in (("hq.admin", ""), ("west.admin", "WST")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert (
            hq_main([*admin(hq), "users", "add", username, "--role", "admin", *(["--unit", unit] if unit else [])]) == 0
        )


def preview(page: Page, path: Path) -> None:
    page.get_by_label("Roster file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()


def count(page: Page, row: str) -> str:
    return page.get_by_role("table", name="Preview").get_by_role("row", name=row).get_by_role("cell").inner_text()


def test_a_forces_export_replaces_that_forces_roster_and_leaves_the_others_as_they_were(
    page: Page, hq: Hq, three_forces: None, tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Roster").click()
    force = page.get_by_label("Force whose roster this is")
    expect(force.get_by_role("option")).to_have_text(
        ["Choose a force", "Eastshire Police", "Northshire Police", "Westshire Police"]
    )
    preview(page, excel_roster(tmp_path, "westshire.csv", WESTSHIRE))  # no force chosen: the form is not sent
    assert force.evaluate("select => select.validity.valueMissing")
    expect(page.get_by_role("table", name="Preview")).to_have_count(0)

    # A row of another force's unit is refused by its row, naming that force to one who may see every force.
    force.select_option(label="Westshire Police")
    preview(page, excel_roster(tmp_path, "mixed.csv", [*WESTSHIRE, "710002\tRhys\tap Gwilym\tNST-1\tstaff"]))
    expect(page.get_by_label("Roster file")).to_have_accessible_description(
        "mixed.csv: nothing can be imported. row 5, column D \"Unit\": 'NST-1' is a unit of Northshire Police, "
        "not of Westshire Police Is this the right force? Rows name units of another force: choose the force whose "
        "roster this file is, or take those rows out of Westshire Police's file."
    )

    force.select_option(label="Westshire Police")
    preview(page, excel_roster(tmp_path, "westshire.csv", WESTSHIRE))
    expect(page.get_by_role("main")).to_contain_text("This replaces the roster of Westshire Police alone")
    assert [count(page, r) for r in ("Added", "Updated", "Left (kept, marked as left)", "Unchanged")] == [
        "1", "1", "1", "1",
    ]  # fmt: skip
    expect(page.get_by_role("list", name="Who would be marked as left")).to_have_text(
        "720003 Siobhán Ní Bhriain, Westshire BCU (WST-1)"
    )
    expect(page.get_by_role("main")).to_contain_text("1 of the 3 people on the roster (33%) would be marked as left")
    page.get_by_label("Yes, this many people have left").check()
    page.get_by_role("button", name="Apply this roster").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Roster of Westshire Police imported: 1 added, 1 updated, 1 left"
    )
    assert hq_roster.roster_sizes(hq.engine) == {**OTHERS, "WST-1": 3}


def test_another_forces_file_says_whose_units_it_names_and_keeps_the_force_chosen(
    page: Page, hq: Hq, three_forces: None, tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Roster").click()
    force = page.get_by_label("Force whose roster this is")
    force.select_option(label="Northshire Police")
    preview(page, excel_roster(tmp_path, "westshire.csv", WESTSHIRE))
    said = page.get_by_label("Roster file")
    expect(said).to_have_accessible_description(re.compile(
        "'WST-1' is a unit of Westshire Police, not of Northshire Police: rows 2 and 3 "
        "row 4, column D \"Unit\": 'Westshire BCU' is a unit of Westshire Police, not of Northshire Police .*"
        "Is this the right force?"
    ))  # fmt: skip
    expect(said).not_to_have_accessible_description(re.compile("not a known unit"))
    expect(force).to_have_value("NST")  # the refusal keeps the force chosen, to change or to keep

    preview(page, excel_roster(tmp_path, "westshire.csv", WESTSHIRE[:1]))  # no force chosen again: still there
    expect(force).to_have_value("NST")


def test_a_forces_administrator_uploads_their_own_forces_roster_and_no_other(
    page: Page, hq: Hq, three_forces: None, tmp_path: Path
) -> None:
    sign_in(page, hq, "west.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Roster").click()
    expect(page.get_by_role("main")).to_contain_text(
        "This replaces the roster of Westshire Police, the force your account is granted on."
    )
    expect(page.get_by_label("Force whose roster this is")).to_have_count(0)
    preview(page, excel_roster(tmp_path, "westshire.csv", WESTSHIRE))
    expect(page.get_by_role("table", name="Preview").get_by_role("row", name="Left")).to_contain_text("1")
    page.get_by_label("Yes, this many people have left").check()
    page.get_by_role("button", name="Apply this roster").click()
    expect(page.get_by_role("status")).to_contain_text("Roster of Westshire Police imported: 1 added")
    assert hq_roster.roster_sizes(hq.engine) == {**OTHERS, "WST-1": 3}

    # Sent as if Northshire had been chosen, with Northshire's file: still Westshire's roster, so refused.
    http = signed_in_http(hq, "west.admin")
    token = csrf_token(http.get(hq.url + "/console/roster", timeout=10).text)
    northshire = excel_roster(tmp_path, "northshire.csv", ["710001\tAleksandra\tWiśniewska\tNST-1\tofficer"])
    sent = http.post(
        hq.url + "/console/roster",
        data={"csrf": token, "force": "NST"},
        files={"file": ("northshire.csv", northshire.read_bytes())},
        timeout=10,
    )
    assert sent.status_code == 400 and "&#39;NST-1&#39; is not a known unit" in sent.text
    assert hq_roster.roster_sizes(hq.engine) == {**OTHERS, "WST-1": 3}


def test_pages_acting_on_all_of_hq_say_so_to_a_forces_administrator_naming_their_force(
    page: Page, hq: Hq, three_forces: None
) -> None:
    sign_in(page, hq, "west.admin")
    for path in ("/console/units", "/console/content", "/console/backups"):
        page.goto(hq.url + path)
        expect(page.get_by_role("main")).to_contain_text(
            "This acts on the whole of HQ (every force): it needs a grant on the whole of HQ, and yours is on "
            "Westshire Police."
        )
    page.goto(hq.url + "/console/")
    menu = page.get_by_role("navigation", name="Console")
    expect(menu.get_by_role("link", name="Units")).to_have_count(0)
    expect(menu.get_by_role("link", name="Roster")).to_have_count(1)


def test_the_command_line_imports_one_forces_roster_named_with_force(
    hq: Hq, three_forces: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = excel_roster(tmp_path, "westshire.csv", WESTSHIRE)
    assert hq_main([*admin(hq), "import-roster", str(file)]) != 0
    assert "say whose roster this is with --force, one of EST (Eastshire Police)" in capsys.readouterr().err
    assert hq_main([*admin(hq), "import-roster", str(file), "--force", "WST", "--allow-shrink"]) == 0
    assert "3 people read: 1 added, 1 updated, 1 left" in capsys.readouterr().out
    assert hq_roster.roster_sizes(hq.engine) == {**OTHERS, "WST-1": 3}


def test_the_compliance_summary_names_each_units_force_on_an_hq_of_several(hq: Hq, three_forces: None) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    http = signed_in_http(hq, "hq.admin")
    got = http.get(hq.url + "/console/records/compliance-summary.csv", timeout=10)
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0] == ["Force", "Unit", "Unit code", "Programme", "Completed", "Must complete it", "Part of"]
    assert [
        "Westshire Police",
        "Westshire BCU",
        "WST-1",
        "Signa",
        "0",
        "3",
        "Westshire Police",
    ] in rows  # the BCU by name, in its force, part of the force's row


def test_a_staff_number_held_in_another_force_is_refused_without_saying_whose_and_saying_what_to_do(
    browser: Browser, hq: Hq, three_forces: None, tmp_path: Path
) -> None:
    """Westshire's administrator was told that 710002 "is on another force's roster" (who exists there) and to
    wait for that force to mark them as left, even where it is a different person given the same number."""
    file = excel_roster(
        tmp_path,
        "westshire.csv",
        [*WESTSHIRE, "710002\tRhys\tap Gwilym\tWST-1\tstaff", "710001\tGwen\tPryce\tWST-1\tofficer"],
    )
    west = browser.new_context().new_page()
    sign_in(west, hq, "west.admin")
    west.goto(hq.url + "/console/roster")
    preview(west, file)
    said = west.get_by_role("main")
    expect(said).to_contain_text(
        "Not imported: staff numbers 710001, 710002 cannot be used: HQ already holds those numbers for people "
        "outside Westshire Police. Staff numbers must be unique across every force on this HQ; ask HQ's national "
        "administrator."
    )
    for theirs in ("Northshire", "Rhys", "Aleksandra", "Wiśniewska"):
        expect(said).not_to_contain_text(theirs)

    national = browser.new_context().new_page()
    sign_in(national, hq, "hq.admin")
    national.goto(hq.url + "/console/roster")
    national.get_by_label("Force whose roster this is").select_option(label="Westshire Police")
    preview(national, file)
    said = national.get_by_role("main")
    expect(said).to_contain_text(
        "staff number 710001 is Aleksandra Wiśniewska on Northshire Police's roster, and Gwen Pryce in this file: "
        "two people with one number."
    )
    expect(said).to_contain_text(
        "staff number 710002 is Rhys ap Gwilym on Northshire Police's roster. If they are moving to Westshire "
        "Police, import Northshire Police's roster without them first (they are then marked as left there), then "
        "this one."
    )
    assert hq_roster.roster_sizes(hq.engine) == {**OTHERS, "WST-1": 3}  # nothing was imported
    west.context.close()
    national.context.close()


def test_the_command_line_says_whose_roster_holds_a_clashing_number(
    hq: Hq, three_forces: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """HQ's own operator sees every force's roster, so is told whose it is and what to do, as the console tells
    an administrator of the whole of HQ."""
    file = excel_roster(tmp_path, "westshire.csv", [*WESTSHIRE, "710002\tRhys\tap Gwilym\tWST-1\tstaff"])
    assert hq_main([*admin(hq), "import-roster", str(file), "--force", "WST", "--allow-shrink"]) != 0
    said = capsys.readouterr().err
    assert "staff number 710002 is Rhys ap Gwilym on Northshire Police's roster. If they are moving" in said
    assert hq_roster.roster_sizes(hq.engine) == {**OTHERS, "WST-1": 3}
