"""A film that cannot play is refused at HQ, naming the file, from the console and from the command line alike:
otherwise only laptops find out, in a classroom, with a room waiting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import admin, sign_in
from tests.hq.test_console_content import zipped
from tests.hq_server import Hq
from trainer_desk.hq import published
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what a film file holds, checked before anything is stored

FILM = "upstander/videos/after-the-moment.mp4"


def plans_with_film(tmp_path: Path, content: bytes, film: str = FILM) -> Path:
    """The bundled plans with one film's bytes replaced."""
    folder = tmp_path / "plans"
    shutil.copytree(bundled("lesson_plans"), folder)
    (folder / film).write_bytes(content)
    return folder


def test_a_text_file_named_as_a_film_is_refused_in_the_console_with_the_other_problems(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    plans = plans_with_film(tmp_path, b"not a film\n")
    manifest = plans / "signa-core" / "plan.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('version = "1.0.0"', "version = 1", 1))
    sign_in(page, hq, "hq.admin")
    page.goto(hq.url + "/console/content")
    page.get_by_label("Zip of the lesson plans folder").set_input_files(zipped(plans, tmp_path / "plans.zip"))
    page.get_by_role("button", name="Check and compare").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("not publishable")
    problems = page.get_by_role("list", name="Problems in the plans")
    expect(problems).to_contain_text(f"{FILM}: this is not an MP4 film")
    expect(problems).to_contain_text("starts with the text 'not a film'")
    expect(problems).to_contain_text("signa-core/plan.toml:4:")  # said in the same list as the plan's problem
    assert published.current(hq.engine) is None


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "the film is empty (0 bytes)"),
        (b"hello world", "this is not an MP4 film"),
        ("first 5000 bytes", "the MP4 film is cut short"),
    ],
)
def test_the_command_line_refuses_a_film_that_will_not_play_and_publishes_the_bundled_films(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | str, said: str
) -> None:
    whole = (bundled("lesson_plans") / FILM).read_bytes()
    plans = plans_with_film(tmp_path, whole[:5000] if isinstance(content, str) else content)
    assert hq_main([*admin(hq), "publish", "--allow-sample-media", str(plans)]) == 1
    error = capsys.readouterr().err
    assert "not published" in error and f"{FILM}: {said}" in error
    assert published.current(hq.engine) is None

    (plans / FILM).write_bytes(whole)  # the film as bundled: published
    assert hq_main([*admin(hq), "publish", "--allow-sample-media", str(plans)]) == 0
    assert "published content version 1" in capsys.readouterr().out


def test_a_webm_film_is_checked_for_its_own_container(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plans = plans_with_film(tmp_path, b"\x1a\x45\xdf\xa3" + bytes(60), film="upstander/videos/extra.webm")
    (plans / "upstander" / "videos" / "other.mkv").write_bytes(b"\x00\x00\x00\x20ftypisom" + bytes(24))
    assert hq_main([*admin(hq), "publish", "--allow-sample-media", str(plans)]) == 1
    error = capsys.readouterr().err
    assert "upstander/videos/other.mkv: this is not an MKV film" in error
    assert "extra.webm" not in error  # an EBML header is what a WebM starts with


def test_captions_that_cannot_be_read_are_refused_at_publish(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a laptop they are only a warning (the film plays without them); HQ is where they can be fixed."""
    plans = tmp_path / "plans"
    shutil.copytree(bundled("lesson_plans"), plans)
    captions = plans / "upstander" / "videos" / "after-the-moment.vtt"
    captions.write_text(captions.read_text(encoding="utf-8").replace(".000 -->", ",000 -->", 1), encoding="utf-8")
    assert hq_main([*admin(hq), "publish", "--allow-sample-media", str(plans)]) == 1
    error = capsys.readouterr().err
    assert "not published" in error and "upstander/plan.toml:" in error
    assert "captions file videos/after-the-moment.vtt: line 3 of the captions is not a WebVTT timing" in error
    assert published.current(hq.engine) is None
