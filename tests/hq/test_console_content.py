"""Publishing lesson content from the console in a real browser against a real HQ: a zipped folder checked by
the laptop's validator, compared with what is published, published, and rolled back; and zips that try to
write outside their folder refused."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.hq.console_kit import admin, sign_in
from tests.hq.raw_laptop import RawLaptop
from tests.hq_server import Hq
from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import published
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.content_upload import unpack
from trainer_desk.paths import bundled
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from trainer_desk.sync.pulled_changes import Changes

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database


def zipped(folder: Path, archive: Path, top: str = "") -> Path:
    """The folder as Windows' "Send to compressed folder" makes it: its files under one top folder."""
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, f"{top}{path.relative_to(folder).as_posix()}")
    return archive


def plans_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The bundled plans with one change to signa-core's plan.toml."""
    folder = tmp_path / name
    shutil.copytree(bundled("lesson_plans"), folder)
    manifest = folder / "signa-core" / "plan.toml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_an_administrator_publishes_a_zip_sees_the_difference_and_rolls_it_back(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    assert hq_main([*admin(hq), "publish", str(bundled("lesson_plans")), "--allow-sample-media"]) == 0
    first = published.current(hq.engine)
    assert first is not None and first.version == 1
    newer = plans_with(tmp_path, "newer", 'version = "1.0.0"', 'version = "1.1.0"')
    archive = zipped(newer, tmp_path / "lesson_plans.zip", top="lesson_plans/")

    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    page.get_by_label("Zip of the lesson plans folder").set_input_files(archive)
    page.get_by_role("button", name="Check and compare").click()
    plans = page.get_by_role("table", name="Plans that change")
    expect(plans.get_by_role("row", name="signa-core")).to_contain_text("1.0.0")
    expect(plans.get_by_role("row", name="signa-core")).to_contain_text("1.1.0")
    expect(page.get_by_role("table", name="Files")).to_contain_text("signa-core/plan.toml")
    expect(page.get_by_text("while their version stays the same")).to_have_count(0)  # its version moves
    assert published.current(hq.engine) == first  # nothing is published by looking

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert")).to_contain_text("demonstration content")  # refused: the box was not ticked
    page.get_by_role("link", name="Lesson content").click()
    page.get_by_label("Zip of the lesson plans folder").set_input_files(archive)
    page.get_by_role("button", name="Check and compare").click()
    page.get_by_label("Publish it with the demonstration content anyway").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Published version 2")
    second = published.current(hq.engine)
    assert second is not None and second.version == 2
    assert published.library(second, hq.blobs).get("signa-core").version == "1.1.0"  # type: ignore[union-attr]

    page.get_by_role("button", name="Publish version 1 again…").click()
    page.get_by_role("button", name="Publish version 1 again").click()  # its sample films: the same question
    expect(page.get_by_role("alert")).to_contain_text("Not published: version 1 includes demonstration content")
    assert published.current(hq.engine) == second
    expect(page.get_by_role("region", name="Still the demonstration's")).to_contain_text("sample films")
    page.get_by_label("Publish it with the demonstration content anyway").check()
    page.get_by_role("button", name="Publish version 1 again").click()
    expect(page.get_by_role("status")).to_have_text("Version 1 is published again, as version 3")
    third = published.current(hq.engine)
    assert third is not None and third.version == 3 and third.files == first.files
    expect(page.get_by_role("table", name="Newest first")).to_contain_text("3 (current)")

    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("table")).to_contain_text("content rolled back")
    expect(page.get_by_role("table")).to_contain_text("content published")


def test_refused_for_its_demonstration_content_the_upload_waits_for_the_box_to_be_ticked(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    archive = zipped(bundled("lesson_plans"), tmp_path / "force-plans.zip", top="lesson_plans/")
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    page.get_by_label("Zip of the lesson plans folder").set_input_files(archive)
    page.get_by_role("button", name="Check and compare").click()
    listed = page.get_by_role("region", name="Still the demonstration's")
    expect(listed).to_contain_text("these plans use the bundled sample films, which trainers would show as real")
    expect(listed).to_contain_text("force.toml holds the demonstration force's facts and policy")
    expect(listed).to_contain_text(
        "programmes.toml holds the demonstration force's due dates (31 Mar 2027, 30 Jun 2027)"
    )
    page.get_by_role("button", name="Publish").click()  # the box left unticked

    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Not published: this upload includes demonstration content")
    expect(refusal).to_contain_text("tick “Publish it with the demonstration content anyway”")
    expect(page.locator("main")).not_to_contain_text("--")  # no command-line flag: console users never see one
    expect(page.get_by_role("heading", level=1)).to_have_text("force-plans.zip: what publishing it would change")
    expect(page.get_by_role("table", name="Files")).to_contain_text("signa-core/plan.toml")
    assert published.current(hq.engine) is None

    page.get_by_label("Publish it with the demonstration content anyway").check()  # no second upload
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Published version 1")
    expect(page.get_by_role("table", name="Newest first")).to_contain_text("1 (current)")
    assert not any((hq.blobs.parent / "uploads").iterdir())  # published: the waiting upload is cleared

    laptop = RawLaptop.enrolled(hq, "100234")
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": f"Bearer {laptop.token}"}
    pulled = Changes.from_wire(requests.get(hq.url + "/v1/changes?since=0", headers=headers, timeout=10).json())
    assert pulled.content is not None and pulled.content.version == 1
    assert "signa-core/plan.toml" in {f.path for f in pulled.content.files}

    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("table")).to_contain_text("content published")


def test_a_broken_plan_is_named_by_file_and_line_and_nothing_is_published(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    broken = plans_with(tmp_path, "broken", 'version = "1.0.0"', "version = 1")
    sign_in(page, hq, "hq.admin")
    page.goto(hq.url + "/console/content")
    page.get_by_label("Zip of the lesson plans folder").set_input_files(zipped(broken, tmp_path / "plans.zip"))
    page.get_by_role("button", name="Check and compare").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("not publishable")
    expect(page.get_by_role("list", name="Problems in the plans")).to_contain_text("signa-core/plan.toml:4:")
    assert published.current(hq.engine) is None
    assert not any((hq.blobs.parent / "uploads").iterdir())  # the refused upload is not kept

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "lead.north")
    answer = page.goto(hq.url + "/console/content")
    assert answer is not None and answer.status == 403


@pytest.mark.parametrize(
    ("name", "refusal"),
    [("../outside.txt", "points outside its folder"), ("/etc/cron.d/evil", "points outside its folder")],
)
def test_a_zip_that_reaches_outside_its_folder_is_refused(tmp_path: Path, name: str, refusal: str) -> None:
    archive = tmp_path / "hostile.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("plans/signa-core/plan.toml", "id = 'x'\n")
        out.writestr(name, "written where it should not be")
    with pytest.raises(UserFacingError, match=refusal):
        unpack(archive, tmp_path / "uploads" / "ticket")
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path / "uploads" / "ticket").exists()


def test_a_file_that_is_not_a_zip_is_named_as_such(tmp_path: Path) -> None:
    fake = tmp_path / "plans.zip"
    fake.write_text("id,name\n1,not a zip\n", encoding="utf-8")
    with pytest.raises(UserFacingError, match="not a zip"):
        unpack(fake, tmp_path / "into")


def test_a_damaged_or_password_protected_zip_is_named_as_such(tmp_path: Path) -> None:
    archive = tmp_path / "plans.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("signa-core/plan.toml", "id = 'signa-core'\n" + "title = 'x'\n" * 5000)
    whole = bytearray(archive.read_bytes())
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(whole[:60] + bytes(b ^ 0x5A for b in whole[60:200]) + whole[200:])  # bytes torn in the middle
    with pytest.raises(UserFacingError, match="not a zip HQ can read"):
        unpack(damaged, tmp_path / "into-damaged")
    assert not (tmp_path / "into-damaged").exists()

    locked = bytearray(whole)  # as a zip tool saves one with a password: the "encrypted" flag on each entry
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = locked.index(signature) + flag_at
        locked[at] |= 0x01
    (tmp_path / "locked.zip").write_bytes(locked)
    with pytest.raises(UserFacingError, match="without a password"):
        unpack(tmp_path / "locked.zip", tmp_path / "into-locked")


def test_a_zip_made_before_a_change_in_the_console_says_it_would_undo_it_and_the_current_zip_keeps_it(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    """Signa's due date is moved in the console (version 2); then the learning team uploads the plans zip they
    had prepared before, which would quietly put the old due date back on every laptop. The comparison says so,
    by file and version; the current version's zip, changed and uploaded instead, keeps the new due date."""
    assert hq_main([*admin(hq), "publish", str(bundled("lesson_plans")), "--allow-sample-media"]) == 0
    prepared = zipped(
        plans_with(tmp_path, "prepared", 'version = "1.0.0"', 'version = "1.1.0"'),
        tmp_path / "prepared.zip",
        top="lesson_plans/",
    )
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Programmes").click()
    change = page.get_by_role("form", name="Change Signa")
    change.get_by_label("Due by (blank: no due date)").fill("2027-06-30")
    change.get_by_role("button", name="Preview the change to Signa").click()
    page.get_by_label("These dates are our force's own").check()  # the bundled rules are the demonstration's
    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(page.get_by_role("status")).to_have_text("Published as content version 2")

    page.get_by_role("link", name="Lesson content").click()
    page.get_by_label("Zip of the lesson plans folder").set_input_files(prepared)
    page.get_by_role("button", name="Check and compare").click()
    warning = page.get_by_role("alert").filter(has_text="undoes changes made at HQ since")
    expect(warning).to_contain_text("programmes.toml: as in version 1, changed since in version 2")

    warning.get_by_role("link", name="Lesson content").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download version 2 as a zip").click()
    current = tmp_path / "current"
    with zipfile.ZipFile(download.value.path()) as archive:
        archive.extractall(current)
    plan = current / "lesson_plans" / "signa-core" / "plan.toml"
    plan.write_text(plan.read_text(encoding="utf-8").replace('version = "1.0.0"', 'version = "1.1.0"', 1), "utf-8")
    page.get_by_label("Zip of the lesson plans folder").set_input_files(zipped(current, tmp_path / "current.zip"))
    page.get_by_role("button", name="Check and compare").click()
    expect(page.get_by_role("table", name="Files")).to_contain_text("signa-core/plan.toml")
    expect(page.get_by_text("undoes changes made at HQ since")).to_have_count(0)
    page.get_by_label("Publish it with the demonstration content anyway").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Published version 3")
    third = published.current(hq.engine)
    assert third is not None
    content = published.read(third, hq.blobs)
    assert str(content.rules["signa"].due) == "2027-06-30"
    assert content.library.get("signa-core").version == "1.1.0"  # type: ignore[union-attr]


def test_a_plan_whose_files_change_under_the_same_version_is_named_before_publishing(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    """The signposting page is corrected and the plan's version left at 1.0.0: attendance records would name a
    version that now stands for two sets of files. The comparison says so, by plan, version and file count;
    it is a warning, and the administrator may still publish."""
    assert hq_main([*admin(hq), "publish", str(bundled("lesson_plans")), "--allow-sample-media"]) == 0
    corrected = tmp_path / "corrected"
    shutil.copytree(bundled("lesson_plans"), corrected)
    with (corrected / "signa-core" / "signposting.md").open("a", encoding="utf-8") as page_text:
        page_text.write("\nThe wellbeing line is open around the clock.\n")
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    page.get_by_label("Zip of the lesson plans folder").set_input_files(zipped(corrected, tmp_path / "plans.zip"))
    page.get_by_role("button", name="Check and compare").click()

    warning = page.get_by_role("alert").filter(has_text="files change while their version stays the same")
    expect(warning.get_by_role("listitem")).to_have_text(
        "Signa: sexism, misogyny and sexual harassment at work (signa-core), version 1.0.0: 1 file differs"
    )
    expect(warning).to_contain_text("give the plan a new version in its plan.toml")
    expect(page.get_by_role("table", name="Plans that change")).to_have_count(0)  # no version moves

    page.get_by_label("Publish it with the demonstration content anyway").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Published version 2")
