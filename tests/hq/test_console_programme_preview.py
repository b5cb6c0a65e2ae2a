"""A change to a programme's rules shows what it does to the force before it is published, against a real HQ on
loopback in Debian's chromium. It was published at one click: narrowing Signa to officers took every member of
staff off the chase lists unseen. Now the administrator sees, per unit, who becomes due (and how many of them
have not completed it), who stops being due, and the number outstanding before and after; then publishes or
goes back. A preview counted before someone else changed the same programme is not published."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import csrf_token, sign_in, signed_in_http
from tests.hq.test_console_accessibility import overflowing
from tests.hq_server import Hq
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import published
from trainer_desk.hq import units as hq_units
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

CHANGES = "What the change does in each unit where anything changes"
PUBLISHED = "Programmes as published"
OWN_DATES = "These dates are our force's own"


def _figures(page: Page, unit: str) -> list[str]:
    row = page.get_by_role("table", name=CHANGES).get_by_role("row", name=unit)
    return [cell.strip() for cell in row.get_by_role("cell").all_inner_texts()]


def _preview_signa(page: Page, roles: dict[str, bool], due: str = "2027-03-31") -> None:
    page.get_by_role("link", name="Programmes").click()
    change = page.get_by_role("form", name="Change Signa")
    for role, ticked in roles.items():
        change.get_by_label(role, exact=True).set_checked(ticked)
    change.get_by_label("Due by (blank: no due date)").fill(due)
    change.get_by_role("button", name="Preview the change to Signa").click()


@pytest.fixture
def published_plans(hq: Hq, force: dict[str, str]) -> None:
    """Signa for officers, staff and specials; 710001 (NORTH) and 720001 (EAST) have completed it."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)


@pytest.mark.usefixtures("published_plans")
def test_narrowing_a_programme_shows_who_stops_being_due_per_unit_before_it_is_published(page: Page, hq: Hq) -> None:
    sign_in(page, hq, "hq.admin")
    _preview_signa(page, {"staff": False, "special": False})
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish this change to Signa?")
    expect(page.get_by_role("main")).to_contain_text("After the change For officer; due by 31 Mar 2027")
    # Rhys (staff, outstanding) in NORTH and Yusuf (staff, completed) in EAST stop being due.
    assert _figures(page, "NORTH") == ["0", "0", "1", "2", "1"]
    assert _figures(page, "EAST") == ["0", "0", "1", "1", "1"]
    expect(page.get_by_role("main")).to_contain_text(
        "0 people become due (0 of them not yet completed), 2 stop being due, and the number outstanding goes "
        "from 3 to 2."
    )
    page.set_viewport_size({"width": 390, "height": 844})  # a card per unit: nothing to scroll sideways for
    assert overflowing(page) == 0
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Back to the programmes, publishing nothing").click()
    signa = page.get_by_role("table", name=PUBLISHED).get_by_role("row", name="Signa")
    expect(signa).to_contain_text("For officer, special, staff")
    assert published.current(hq.engine).version == 1  # type: ignore[union-attr]
    change = page.get_by_role("form", name="Change Signa")  # as typed, to change on from there
    expect(change.get_by_label("staff", exact=True)).not_to_be_checked()
    expect(change.get_by_label("special", exact=True)).not_to_be_checked()
    expect(change.get_by_label("officer", exact=True)).to_be_checked()
    expect(change.get_by_label("Due by (blank: no due date)")).to_have_value("2027-03-31")

    _preview_signa(page, {"staff": False, "special": False})
    page.get_by_label(OWN_DATES).check()  # the bundled rules are the demonstration's: these are now the force's
    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(page.get_by_role("status")).to_have_text("Published as content version 2")
    expect(signa).to_contain_text("For officer; due by 31 Mar 2027")


@pytest.mark.usefixtures("published_plans")
def test_a_preview_counted_before_someone_else_changed_the_programme_is_not_published(page: Page, hq: Hq) -> None:
    """Moving the due date changes nobody's being due. Meanwhile another administrator narrows Signa to
    officers: Publish refuses, and the preview is counted again against the rules now published, where the
    change makes staff due again."""
    sign_in(page, hq, "hq.admin")
    _preview_signa(page, {"special": False}, due="2027-01-31")
    expect(page.get_by_role("main")).to_contain_text("No one becomes due or stops being due")

    other = signed_in_http(hq, "hq.admin")
    form = {"role_officer": "yes", "due": "2027-03-31", "after": "90", "refresh": "36", "own_dates": "yes"}
    token = csrf_token(other.get(hq.url + "/console/programmes", timeout=10).text)
    previewed = other.post(hq.url + "/console/programmes/signa/preview", data={**form, "csrf": token}, timeout=10)
    was = previewed.text.split('name="was" value="', 1)[1].split('"', 1)[0]
    assert other.post(hq.url + "/console/programmes/signa", data={**form, "csrf": token, "was": was}).ok

    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Not published: the rules of Signa were changed by someone else after this preview was counted."
    )
    expect(page.get_by_role("main")).to_contain_text("Now For officer; due by 31 Mar 2027")
    assert _figures(page, "NORTH") == ["1", "1", "0", "1", "2"]  # Rhys, not yet completed
    assert _figures(page, "EAST") == ["1", "0", "0", "1", "1"]  # Yusuf, completed
    assert published.current(hq.engine).version == 2  # type: ignore[union-attr]

    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(page.get_by_role("status")).to_have_text("Published as content version 3")
    signa = page.get_by_role("table", name=PUBLISHED).get_by_role("row", name="Signa")
    expect(signa).to_contain_text("For officer, staff; due by 31 Jan 2027")


@pytest.mark.usefixtures("published_plans")
def test_the_preview_counts_each_unit_under_its_top_unit_in_the_force(page: Page, hq: Hq) -> None:
    """Where the tree is force, BCU, teams, the rows are the BCUs, by name: North and East are teams of one."""
    hq_units.import_units(
        hq.engine,
        [
            UnitNode("FORCE", "Northshire Police", "force"),
            UnitNode("WEST", "West BCU", "BCU", "FORCE"),
            UnitNode("NORTH", "North team", "team", "WEST"),
            UnitNode("EAST", "East team", "team", "WEST"),
        ],
    )
    sign_in(page, hq, "hq.admin")
    _preview_signa(page, {"staff": False, "special": False})
    assert _figures(page, "West BCU") == ["0", "0", "2", "3", "2"]
    expect(page.get_by_role("table", name=CHANGES).get_by_role("row")).to_have_count(2)  # its headings, and West
