"""Screenshots of HQ's console for the README: a real HQ process with a small made-up force, in Debian's chromium.

Run: `.venv/bin/python scripts/console_screenshots.py` (writes docs/screenshots/console-*.png)."""

from __future__ import annotations

import io
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.roster_data import people_rows
from playwright.sync_api import sync_playwright
from sqlalchemy import insert
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import running_hq

from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import schema
from trainer_desk.hq import units as hq_units
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import bundled

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "a demonstration password"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        with running_hq(f"sqlite:///{folder / 'hq.sqlite3'}", folder) as hq:
            units = ["NORTH", "EAST", "SOUTH", "WEST"]
            rows = people_rows(240, seed=3)
            people = [
                Person(r["staff_number"], r["forename"], r["surname"], units[n % 4], PersonRole(r["role"]))
                for n, r in enumerate(rows)
            ]
            hq_roster.import_roster(hq.engine, people)
            hq_units.import_units(  # named as the force's people know them
                hq.engine,
                [UnitNode("FERN", "Fernshire Police", "force"), UnitNode("NORTH", "North BCU", "BCU", "FERN"),
                 UnitNode("EAST", "East BCU", "BCU", "FERN"), UnitNode("SOUTH", "South BCU", "BCU", "FERN"),
                 UnitNode("WEST", "West BCU", "BCU", "FERN")],
            )  # fmt: skip
            hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
            for n, unit in enumerate(units):
                laptop = RawLaptop.enrolled(hq, f"10{n}234", unit)
                for k in range(6):  # a session a month, June to November, rooms filling as the word spreads
                    run = {
                        **session(unit, (f"10{n}234",)),
                        "starts_at": f"2026-{6 + k:02d}-{10 + n:02d}T09:00:00+00:00",
                    }
                    attendees = [p for p in people if p.unit_code == unit][k * 9 : k * 9 + 3 + k + n]
                    laptop.push(
                        item("session", run),
                        *(item("attendance", attendance(run, p.staff_number, unit)) for p in attendees),
                    )
            invited = [p.staff_number for p in people[:14]]  # the follow-up: fourteen asked, eight answered
            with hq.engine.begin() as conn:
                for n, number in enumerate(invited):
                    conn.execute(insert(schema.follow_up_invitations).values(
                        staff_number=number, programme_id="signa", link_hash=f"{n:064x}", invited_on="2026-11-02",
                        reminded_on="2026-11-16" if n % 2 else None, answered=n < 8))  # fmt: skip
            said = [("yes", "4", "Called out a comment at briefing; the sergeant backed me.", ""),
                    ("yes", "5", "", "Busy shifts."), ("no", "3", "", "Not sure who to tell."), ("yes", "4", "", ""),
                    ("yes", "3", "Used the delay option and reported it afterwards.", ""), ("no", "2", "", ""),
                    ("yes", "4", "", "Rota changes."), ("yes", "5", "", "")]  # fmt: skip
            for n, (stepped, banter, example, barrier) in enumerate(said):
                with hq.engine.begin() as conn:
                    conn.execute(insert(schema.follow_up_answers).values(
                        uuid=f"00000000-0000-4000-8000-{n:012d}", programme_id="signa", answered_on="2026-11-20",
                        answers=json.dumps({k: v for k, v in {"stepped-in": stepped == "yes", "banter": int(banter),
                                            "example": example, "barriers": barrier}.items() if v != ""})))  # fmt: skip
            admin = ["--home", str(hq.blobs.parent), "--db", hq.engine.url.render_as_string(hide_password=False)]
            sys.stdin = io.StringIO(PASSWORD + "\n")
            hq_main([*admin, "users", "add", "learning.team", "--role", "admin"])
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                page.goto(hq.url + "/console/")
                page.screenshot(path=str(OUT / "console-sign-in.png"))
                page.get_by_label("Username").fill("learning.team")
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_role("heading", name="Completion against the roster").wait_for()
                page.screenshot(path=str(OUT / "console-dashboard.png"), full_page=True)
                page.get_by_role("link", name="North BCU").first.click()
                page.get_by_role("table", name="Outstanding in North BCU").wait_for()
                page.screenshot(path=str(OUT / "console-chase-list.png"))
                page.get_by_role("link", name="Lesson content").click()
                page.screenshot(path=str(OUT / "console-content.png"), full_page=True)
                page.get_by_role("link", name="Reports").click()
                page.screenshot(path=str(OUT / "console-reports.png"))
                page.get_by_role("link", name="Feedback").click()
                page.get_by_role("region", name="Signa: 8 answered of 14 invited (57%)").screenshot(
                    path=str(OUT / "console-follow-up.png")
                )
                browser.close()
    for name in ("console-sign-in", "console-dashboard", "console-chase-list", "console-content", "console-reports",
                 "console-follow-up"):  # fmt: skip
        print(OUT / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
