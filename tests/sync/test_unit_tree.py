"""Any force's own units: HQ imports the force's unit tree and a roster that names those units, laptops receive
the tree with the roster, and every choice and report uses that force's units and none of the built-in ones."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import AppPaths
from trainer_desk.report_jobs import ExportRequest, run_export
from trainer_desk.store import roster, units
from trainer_desk.workspace import open_workspace

FERNSHIRE = """
[[unit]]
code = "FERN"
name = "Fernshire Constabulary"
kind = "force"

[[unit]]
code = "FERN-NORTH"
name = "Fernshire North"
kind = "BCU"
parent = "FERN"

[[unit]]
code = "FERN-COAST"
name = "Coast and Harbour"
kind = "BCU"
parent = "FERN"

[[unit]]
code = "FERN-OPS"
name = "Operations Command"
kind = "command"
parent = "FERN"
"""

ROSTER = [
    ("F10001", "Małgorzata", "Wiśniewska", "FERN-NORTH", "officer"),
    ("F10002", "Siôn", "ap Dafydd", "FERN-COAST", "staff"),
    ("F10003", "Thị Hương", "Nguyễn", "FERN-OPS", "officer"),
    ("F10004", "伟", "王", "FERN-NORTH", "staff"),
]


def hq_command(hq: Hq, tmp_path: Path, *args: str) -> int:
    return hq_main(
        ["--db", str(hq.engine.url.render_as_string(hide_password=False)), "--home", str(tmp_path / "hq"), *args]
    )


def test_a_force_s_own_unit_tree_reaches_laptops_and_reports(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster_file = tmp_path / "roster.csv"
    with roster_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Staff Number", "First Name", "Last Name", "Unit", "Type", "Start Date"])
        writer.writerows([(*row, "02/11/2026" if n == 0 else "") for n, row in enumerate(ROSTER)])
    assert hq_command(hq, tmp_path, "import-roster", str(roster_file)) == 1  # before the tree: unknown units
    assert "row 2, column unit: is not a known unit" in capsys.readouterr().err

    tree = tmp_path / "units.toml"
    tree.write_text(FERNSHIRE, encoding="utf-8")
    assert hq_command(hq, tmp_path, "units", "import", str(tree)) == 0
    assert "4 units read: 4 added, 0 changed, 0 retired" in capsys.readouterr().out
    assert hq_command(hq, tmp_path, "units", "list") == 0
    assert capsys.readouterr().out.splitlines() == [
        "FERN  Fernshire Constabulary  [force]",
        "  FERN-COAST  Coast and Harbour  [BCU]",
        "  FERN-NORTH  Fernshire North  [BCU]",
        "  FERN-OPS  Operations Command  [command]",
    ]
    assert hq_command(hq, tmp_path, "import-roster", str(roster_file)) == 0
    with pytest.raises(Exception, match="unknown unit 'NORTH'"):
        hq_devices.issue_code(hq.engine, "F10001", "NORTH")  # the demonstration units are gone at HQ

    laptop = open_workspace(AppPaths.resolve(tmp_path / "laptop"))
    assert hq_link.enroll(laptop, hq.url, hq_devices.issue_code(hq.engine, "F10001", "FERN-NORTH")) == "FERN-NORTH"
    hq_link.sync_once(laptop)
    shown = {u.code: u.name for u in units.list_units(laptop.db)}
    assert shown == {
        "FERN": "Fernshire Constabulary",
        "FERN-NORTH": "Fernshire North",
        "FERN-COAST": "Coast and Harbour",
        "FERN-OPS": "Operations Command",
    }
    people = laptop.db.execute("SELECT staff_number FROM people WHERE removed = 0 ORDER BY 1").fetchall()
    assert [p[0] for p in people] == ["F10001", "F10002", "F10003", "F10004"]  # the demo roster is gone too
    joiner = roster.get_person(laptop.db, "F10001")
    assert joiner is not None and joiner.joined == date(2026, 11, 2)  # HR's joining date travels with the roster

    report = run_export(
        laptop,
        ExportRequest(
            "compliance",
            "csv",
            tmp_path / "compliance.csv",
            programme="signa",
            date_from=date(2026, 1, 1),
            date_to=date(2026, 12, 31),
        ),
        "training lead",
    )
    text = report.read_text(encoding="utf-8")
    assert "Fernshire North" in text and "Coast and Harbour" in text
    assert "Central East" not in text and "SO-PROTECTION" not in text and "Specialist Operations" not in text

    # The force renames one unit and merges another away: the laptop follows; records keep their unit code.
    tree.write_text(
        FERNSHIRE.replace('name = "Coast and Harbour"', 'name = "Coastal"').split('[[unit]]\ncode = "FERN-OPS"')[0]
    )
    assert hq_command(hq, tmp_path, "units", "import", str(tree)) == 0
    assert "3 units read: 0 added, 1 changed, 1 retired" in capsys.readouterr().out
    hq_link.sync_once(laptop)
    assert {u.code: u.name for u in units.list_units(laptop.db)} == {
        "FERN": "Fernshire Constabulary",
        "FERN-NORTH": "Fernshire North",
        "FERN-COAST": "Coastal",
    }
    laptop.close()


def test_a_broken_unit_tree_is_refused_whole_with_each_problem_named(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "units.toml"
    tree.write_text(
        FERNSHIRE
        + '\n[[unit]]\ncode = "fern north"\nname = "Typo"\nkind = "team"\n'
        + '\n[[unit]]\ncode = "FERN-X"\nname = "Orphan"\nkind = "team"\nparent = "FERN-NOWHERE"\n',
        encoding="utf-8",
    )
    assert hq_command(hq, tmp_path, "units", "import", str(tree)) == 1
    err = capsys.readouterr().err
    assert "2 problem(s) in the unit tree; nothing was imported" in err
    assert "unit 5 (FERN NORTH): code must be" in err
    assert "unit FERN-X: parent FERN-NOWHERE is not a unit in the file" in err
    assert hq_command(hq, tmp_path, "units", "list") == 0
    assert "no unit tree imported" in capsys.readouterr().out
