"""`trainer-desk-hq compliance-summary` counts as the console's dashboard does: each programme's audience as
the roster has it now (a leaver not counted, someone who moved counted in their new unit, those outside the
audience left out), less those exempt, with every unit that has anyone to count. It once counted completions
by the unit typed on the register, leavers and exempt people included, against the whole roster, and left out
units where nobody had completed, so it disagreed with the console and with every laptop."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.hq.console_kit import signed_in_http
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.dashboard import programme_names
from trainer_desk.paths import bundled

ROSTER = [
    Person("710001", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER),  # trained
    Person("710002", "Rhys", "ap Gwilym", "NORTH", PersonRole.STAFF),  # trained; leaves
    Person("710003", "Nguyễn", "Thị Lan", "NORTH", PersonRole.OFFICER),  # exempt
    Person("710004", "Yusuf", "Al-Masri", "NORTH", PersonRole.OFFICER),  # trained in NORTH; moves to EAST
    Person("720001", "秀英", "王", "EAST", PersonRole.OFFICER),  # trained in EAST's own session
]


def summary(hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[tuple[str, str], tuple[int, int]]:
    admin = ["--home", str(hq.blobs.parent), "--db", hq.engine.url.render_as_string(hide_password=False)]
    capsys.readouterr()
    assert hq_main([*admin, "compliance-summary"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    ids = {title: programme for programme, title in programme_names(hq.engine, hq.blobs).items()}
    return {(r["Unit code"], ids[r["Programme"]]): (int(r["Completed"]), int(r["Must complete it"])) for r in rows}


def test_the_command_line_summary_counts_as_the_console(
    hq: Hq, force: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_roster.import_roster(hq.engine, ROSTER)
    run = session("NORTH", ("100234",))
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    sent = laptop.push(
        item("session", run), *(item("attendance", attendance(run, n)) for n in ("710001", "710002", "710004"))
    )
    assert {s for s, _ in sent} == {"created"}
    http = signed_in_http(hq, "hq.admin")
    token = re.search(r'name="csrf" value="([^"]+)"', http.get(hq.url + "/console/exemptions", timeout=10).text)
    assert token is not None
    http.post(
        hq.url + "/console/exemptions",
        data={"staff_number": "710003", "programme": "signa", "kind": "exempt", "reason": "secondment",
              "csrf": token.group(1)},
        timeout=10,
    )  # fmt: skip
    moved = [p for p in ROSTER if p.staff_number not in ("710002", "710004")]
    moved.append(Person("710004", "Yusuf", "Al-Masri", "EAST", PersonRole.OFFICER))
    hq_roster.import_roster(hq.engine, moved)  # 710002 has left; 710004 is now in EAST

    counted = summary(hq, tmp_path, capsys)
    assert counted[("NORTH", "signa")] == (1, 1)  # Aleksandra, of herself: not the leaver, not the exempt
    assert counted[("EAST", "signa")] == (2, 2)  # with Yusuf, trained in NORTH, counted where he is now
    # No sergeant or inspector on this roster: their programme is listed as no one's, not left out.
    assert counted[("", "inclusive-workplace")] == (0, 0), counted  # no unit's: "All units", none made up
    dashboard = http.get(hq.url + "/console/?programme=signa", timeout=10).text
    table = dashboard.split('id="all-programmes"', 1)[1].split("</table>", 1)[0]
    shown = {
        (unit, programme): (int(done), int(people))
        for unit, programme, done, people in re.findall(
            r">([A-Z]+)</a></th>\s*<td[^>]*>([^<]*)</td>\s*"
            r'<td class="number"[^>]*>(\d+)</td>\s*<td class="number"[^>]*>(\d+)</td>',
            table,
        )
    }
    name = programme_names(hq.engine, hq.blobs)["signa"]
    assert {k: v for k, v in counted.items() if k[1] == "signa"} == {
        (unit, "signa"): figures for (unit, programme), figures in shown.items() if programme == name
    }  # the same figures as the console's table of every programme
