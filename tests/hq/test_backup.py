"""HQ's own backups: made from the console (or the command line) while HQ runs, downloaded, and restored with
the command line into a new HQ, which then carries on as the old one: the same people, registers, accounts
and content, and laptops syncing with the tokens they already hold."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import PASSWORD, admin, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq, database_url, running_hq
from trainer_desk.hq import feedback_keys, published
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.records import count_records
from trainer_desk.paths import bundled


def test_a_backup_made_in_the_console_restores_into_a_new_hq_that_carries_on(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hq_main([*admin(hq), "publish", str(bundled("lesson_plans")), "--allow-sample-media"]) == 0
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    signing = {name: feedback_keys.secret(hq.engine, name) for name in ("feedback_links", "follow_up_links")}
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Backups").click()
    expect(page.get_by_role("note")).to_contain_text(
        "A backup file holds the force's personal data, not encrypted: the whole roster"
    )
    page.get_by_role("button", name="Back up now").click()
    expect(page.get_by_role("status")).to_contain_text("Backed up: hq-backup-")
    with page.expect_download() as download:
        page.get_by_role("table", name="Backups kept by HQ, newest first").get_by_role("link").first.click()
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)
    assert archive.stat().st_size > 1_000_000  # the published films are in it
    with zipfile.ZipFile(archive) as zipped:  # nobody holding a copy can sign feedback or follow-up links
        assert "tables/hq_secrets.jsonl" not in zipped.namelist()
        held = b"".join(zipped.read(name) for name in zipped.namelist() if not name.startswith("blobs/"))
    assert not any(secret in held for secret in signing.values())

    new = tmp_path / "new-hq"
    new.mkdir()
    with database_url(hq.engine.dialect.name, new) as url, running_hq_after_restore(url, new, archive) as restored:
        said = capsys.readouterr().out
        assert "restored" in said
        assert "links made before the restore no longer work" in said
        assert count_records(restored.engine) == count_records(hq.engine)
        assert published.current(restored.engine) == published.current(hq.engine)
        again = RawLaptop(restored, laptop.token, laptop.trainer, laptop.unit)  # the token it already had
        north = session("NORTH", ("100234",))
        assert (
            again.push(item("session", north), item("attendance", attendance(north, "710003"))) == [("created", "")] * 2
        )
        # The restored HQ signs with keys of its own, which the laptop takes at its next sync.
        assert feedback_keys.secret(restored.engine) != signing["feedback_links"]
        page.goto(restored.url + "/console/")
        page.get_by_label("Username").fill("lead.north")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        figures = page.get_by_role("table", name="Completion per unit and programme, of those who must complete each")
        expect(figures.get_by_role("row", name="NORTH Signa")).to_contain_text("2 3")  # before, and the new one

        assert hq_main(["--home", str(new / "hq-home"), "--db", url, "restore", str(archive)]) == 1
        assert "already holds data" in capsys.readouterr().err


@contextmanager
def running_hq_after_restore(url: str, folder: Path, archive: Path) -> Iterator[Hq]:
    assert hq_main(["--home", str(folder / "hq-home"), "--db", url, "restore", str(archive)]) == 0
    with running_hq(url, folder, warm=True) as restored:
        yield restored
        restored.engine.dispose()


def test_a_damaged_backup_is_named_as_such_and_restores_nothing(
    hq: Hq, force: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hq_main([*admin(hq), "backup", "--to", str(tmp_path / "backups")]) == 0
    made = next((tmp_path / "backups").glob("hq-backup-*.zip"))
    with zipfile.ZipFile(made) as whole:
        assert {"manifest.json", "tables/records.jsonl", "tables/roster.jsonl"} <= set(whole.namelist())
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(made.read_bytes()[: made.stat().st_size // 2])
    new = tmp_path / "new-hq"
    assert hq_main(["--home", str(new), "--db", f"sqlite:///{tmp_path / 'new.sqlite3'}", "restore", str(damaged)]) == 1
    assert "damaged.zip: not a whole HQ backup" in capsys.readouterr().err


def test_a_backup_from_a_newer_release_or_with_a_damaged_film_is_refused_and_a_retry_succeeds(
    hq: Hq, force: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hq_main([*admin(hq), "publish", str(bundled("lesson_plans")), "--allow-sample-media"]) == 0
    assert hq_main([*admin(hq), "backup", "--to", str(tmp_path / "backups")]) == 0
    made = next((tmp_path / "backups").glob("hq-backup-*.zip"))
    with zipfile.ZipFile(made) as whole:
        parts = {name: whole.read(name) for name in whole.namelist()}
    blob_name = next(name for name in parts if name.startswith("blobs/"))

    def altered(name: str, **changed: bytes) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as out:
            for part, data in {**parts, **changed}.items():
                out.writestr(part, data)
        return path

    manifest = json.loads(parts["manifest.json"])
    newer = altered("newer.zip", **{"manifest.json": json.dumps({**manifest, "revision": "0099_later"}).encode()})
    damaged_film = altered("film.zip", **{blob_name: parts[blob_name] + b"!"})
    new = tmp_path / "new-hq"
    restore = ["--home", str(new), "--db", f"sqlite:///{tmp_path / 'new.sqlite3'}", "restore"]
    assert hq_main([*restore, str(newer)]) == 1
    assert "newer.zip was made by a newer release of HQ (schema 0099_later)" in capsys.readouterr().err
    assert hq_main([*restore, str(damaged_film)]) == 1
    assert "is damaged: its contents do not match" in capsys.readouterr().err
    assert not list((new / "blobs").glob("*.partial"))  # nothing half-written left behind
    assert hq_main([*restore, str(made)]) == 0  # the failed attempts left the new HQ empty: the retry is taken
