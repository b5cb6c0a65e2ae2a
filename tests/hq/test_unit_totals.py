"""A BCU's figures are the BCU's and its teams' together, wherever they are read: the dashboard's rows, the
Reports page's download for the unit, and the command line's summary agree with the unit's own page. The
dashboard once counted only the people placed in the BCU itself, and the Reports download for a BCU listed
nine people outstanding where its page listed forty-eight."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.hq.console_kit import admin, chased, sign_in, signed_in_http
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import read_unit_tree
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import unit_tree_import
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import bundled

TREE = """
[[unit]]
code = "FERN"
name = "Fernshire Constabulary"
kind = "force"

[[unit]]
code = "NORTH"
name = "North"
kind = "BCU"
parent = "FERN"

[[unit]]
code = "EAST"
name = "East"
kind = "BCU"
parent = "FERN"

[[unit]]
code = "NORTH-CID"
name = "North CID"
kind = "team"
parent = "NORTH"

[[unit]]
code = "NORTH-NPT"
name = "North Neighbourhood Policing"
kind = "team"
parent = "NORTH"
"""

OFFICER = PersonRole.OFFICER
ROSTER = [
    Person("710001", "Aleksandra", "Wiśniewska", "NORTH", OFFICER),  # trained (the force's NORTH session)
    Person("710002", "Rhys", "ap Gwilym", "NORTH", OFFICER),
    Person("710003", "Nguyễn", "Thị Lan", "NORTH", OFFICER),
    Person("730001", "Grzegorz", "Brzęczyszczykiewicz", "NORTH-CID", OFFICER),  # trained below
    Person("730002", "Siân", "Llewelyn", "NORTH-CID", OFFICER),  # trained below
    Person("730003", "Trần", "Văn Minh", "NORTH-CID", OFFICER),
    Person("730004", "Layla", "Haddad", "NORTH-CID", OFFICER),
    Person("740001", "Wei", "Zhang", "NORTH-NPT", OFFICER),  # trained below
    Person("740002", "Dafydd", "ap Rhys", "NORTH-NPT", OFFICER),
    Person("720001", "Yusuf", "Al-Masri", "EAST", OFFICER),  # trained (the force's EAST session)
    Person("720002", "秀英", "王", "EAST", OFFICER),
]


@pytest.fixture
def fernshire(hq: Hq, force: dict[str, str], tmp_path: Path) -> None:
    """Fernshire's tree with North's two teams, its roster, and a North session where three of the teams'
    people were trained: North has 9 people (4 trained), its teams 4 (2) and 2 (1), East 2 (1)."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    (tmp_path / "units.toml").write_text(TREE, encoding="utf-8")
    unit_tree_import.apply_tree(hq.engine, read_unit_tree(tmp_path / "units.toml", "units.toml"))
    hq_roster.import_roster(hq.engine, ROSTER)
    run = session("NORTH", ("100234",))
    pushed = [item("session", run), *(item("attendance", attendance(run, n)) for n in ("730001", "730002", "740001"))]
    assert RawLaptop.enrolled(hq, "100234", "NORTH").push(*pushed) == [("created", "")] * 4


def test_the_dashboard_counts_each_unit_with_those_under_it(page: Page, hq: Hq, fernshire: None) -> None:
    sign_in(page, hq, "hq.admin")
    page.goto(hq.url + "/console/?programme=signa")
    table = page.get_by_role("table", name="Signa: completion per unit")
    rows = table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].innerText.trim(), r.cells[1].innerText, r.cells[2].innerText,"
        " parseFloat(getComputedStyle(r.cells[0]).paddingLeft)])"
    )
    indent = {row[3] for row in rows}
    assert [row[:3] for row in rows] == [
        ["Fernshire Constabulary", "5", "11"],  # the force: everyone
        ["East", "1", "2"],
        ["North", "4", "9"],  # its own three people and its teams' six
        ["North CID", "2", "4"],  # under North, by name
        ["North Neighbourhood Policing", "1", "2"],
    ]
    assert rows[0][3] < rows[1][3] == rows[2][3] < rows[3][3] == rows[4][3] and len(indent) == 3  # set under
    north = table.get_by_role("row", name=re.compile(r"^North \d"))
    north.get_by_role("link", name="North", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("5 of the 9 who must complete it have not")
    under = page.get_by_role("table", name="North: completion in each unit under it")
    assert under.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].innerText.trim(), r.cells[1].innerText, r.cells[2].innerText])"
    ) == [["North CID", "2", "4"], ["North Neighbourhood Policing", "1", "2"], ["North itself", "1", "3"]]
    chase = page.get_by_role("table", name="Outstanding in North")
    expect(chase.get_by_role("row", name=re.compile("Layla Haddad"))).to_contain_text("North CID")  # where they are
    # North's teams are units of the tree: the roster's own team column is empty, so neither filter nor column.
    expect(page.get_by_label("Team", exact=True)).to_have_count(0)
    expect(chase.get_by_role("columnheader")).to_have_text(
        ["Name", "Due", "Booked for", "Staff number", "Unit", "Role", "Rank or grade"]
    )
    answer = page.request.get(hq.url + "/console/units/NORTH/outstanding.csv?programme=signa")
    header = next(csv.reader(io.StringIO(answer.body().decode("utf-8-sig"))))
    assert "team" not in header and header[:3] == ["staff_number", "name", "unit"]


def test_the_reports_download_for_a_bcu_lists_its_teams_outstanding_too(
    page: Page, hq: Hq, fernshire: None, tmp_path: Path
) -> None:
    sign_in(page, hq, "lead.north")
    page.goto(hq.url + "/console/reports")
    page.get_by_label("Programme", exact=True).select_option(label="Signa")
    page.get_by_label("Unit", exact=True).select_option(label="North")
    page.get_by_label("CSV chase list").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    saved = tmp_path / "chase.csv"
    download.value.save_as(saved)
    listed = sorted(row["staff_number"] for row in csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert listed == ["710002", "710003", "730003", "730004", "740002"]  # as North's page lists them
    unit_page = signed_in_http(hq, "lead.north").get(hq.url + "/console/units/NORTH?programme=signa", timeout=10)
    assert chased(unit_page.text) == listed


def test_the_command_line_summary_says_which_row_counts_each_unit_too(
    hq: Hq, fernshire: None, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert hq_main([*admin(hq), "compliance-summary"]) == 0
    rows = [r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["Programme"] == "Signa"]
    assert {(r["Unit"], r["Unit code"], r["Part of"], r["Completed"], r["Must complete it"]) for r in rows} == {
        ("Fernshire Constabulary", "FERN", "", "5", "11"),
        ("North", "NORTH", "Fernshire Constabulary", "4", "9"),
        ("East", "EAST", "Fernshire Constabulary", "1", "2"),
        ("North CID", "NORTH-CID", "North", "2", "4"),
        ("North Neighbourhood Policing", "NORTH-NPT", "North", "1", "2"),
    }  # each unit, and the row counting it too, by name


def test_the_reports_pdf_for_a_bcu_counts_its_teams_in_its_row_and_names_the_force(
    page: Page, hq: Hq, fernshire: None, tmp_path: Path
) -> None:
    """The PDF a lead takes to a meeting said North was 0 of 3 (the people placed in North itself) while its
    headline, the dashboard and the laptop said 4 of 9; and it was headed "Trainer Desk HQ", where the same
    report from the lead's laptop names the force."""
    sign_in(page, hq, "lead.north")
    page.goto(hq.url + "/console/reports")
    page.get_by_label("Programme", exact=True).select_option(label="Signa")
    page.get_by_label("Unit", exact=True).select_option(label="North")
    page.get_by_label("PDF report").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    saved = tmp_path / "north.pdf"
    download.value.save_as(saved)
    lines = [line.strip() for p in PdfReader(saved).pages for line in p.extract_text().splitlines()]
    text = "\n".join(lines)
    assert "Fernshire Constabulary" in text and "Trainer Desk HQ" not in text
    assert "4 of the 9 who must complete it have done so" in " ".join(text.split())
    table = lines[lines.index("Completion by unit") :]
    north = table.index("North")  # its row: Must complete it, Completed, Outstanding, %
    assert table[north + 1 : north + 5] == ["9", "4", "5", "44.4"]
