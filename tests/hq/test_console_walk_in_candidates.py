"""The people on the roster a walk-in likely was, offered beside it on the walk-ins page, against a real HQ on
loopback in Debian's chromium. Matching a walk-in once meant knowing the staff number already: a walk-in who gave
"Grzegorz Brzęczyszczykiewicz" and "7000O5" (a letter O for a zero), with four people of that name in North, could
not be matched without looking the number up elsewhere. Now the page offers whom the number names with the slip
put right, and those of the same name (accents, case and spacing aside), the session's unit first, at most five;
choosing one leads to the confirmation page, and only Confirm there matches."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.hq.console_kit import FORCE, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq.test_console_accessibility import overflowing
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import walk_ins

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

OPEN = "Walk-ins that match nobody"
GRZEGORZ = "Grzegorz Brzęczyszczykiewicz"
NAMESAKES = [  # four in North, as the roster has them: accents and case as HR typed them
    Person("700031", "Grzegorz", "Brzęczyszczykiewicz", "NORTH", PersonRole.OFFICER, rank="PC"),
    Person("700005", "Grzegorz", "Brzęczyszczykiewicz", "NORTH", PersonRole.OFFICER, rank="Sergeant"),
    Person("700017", "GRZEGORZ", "BRZECZYSZCZYKIEWICZ", "NORTH", PersonRole.STAFF, rank="Analyst"),
    Person("700023", "Grzegorz", "Brzeczyszczykiewicz", "NORTH", PersonRole.OFFICER, rank="PC"),
]
ELSEWHERE = [
    Person("700042", "Grzegorz", "Brzęczyszczykiewicz", "EAST", PersonRole.OFFICER, rank="Inspector"),
    Person("700050", "Jan", "Kowalski", "EAST", PersonRole.OFFICER, rank="PC"),  # 7000O5 with the last two swapped
]


@pytest.fixture
def walk_in(hq: Hq, force: dict[str, str]) -> str:
    """Grzegorz signed in by hand at a North session, his number typed with a letter O; Rhys, whose name was
    typed without its space and whose number is nobody's; and Aleksandra, without her accent, a zero doubled."""
    hq_roster.import_roster(hq.engine, [*FORCE, *NAMESAKES, *ELSEWHERE])
    north = session("NORTH", ("100234",))
    grzegorz = {**attendance(north, "7000O5"), "walk_in": True, "walk_in_name": GRZEGORZ}
    rhys = {**attendance(north, "123"), "walk_in": True, "walk_in_name": "Rhys apGwilym"}
    aleksandra = {**attendance(north, "7100001"), "walk_in": True, "walk_in_name": "aleksandra wisniewska"}
    pushed = RawLaptop.enrolled(hq, "100234").push(
        item("session", north), item("attendance", grzegorz), item("attendance", rhys), item("attendance", aleksandra)
    )
    assert pushed == [("created", "")] * 4
    return str(grzegorz["uuid"])


def _offered(page: Page, name_given: str) -> Locator:
    """The likely people listed beside the walk-in who gave `name_given`."""
    row = (
        page.get_by_role("table", name=OPEN)
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=name_given))
    )
    return row.get_by_role("listitem")


def test_a_walk_in_is_offered_whom_the_number_names_and_namesakes_of_the_session_s_unit_first(
    page: Page, hq: Hq, walk_in: str, tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Walk-ins").click()
    offered = _offered(page, GRZEGORZ)
    expect(offered).to_have_count(5)
    expect(offered.nth(0)).to_contain_text(f"{GRZEGORZ}, 700005, North, Sergeant.")  # number and name
    expect(offered.nth(0)).to_contain_text("Number and name fit.")
    for n, number in enumerate(("700017", "700023", "700031"), start=1):  # the other three in North
        expect(offered.nth(n)).to_contain_text(f", {number}, North, {'Analyst' if number == '700017' else 'PC'}.")
    expect(offered.nth(4)).to_contain_text("Jan Kowalski, 700050, East, PC.")  # the number, two digits swapped
    expect(offered.nth(4)).to_contain_text("Number close to the one typed.")
    expect(page.get_by_role("table", name=OPEN)).to_contain_text("And 1 more: too many to tell apart here.")
    expect(page.get_by_role("table", name=OPEN)).not_to_contain_text("700042")  # the sixth, in East
    expect(offered.nth(0)).to_contain_text("Not done the programme yet.")

    rhys = _offered(page, "Rhys apGwilym")  # the space left out, and a number nobody has
    expect(rhys).to_have_count(1)
    expect(rhys).to_contain_text("Rhys ap Gwilym, 710002, North, staff.")
    expect(rhys).to_contain_text("Same name.")
    aleksandra = _offered(page, "aleksandra wisniewska")  # a zero doubled; she was at North's session before
    expect(aleksandra).to_have_count(1)
    expect(aleksandra).to_contain_text("Aleksandra Wiśniewska, 710001, North, officer.")
    expect(aleksandra).to_contain_text("Done the programme already.")
    page.screenshot(path=str(tmp_path / "walk-ins-1280.png"), full_page=True)


def test_choosing_a_likely_person_leads_to_the_confirmation_and_only_confirm_matches(
    page: Page, hq: Hq, walk_in: str
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Walk-ins").click()
    page.get_by_role("button", name=f"Choose {GRZEGORZ}, 700005, for {GRZEGORZ}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Match {GRZEGORZ} to 700005?")
    assert walk_ins.walk_ins(hq.engine).resolved == []  # choosing matched nobody yet
    page.get_by_role("button", name=f"Confirm: it was {GRZEGORZ}").click()
    expect(page.get_by_role("status")).to_have_text(f"Walk-in {GRZEGORZ} matched to 700005, {GRZEGORZ}.")
    expect(page.get_by_role("table", name=OPEN)).not_to_contain_text("7000O5")
    assert [w["decision"] for w in walk_ins.walk_ins(hq.engine).resolved] == [f"matched to 700005 at HQ: {GRZEGORZ}"]


def test_the_likely_people_read_at_phone_width(page: Page, hq: Hq, walk_in: str, tmp_path: Path) -> None:
    """390 pixels across: each likely person with their Choose button in view, nothing to scroll sideways for."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Walk-ins").click()
    expect(_offered(page, GRZEGORZ)).to_have_count(5)
    assert overflowing(page) == 0
    choose = page.get_by_role("button", name=f"Choose {GRZEGORZ}, 700005, for {GRZEGORZ}")
    choose.focus()  # reached by keyboard as by mouse
    box = choose.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    page.screenshot(path=str(tmp_path / "walk-ins-390.png"), full_page=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Match {GRZEGORZ} to 700005?")
