"""Any force's own units: HQ imports the force's unit tree and a roster that names those units, laptops receive
the tree with the roster, and every choice and report uses that force's units and none of the built-in ones."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import requests

from tests.hq.raw_laptop import RawLaptop, attendance, item
from tests.hq.raw_laptop import session as raw_session
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import AppPaths
from trainer_desk.report_jobs import ExportRequest, run_export
from trainer_desk.store import completions, roster, units
from trainer_desk.sync.protocol import PROTOCOL_HEADER
from trainer_desk.workspace import Workspace, open_workspace

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
    assert """column D "Unit": 'FERN-NORTH' is not a known unit: rows 2 and 5""" in capsys.readouterr().err

    tree = tmp_path / "units.toml"
    tree.write_text(FERNSHIRE, encoding="utf-8")
    assert hq_command(hq, tmp_path, "units", "import", str(tree)) == 0
    # The demonstration units, which nothing named, are replaced outright: none is counted retired.
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

    # The force renames one unit and merges another away: the laptop follows; records keep their unit code. Not
    # while someone on the roster is still in the unit merged away: they would be in a unit HQ no longer offers.
    tree.write_text(
        FERNSHIRE.replace('name = "Coast and Harbour"', 'name = "Coastal"').split('[[unit]]\ncode = "FERN-OPS"')[0]
    )
    assert hq_command(hq, tmp_path, "units", "import", str(tree)) == 1
    assert "FERN-OPS (Operations Command) is left out, yet still has 1 person on the roster." in capsys.readouterr().err
    with roster_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Staff Number", "First Name", "Last Name", "Unit", "Type"])
        writer.writerows([(*row[:3], "FERN-NORTH" if row[3] == "FERN-OPS" else row[3], row[4]) for row in ROSTER])
    assert hq_command(hq, tmp_path, "import-roster", str(roster_file)) == 0
    capsys.readouterr()
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
    assert "2 problems in the unit tree; nothing was imported" in err
    assert "unit 5 (FERN NORTH): code must be" in err
    assert "unit FERN-X: parent FERN-NOWHERE is not a unit in the file" in err
    assert hq_command(hq, tmp_path, "units", "list") == 0
    assert "no unit tree imported" in capsys.readouterr().out


DALESMOOR = """
[[unit]]
code = "DALE"
name = "Dalesmoor Police"
kind = "force"

[[unit]]
code = "DALE-WEST"
name = "Dalesmoor West"
kind = "BCU"
parent = "DALE"
"""


def test_an_hq_serving_two_forces_gives_each_laptop_its_own_force_alone(hq: Hq, tmp_path: Path) -> None:
    tree = tmp_path / "units.toml"
    tree.write_text(FERNSHIRE, encoding="utf-8")  # HQ serves Fernshire alone at first
    assert hq_command(hq, tmp_path, "units", "import", str(tree)) == 0
    early = raw_session("FERN-NORTH", ("F10001",))
    before = RawLaptop.enrolled(hq, "F10001", "FERN-NORTH")
    assert (
        before.push(item("session", early), item("attendance", attendance(early, "F10004", "FERN-NORTH")))
        == [("created", "")] * 2
    )
    tree.write_text(FERNSHIRE + DALESMOOR, encoding="utf-8")  # then Dalesmoor joins
    assert hq_command(hq, tmp_path, "units", "import", str(tree)) == 0
    dales = [
        ("D20001", "Eilidh", "MacLeod", "DALE-WEST", "officer"),
        ("D20002", "Yusuf", "Rahman", "DALE-WEST", "staff"),
    ]
    roster_file = tmp_path / "roster.csv"

    def write_roster(rows: list[tuple[str, ...]]) -> None:
        """Each force's HR file imported as its own (Fernshire's first: someone moving leaves it first)."""
        for force in ("FERN", "DALE"):
            with roster_file.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["Staff Number", "First Name", "Last Name", "Unit", "Type"])
                writer.writerows(row for row in rows if row[3].split("-")[0] == force)
            assert hq_command(hq, tmp_path, "import-roster", str(roster_file), "--force", force, "--allow-shrink") == 0

    write_roster([*ROSTER, *dales])
    fern = open_workspace(AppPaths.resolve(tmp_path / "fern"))
    dale = open_workspace(AppPaths.resolve(tmp_path / "dale"))
    hq_link.enroll(fern, hq.url, hq_devices.issue_code(hq.engine, "F10001", "FERN-NORTH"))
    hq_link.enroll(dale, hq.url, hq_devices.issue_code(hq.engine, "D20001", "DALE-WEST"))
    for laptop in (fern, dale):
        hq_link.sync_once(laptop)

    def people(laptop: Workspace) -> list[str]:
        return [r[0] for r in laptop.db.execute("SELECT staff_number FROM people WHERE removed = 0 ORDER BY 1")]

    assert people(fern) == ["F10001", "F10002", "F10003", "F10004"]
    assert people(dale) == ["D20001", "D20002"]
    assert {u.code for u in units.list_units(dale.db)} == {"DALE", "DALE-WEST"}  # not Fernshire's tree
    older = requests.get(  # a laptop on the first protocol: its unit's roster, and its force's tree
        hq.url + "/v1/changes?since=0",
        headers={PROTOCOL_HEADER: "1", "Authorization": f"Bearer {before.token}"},
        timeout=10,
    ).json()
    assert {u["code"] for u in older["units"]} == {"FERN", "FERN-NORTH", "FERN-COAST", "FERN-OPS"}
    assert {r["staff_number"] for r in older["roster"]} == {"F10001", "F10004"}  # FERN-NORTH's people

    for pusher, unit, number in ((RawLaptop.enrolled(hq, "D20001", "DALE-WEST"), "DALE-WEST", "D20002"),
                                 (RawLaptop.enrolled(hq, "F10003", "FERN-OPS"), "FERN-OPS", "F10002")):  # fmt: skip
        held = raw_session(unit, ("D20001",) if unit.startswith("DALE") else ("F10003",))
        assert (
            pusher.push(item("session", held), item("attendance", attendance(held, number, unit)))
            == [("created", "")] * 2
        )
    hq_link.sync_once(fern)
    completed = completions.completed_before(fern.db, "signa", "9999")
    assert completed == {"F10002", "F10004"}  # Fernshire's, from before Dalesmoor joined too; never Dalesmoor's

    write_roster([*ROSTER[:3], (ROSTER[3][0], ROSTER[3][1], ROSTER[3][2], "DALE-WEST", "staff"), *dales])
    hq_link.sync_once(fern)
    hq_link.sync_once(dale)
    assert people(fern) == ["F10001", "F10002", "F10003"]  # moved to Dalesmoor: gone from Fernshire's laptops
    assert people(dale) == ["D20001", "D20002", "F10004"]
    fern.close()
    dale.close()
