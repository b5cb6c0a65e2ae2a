"""A lead's laptop holding HQ's unit tree counts a BCU with the teams under it, as HQ's console does, and names
the force as HQ's tree does: read back from the PDFs and the chase list the command line writes."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.export.test_reports import pdf_pages
from tests.northshire import NORTH_OUTSTANDING, PERIOD, synced_from_hq
from trainer_desk.__main__ import main
from trainer_desk.workspace import Workspace

COMPLIANCE = ["export", "compliance", "--programme", "signa", "--from", PERIOD[0], "--to", PERIOD[1]]


def test_a_bcus_report_and_chase_list_count_the_people_and_sessions_of_its_teams(
    workspace: Workspace, tmp_path: Path
) -> None:
    synced_from_hq(workspace)
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    pdf, chase = tmp_path / "north.pdf", tmp_path / "north.csv"
    assert main([*data, *COMPLIANCE, "--unit", "NORTH", "-o", str(pdf)]) == 0
    pages = pdf_pages(pdf)
    flat = " ".join(" ".join(pages).split())
    assert "Signa: compliance for North BCU" in flat
    assert "5 of the 10 who must complete it have done so (50.0%); 1 session delivered" in flat
    # The BCU's row is its total, its teams under it; the force's other BCUs are not in a BCU's report.
    assert "North BCU 10 5 5 50.0" in flat
    assert "North CID 2 0 2 0.0 North Neighbourhood 3 3 0 100.0 North Response 4 2 2 50.0" in flat
    assert "East" not in flat and "West" not in flat
    assert "Outstanding (5)" in flat and "Łukasiewicz" in flat and "Brzęczyszczykiewicz" not in flat

    assert main([*data, *COMPLIANCE, "--unit", "NORTH", "--format", "csv", "-o", str(chase)]) == 0
    with chase.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((r["staff_number"], r["name"], r["unit"]) for r in rows) == sorted(
        (
            p.staff_number,
            p.full_name,
            {"NORTH": "North BCU", "NORTH-RESP": "North Response"}.get(p.unit_code, "North CID"),
        )
        for p in NORTH_OUTSTANDING
    )


def test_the_whole_force_report_gives_each_bcu_its_total_with_its_teams_under_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    synced_from_hq(workspace)
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    pdf = tmp_path / "force.pdf"
    assert main([*data, *COMPLIANCE, "-o", str(pdf)]) == 0
    flat = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "6 of the 15 who must complete it have done so (40.0%)" in flat
    table = flat[flat.index("Unit Must complete it Completed Outstanding %") :]
    assert table.startswith(
        "Unit Must complete it Completed Outstanding % Northshire Police 15 6 9 40.0"
        " East BCU 3 1 2 33.3 East CID 1 0 1 0.0 East Response 1 1 0 100.0"
        " North BCU 10 5 5 50.0 North CID 2 0 2 0.0 North Neighbourhood 3 3 0 100.0 North Response 4 2 2 50.0"
        " West BCU 2 0 2 0.0 West Response 2 0 2 0.0 "
    )


def test_every_page_the_laptop_prints_names_the_force_as_hqs_tree_does(workspace: Workspace, tmp_path: Path) -> None:
    session = synced_from_hq(workspace)
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    report, sheet = tmp_path / "report.pdf", tmp_path / "sheet.pdf"
    assert main([*data, *COMPLIANCE, "--unit", "NORTH", "-o", str(report)]) == 0
    assert main([*data, "export", "attendance", session.uuid[:8], "-o", str(sheet)]) == 0
    for path in (report, sheet):
        for page in pdf_pages(path):
            assert "Demonstration Police Service" not in page
            assert page.count("Northshire Police") >= 1  # the footer's, and the title's on a sheet
