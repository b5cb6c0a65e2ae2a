"""Walk-ins reconciled at HQ: one whose staff number is on the roster counts for that person; one that matches
nobody (a mistyped number) is listed, with the name as given, for a person to look into."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main


def test_walk_ins_that_match_nobody_are_listed_for_someone_to_look_into(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = RawLaptop.enrolled(hq, "100234")
    run = session()
    known = {**attendance(run, "740001", "EAST"), "walk_in": True, "walk_in_name": "Bartłomiej Zieliński"}
    typo = {**attendance(run, "74OO02", "EAST"), "walk_in": True, "walk_in_name": "Gwenllian Prys"}
    assert [s for s, _ in laptop.push(item("session", run), item("attendance", known), item("attendance", typo))] == [
        "created"
    ] * 3
    # The recruit joins the HR export after the session: the walk-in now matches them.
    hq_roster.import_roster(hq.engine, [Person("740001", "Bartłomiej", "Zieliński", "EAST", PersonRole.OFFICER)])
    admin = ["--home", str(tmp_path / "admin"), "--db", hq.engine.url.render_as_string(hide_password=False)]
    listed = tmp_path / "walk-ins.csv"
    assert hq_main([*admin, "walk-ins", "-o", str(listed)]) == 0
    out = capsys.readouterr().out
    assert "1 walk-in(s) now match someone on the roster; 1 match nobody" in out
    assert "74OO02" in out and "Gwenllian Prys" in out and "740001" not in out
    assert "Gwenllian Prys" in listed.read_text(encoding="utf-8-sig")
