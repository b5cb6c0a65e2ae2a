"""One HQ serving three forces (Northshire, Westshire and Eastshire Police): a roster upload is one force's HR
export and replaces that force's roster alone. Once, Westshire's file (its people only) listed every Northshire
and Eastshire officer as leaving, and Westshire's own administrator could not upload it at all."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import PASSWORD, admin, csrf_token, sign_in, signed_in_http
from tests.hq.test_console import excel_roster
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.units import import_units

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

    # A row of another force's unit is refused by its row, as any unit the force does not have.
    force.select_option(label="Westshire Police")
    preview(page, excel_roster(tmp_path, "mixed.csv", [*WESTSHIRE, "710002\tRhys\tap Gwilym\tNST-1\tstaff"]))
    expect(page.get_by_label("Roster file")).to_have_accessible_description(
        "mixed.csv: nothing can be imported. row 5, column D \"Unit\": 'NST-1' is not a known unit "
        "Give each person's unit by its name or code, as known here: Westshire BCU (WST-1), Westshire Police (WST)."
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
