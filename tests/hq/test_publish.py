"""`publish` offers laptops only what they accept: it checks file names with the laptops' own rule."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.hq.console_kit import admin
from tests.hq.raw_laptop import RawLaptop
from tests.hq_server import Hq
from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import published
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import bundled
from trainer_desk.sync.protocol import PROTOCOL_HEADER, ContentFile, ProtocolError
from trainer_desk.sync.pulled_changes import Changes


def test_publish_refuses_a_name_every_laptop_would_refuse(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(bundled("lesson_plans"), plans)
    (plans / "upstander" / "notes (copy).txt").write_text("copied notes\n")
    (plans / ".git").mkdir()
    (plans / ".git" / "config").write_text("[core]\n")  # hidden: left out, as hidden files always were
    with pytest.raises(ProtocolError):  # what a laptop does with that name
        ContentFile.from_wire({"path": "upstander/notes (copy).txt", "sha256": "0" * 64, "size": 13})
    admin = ["--home", str(tmp_path / "admin"), "--db", hq.engine.url.render_as_string(hide_password=False)]
    assert hq_main([*admin, "publish", "--allow-sample-media", str(plans)]) == 1
    error = capsys.readouterr().err
    assert "not published" in error and "upstander/notes (copy).txt" in error and ".git" not in error

    laptop = RawLaptop.enrolled(hq, "100234")
    headers = {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {laptop.token}"}
    nothing = requests.get(hq.url + "/v1/changes?since=0", headers=headers, timeout=10).json()
    assert nothing["content"] is None  # nothing was offered

    (plans / "upstander" / "notes (copy).txt").rename(plans / "upstander" / "notes-copy.txt")
    assert hq_main([*admin, "publish", "--allow-sample-media", str(plans)]) == 0
    assert "published content version 1" in capsys.readouterr().out
    pulled = Changes.from_wire(requests.get(hq.url + "/v1/changes?since=0", headers=headers, timeout=10).json())
    assert pulled.content is not None
    paths = {f.path for f in pulled.content.files}
    assert "upstander/notes-copy.txt" in paths and not any(p.startswith(".") for p in paths)


def test_a_link_to_a_file_outside_the_plans_is_refused_and_nothing_published(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An HR export left beside the plans, linked into one of them: publishing followed the link and sent the
    export to every laptop."""
    plans = tmp_path / "plans"
    shutil.copytree(bundled("lesson_plans"), plans)
    export = tmp_path / "hr-export.csv"
    export.write_text("staff_number,forename,surname\nS999999,Gwenllian,Morgan\n", encoding="utf-8")
    (plans / "signa-core" / "sections" / "notes.md").symlink_to(export)
    (plans / "upstander" / "same-film.mp4").symlink_to(next((plans / "upstander" / "videos").glob("*.mp4")))
    admin = ["--home", str(tmp_path / "admin"), "--db", hq.engine.url.render_as_string(hide_password=False)]
    assert hq_main([*admin, "publish", "--allow-sample-media", str(plans)]) == 1
    error = capsys.readouterr().err
    assert "signa-core/sections/notes.md: a link to files outside" in error and "same-film" not in error
    assert not published.newest(hq.engine, hq.blobs).library.plans  # nothing published
    assert not any(b.read_bytes().startswith(b"staff_number") for b in hq.blobs.rglob("*") if b.is_file())


def test_publishers_at_once_each_get_their_own_version_and_a_stale_edit_is_refused(hq: Hq) -> None:
    assert hq_main([*admin(hq), "publish", "--allow-sample-media", str(bundled("lesson_plans"))]) == 0
    with ThreadPoolExecutor(6) as pool:  # six administrators press "Publish again" in the same moment
        made = list(pool.map(lambda _: published.republish(hq.engine, hq.blobs, 1), range(6)))
    assert sorted(made) == [2, 3, 4, 5, 6, 7]

    rules = published.current(hq.engine)
    assert rules is not None
    stale = [{"path": p, "sha256": sha, "size": (hq.blobs / sha).stat().st_size} for p, sha in rules.files.items()]
    with pytest.raises(UserFacingError, match="version 7 was published while this change was being made"):
        published.record_version(hq.engine, stale, based_on=6)  # an edit made from version 6
    assert published.current(hq.engine).version == 7  # type: ignore[union-attr]


def test_publish_keeps_a_one_line_note_and_refuses_one_that_is_not(hq: Hq, capsys: pytest.CaptureFixture[str]) -> None:
    plans = str(bundled("lesson_plans"))
    two_lines = "Signa 1.1\nthe new film"
    assert hq_main([*admin(hq), "publish", "--allow-sample-media", plans, "--note", two_lines]) == 1
    assert "The note must be one line of plain text" in capsys.readouterr().err
    assert hq_main([*admin(hq), "publish", "--allow-sample-media", plans, "--note", "x" * 301]) == 1
    assert "The note is 301 characters long: keep it to 300 at most." in capsys.readouterr().err
    assert published.current(hq.engine) is None  # nothing published

    assert hq_main([*admin(hq), "publish", "--allow-sample-media", plans, "--note", " Signa's first films "]) == 0
    assert hq_main([*admin(hq), "publish", "--allow-sample-media", plans]) == 0
    assert [(v.version, v.note) for v in published.versions(hq.engine)] == [(2, ""), (1, "Signa's first films")]


def test_a_force_s_own_file_waits_for_the_unit_tree_that_names_the_force(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before HQ has a unit tree no laptop belongs to any force, so forces/WST.toml would reach nobody: HQ says
    so by name, rather than publishing details no projector will show."""
    plans = tmp_path / "plans"
    shutil.copytree(bundled("lesson_plans"), plans)
    (plans / "forces").mkdir()
    (plans / "forces" / "WST.toml").write_text('[force]\nname = "Westshire Police"\n')
    assert hq_main([*admin(hq), "publish", "--allow-sample-media", str(plans)]) == 1
    error = capsys.readouterr().err
    assert "forces/WST.toml: HQ has no unit tree yet, so it knows no force WST: import the unit tree" in error
    assert published.current(hq.engine) is None
