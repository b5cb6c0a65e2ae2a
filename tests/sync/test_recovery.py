"""A sync recovers by itself from content that will not install and from HQ answers that make no sense: the
roster and a lost laptop's wipe never wait for content, content stays pending until it is installed, and
every stop is a plain message that says what was already done."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.hq_server import Hq
from tests.sync.answering import serving
from trainer_desk import hq_link
from trainer_desk.__main__ import main
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import PlanRef
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import roster as hq_roster
from trainer_desk.lesson_content import find_plan, load_plans, prune_unused_content
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import outbox, roster, sessions
from trainer_desk.sync import content, credentials
from trainer_desk.sync.client import SyncError
from trainer_desk.sync.sync_report import SyncIncompleteError
from trainer_desk.workspace import Workspace, open_workspace

from ..store.test_sessions import make_session
from .test_sync import T0, enrolled, register_people

NORTH = [Person(f"52{n:04d}", f"F{n}", f"S{n}", "NORTH", PersonRole.OFFICER) for n in range(5)]

# --- content from a real HQ ---------------------------------------------------------------------------


def publish(hq: Hq, tmp_path: Path, plan_id: str = "raising-concerns", version: str = "1.1.0") -> list[Path]:
    """Publish the bundled 'raising-concerns' plan as `plan_id` at `version`; returns HQ's stored files."""
    folder = tmp_path / f"published-{plan_id}-{version}"
    shutil.copytree(bundled("lesson_plans") / "raising-concerns", folder / plan_id)
    manifest = folder / plan_id / "plan.toml"
    text = manifest.read_text(encoding="utf-8").replace('version = "1.0.0"', f'version = "{version}"')
    manifest.write_text(text.replace('id = "raising-concerns"', f'id = "{plan_id}"', 1), encoding="utf-8")
    hq_content.publish_content(hq.engine, folder, hq.blobs, allow_sample_media=True)
    return [hq.blobs / hq_store_sha(p) for p in sorted(folder.rglob("*")) if p.is_file()]


def hq_store_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def cursor(workspace: Workspace) -> int:
    row = workspace.db.execute("SELECT value FROM sync_state WHERE key = 'cursor'").fetchone()
    return int(row[0]) if row else 0


def test_content_whose_download_failed_is_fetched_at_the_next_sync(
    workspace: Workspace, hq: Hq, tmp_path: Path
) -> None:
    hq_roster.import_roster(hq.engine, NORTH)
    blob = publish(hq, tmp_path)[-1]
    kept = blob.read_bytes()
    blob.unlink()  # HQ cannot serve this file for now
    enrolled(workspace, hq)
    with pytest.raises(SyncError) as caught:
        hq_link.sync_once(workspace)
    message = caught.value.message
    assert message.startswith("5 roster changes were received, then the sync stopped: Lesson content version 1")
    assert "tried again at the next sync" in message and "HTTP 404" in message
    assert isinstance(caught.value, SyncIncompleteError) and caught.value.report.roster_changes == 5
    assert roster.count_people(workspace.db) == 5  # the roster did not wait for the content
    assert cursor(workspace) > 0 and content.installed_version(workspace.paths.content_dir) == 0
    blob.write_bytes(kept)
    report = hq_link.sync_once(workspace)  # HQ does not offer version 1 again: the laptop kept it pending
    assert report.content_version == 1
    plan = load_plans(workspace.paths).get("raising-concerns")
    assert plan is not None and plan.version == "1.1.0"
    assert hq_link.sync_once(workspace).content_version is None  # installed once, and no longer pending


def test_a_file_that_does_not_match_its_checksum_is_a_sync_problem_not_a_fault(
    tmp_path: Path, hq: Hq, capsys: pytest.CaptureFixture[str]
) -> None:
    blobs = publish(hq, tmp_path)
    original = blobs[0].read_bytes()
    blobs[0].write_bytes(bytes(len(original)))  # the same size, other bytes: damaged on HQ's disk
    data = ["--data-dir", str(tmp_path / "laptop")]
    assert main([*data, "enroll", hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH")]) == 0
    capsys.readouterr()
    assert main([*data, "sync"]) == 1
    errors = capsys.readouterr().err
    assert "Lesson content version 1 from HQ could not be installed: the file raising-concerns/" in errors
    assert "does not match its checksum" in errors and "fault in the program" not in errors
    blobs[0].write_bytes(original)  # HQ repaired
    assert main([*data, "sync"]) == 0
    assert "lesson content version 1 installed" in capsys.readouterr().out


def test_a_lost_laptop_is_wiped_even_when_its_content_is_broken(workspace: Workspace, hq: Hq, tmp_path: Path) -> None:
    blobs = publish(hq, tmp_path)
    blobs[0].write_bytes(b"damaged")
    enrolled(workspace, hq)
    register_people(workspace, 3)
    [device] = hq_devices.list_devices(hq.engine)
    hq_devices.set_device_flag(hq.engine, device["id"], "lost")
    paths = workspace.paths
    report = hq_link.sync_once(workspace)
    assert report.wipe_requested and report.content_version is None
    assert hq_records.count_records(hq.engine, "attendance") == 3
    assert not paths.database.exists() and workspace.closed


# --- old content stays while it is used -------------------------------------------------------------


def test_new_content_never_removes_a_version_still_in_use(workspace: Workspace, hq: Hq, tmp_path: Path) -> None:
    publish(hq, tmp_path, "practice-plan", "1.0.0")
    enrolled(workspace, hq)
    assert hq_link.sync_once(workspace).content_version == 1
    paths = workspace.paths
    open_plan = load_plans(paths).get("practice-plan")  # as a window holds it
    assert open_plan is not None
    session = make_session()
    planned = sessions.create_session(workspace.db, replace_plan(session, "practice-plan", "1.0.0"), T0)
    publish(hq, tmp_path, "practice-plan", "1.1.0")
    assert hq_link.sync_once(workspace).content_version == 2  # as the running app syncs: nothing deleted
    assert (open_plan.folder / "plan.toml").is_file()
    newest = load_plans(paths).get("practice-plan")
    assert newest is not None and newest.version == "1.1.0"
    hq_link.sync_once(workspace, keep_content=())  # as `trainer-desk sync` does: only what nothing uses goes
    stamped = find_plan(paths, "practice-plan", "1.0.0")  # a planned session needs its exact version
    assert stamped is not None and stamped.folder == open_plan.folder
    with workspace.db.atomic():
        workspace.db.execute("UPDATE sessions SET status = 'cancelled' WHERE uuid = ?", [planned.uuid])
    assert prune_unused_content(paths, workspace.db, [open_plan.folder]) == []  # a window still shows it
    assert (open_plan.folder / "plan.toml").is_file()
    removed = prune_unused_content(paths, workspace.db)
    assert [p.name for p in removed] == ["v1"] and not open_plan.folder.exists()
    assert find_plan(paths, "practice-plan", "1.0.0") is None
    assert [p.name for p in content.version_folders(paths.content_dir)] == ["v2"]


def replace_plan(session: Any, plan_id: str, version: str) -> Any:
    from dataclasses import replace

    return replace(session, plan=PlanRef(plan_id, version, "raising-concerns"))


def test_a_prune_while_new_content_is_installed_keeps_the_new_version(tmp_path: Path) -> None:
    """Start-up's prune and a sync's install can overlap: a version newer than the one in use is never
    touched, and an unfinished download is left alone while its version is still new."""
    from trainer_desk.sync.protocol import ContentFile, ContentManifest

    folder = tmp_path / "content"
    content.install(ContentManifest(1, ()), folder, lambda sha, target, size: None)
    (folder / "v2" / "a").mkdir(parents=True)  # switched in by the sync a moment after the prune began
    (folder / ".incoming-v3" / "a").mkdir(parents=True)
    (folder / ".incoming-v1").mkdir()  # a download for a version already installed
    empty = ContentFile("a/empty.toml", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0)
    removed = content.prune(folder, ())
    assert [p.name for p in removed] == [".incoming-v1"]
    assert (folder / "v2").is_dir() and (folder / ".incoming-v3").is_dir()
    content.install(ContentManifest(3, (empty,)), folder, lambda sha, target, size: target.touch())
    # An app that loaded its plans from version 2 keeps it until it says otherwise.
    assert [p.name for p in content.prune(folder, (), older_than=2)] == ["v1"]
    assert [p.name for p in content.prune(folder, ())] == ["v2"]
    assert content.installed_version(folder) == 3


# --- HQ answers that make no sense, from a real local server --------------------------------------------


@dataclass
class FakeHq:
    url: str
    requests: list[str] = field(default_factory=list)


Answer = Callable[[str, dict[str, Any]], tuple[int, bytes]]


@contextmanager
def fake_hq(answer: Answer, snapshot: tuple[int, bytes] = (404, b"{}")) -> Iterator[FakeHq]:
    """A real HTTP server on loopback that answers each request with `answer(path, body)`; a first pull at once
    with `snapshot` (by default as an HQ that pages a first pull instead)."""
    seen: list[str] = []

    def reply(_method: str, path: str, sent: bytes) -> tuple[int, dict[str, str], bytes]:
        body = json.loads(sent) if sent else {}
        seen.append(path)
        status, data = snapshot if path == "/v1/snapshot" else answer(path, body)
        return status, {"Content-Type": "application/json"}, data

    with serving(reply) as address:
        yield FakeHq(address, seen)


def accept_every_push(path: str, body: dict[str, Any]) -> tuple[int, bytes] | None:
    if not path.startswith("/v1/push"):
        return None
    results = [{"uuid": i["uuid"], "version": i["version"], "status": "created"} for i in body["items"]]
    return 200, json.dumps({"results": results, "server_time": "2026-11-23T09:00:00+00:00"}).encode()


def changes(cursor: int, more: bool, server_time: str = "2026-11-23T09:00:00+00:00") -> tuple[int, bytes]:
    answer = {"roster": [], "cursor": cursor, "more": more, "content": None, "device_status": "active"}
    return 200, json.dumps({**answer, "server_time": server_time}).encode()


def linked(paths: AppPaths, workspace: Workspace, url: str) -> None:
    with workspace.db.atomic():
        workspace.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', ?)", [url])
    credentials.save_token(paths.data_dir, "a-token", workspace.keychain)


def test_more_with_a_cursor_that_does_not_move_stops_the_pull(workspace: Workspace) -> None:
    def answer(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        return changes(7, more=True)  # since=0, then since=7: always "more", never further than 7

    with fake_hq(answer) as hq:
        linked(workspace.paths, workspace, hq.url)
        with pytest.raises(SyncError) as caught:
            hq_link.sync_once(workspace)
    assert caught.value.kind == "bad_answer" and "without moving on" in caught.value.message
    assert [p.split("?")[0] for p in hq.requests] == ["/v1/snapshot", "/v1/changes", "/v1/changes"]
    assert cursor(workspace) == 7  # the first batch moved it on, and was kept


def test_a_server_time_without_a_timezone_is_not_compared(workspace: Workspace) -> None:
    times = ["2026-11-23T09:00:00", "2026-11-23T09:30:00+00:00"]

    def answer(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        if not path.startswith("/v1/changes"):
            return 404, b'{"detail": "Not Found"}'  # as an HQ without phone feedback answers its calls
        return changes(3, more=False, server_time=times.pop(0))

    with fake_hq(answer) as hq:
        linked(workspace.paths, workspace, hq.url)
        assert hq_link.sync_once(workspace).clock_difference_s is None
        assert hq_link.sync_once(workspace).clock_difference_s is not None  # HQ's zone given: compared


def test_a_pull_that_fails_after_a_push_says_what_was_sent(workspace: Workspace) -> None:
    register_people(workspace, 29)
    register_people(workspace, 29)  # two sessions of 29: 60 records

    def answer(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        return accept_every_push(path, body) or (200, b"<html>proxy login</html>")

    with fake_hq(answer) as hq:
        linked(workspace.paths, workspace, hq.url)
        with pytest.raises(SyncError) as caught:
            hq_link.sync_once(workspace)
    message = caught.value.message
    # a web page where HQ's answer should be is a proxy's or a sign-in page's, not HQ's
    assert message.startswith("60 records were sent to HQ, then the sync stopped: Something other than HQ answered")
    assert "Sign in to the network" in message
    assert "nothing was changed" not in message
    assert isinstance(caught.value, SyncIncompleteError) and caught.value.report.pushed == 60
    assert outbox.waiting_count(workspace.db) == 0


def test_a_sync_that_fails_before_doing_anything_says_only_why(tmp_path: Path) -> None:
    workspace = open_workspace(AppPaths.resolve(tmp_path / "d"))
    try:
        with fake_hq(lambda path, body: (200, b"[]")) as hq:
            linked(workspace.paths, workspace, hq.url)
            with pytest.raises(SyncError) as caught:
                hq_link.sync_once(workspace)
    finally:
        workspace.close()
    assert not isinstance(caught.value, SyncIncompleteError)
    assert caught.value.message == "HQ's answer was not in the expected shape, so it was not used."


@pytest.mark.parametrize(
    "row",
    [
        ["not-a-uuid", "710001", "signa", "00000000-0000-4000-8000-000000000001", "2026-11-12T09:00:00+00:00", "1"],
        ["00000000-0000-4000-8000-000000000002", 710001, "signa", "00000000-0000-4000-8000-000000000001", "", "1"],
        ["00000000-0000-4000-8000-000000000002", "710001", "signa"],
        ["00000000-0000-4000-8000-000000000002", "710001", "signa", "000000000000-4000-8000-0000-00000001", "", "1"],
        ["00000000-0000-4000-8000-00000000000G", "710001", "signa", "00000000-0000-4000-8000-000000000001", "", "1"],
        ["00000000-0000-4000-8000-000000000002", "710001", "signa", None, "", "1"],
    ],
    ids=[
        "a registration that is not a uuid",
        "a number where text belongs",
        "a short row",
        "a session whose dashes are out of place",
        "a registration with a letter no uuid has",
        "no session",
    ],
)
def test_a_first_pull_with_a_malformed_completion_is_refused_whole(workspace: Workspace, row: list[object]) -> None:
    people = [{"seq": 1, "staff_number": "710001", "forename": "Aleksandra", "surname": "Wiśniewska",
               "unit": "NORTH", "role": "officer", "rank": "", "team": "", "joined": "", "removed": False}]  # fmt: skip
    answer = {"cursor": 9, "roster": people, "completions": [row], "records": [], "content": None}
    before = roster.count_people(workspace.db)
    with fake_hq(lambda path, body: changes(9, more=False), (200, json.dumps(answer).encode())) as hq:
        linked(workspace.paths, workspace, hq.url)
        with pytest.raises(SyncError) as caught:
            hq_link.sync_once(workspace)
    assert caught.value.kind == "bad_answer" and "first pull this version cannot read" in caught.value.message
    assert roster.count_people(workspace.db) == before  # nothing of it was written: the demo roster stays
    assert workspace.db.execute("SELECT value FROM sync_state WHERE key = 'cursor'").fetchone() is None


PERSON = {"seq": 1, "staff_number": "710001", "forename": "Aleksandra", "surname": "Wiśniewska", "unit": "NORTH",
          "role": "officer", "rank": "", "team": "", "joined": "", "removed": False}  # fmt: skip


@pytest.mark.parametrize(
    "person",
    [
        {**PERSON, "removed": "false"},
        {**PERSON, "forename": None},
        {**PERSON, "surname": 12345},
        {**PERSON, "forename": "A" * 12_000},
    ],
    ids=["'false' as text", "no forename", "a number as a surname", "a name of 12,000 letters"],
)
def test_a_first_pull_with_a_malformed_person_is_refused_whole(workspace: Workspace, person: dict[str, Any]) -> None:
    """A person HQ sends goes on registers and sheets as given: one that is not as a roster file could give
    them (text of at most 80 letters, a yes or no for having left) refuses the answer, and nothing changes."""
    answer = {"cursor": 9, "roster": [person], "completions": [], "records": [], "content": None}
    before = roster.count_people(workspace.db)
    with fake_hq(lambda path, body: changes(9, more=False), (200, json.dumps(answer).encode())) as hq:
        linked(workspace.paths, workspace, hq.url)
        with pytest.raises(SyncError) as caught:
            hq_link.sync_once(workspace)
    assert caught.value.kind == "bad_answer"
    assert roster.count_people(workspace.db) == before


def test_a_line_break_an_older_hq_kept_in_a_name_arrives_as_a_space(workspace: Workspace) -> None:
    """HQ's roster import once let a line break typed into a cell through: that name reaches the laptop (and
    every sync goes on), the break a space."""
    person = {**PERSON, "surname": "Wiśniewska\nKowalska"}
    answer = {"cursor": 9, "roster": [person], "completions": [], "records": [], "content": None}
    with fake_hq(lambda path, body: changes(9, more=False), (200, json.dumps(answer).encode())) as hq:
        linked(workspace.paths, workspace, hq.url)
        hq_link.sync_once(workspace)
    arrived = roster.get_person(workspace.db, "710001")
    assert arrived is not None and arrived.surname == "Wiśniewska Kowalska"


def test_a_feedback_key_hq_garbles_is_not_kept_and_every_sync_goes_on(workspace: Workspace) -> None:
    """An HQ whose answer for the phone-feedback key is not a key: the laptop keeps none (it makes no feedback
    links, and asks again), and its syncs carry on."""

    def answer(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        if path.startswith("/v1/feedback-key"):
            return 200, json.dumps({"device_id": "d-1", "feedback_key": "%%% not base64 %%%"}).encode()
        if path.startswith("/v1/changes"):
            return changes(3, more=False)
        return 404, b'{"detail": "Not Found"}'

    with fake_hq(answer) as hq:
        linked(workspace.paths, workspace, hq.url)
        hq_link.sync_once(workspace)
        hq_link.sync_once(workspace)
        asked = [p for p in hq.requests if p.startswith("/v1/feedback-key")]
    assert hq_link.feedback_key(workspace.db) is None
    assert len(asked) == 2  # asked at each sync, never stored


def test_a_laptop_takes_the_new_feedback_key_of_an_hq_restored_from_a_backup(workspace: Workspace) -> None:
    """A backup holds no signing keys, so a restored HQ makes new ones and refuses links signed with the old:
    the laptop takes its new key at its next sync, and its links work again."""
    keys = [base64.urlsafe_b64encode(bytes([n]) * 32).decode() for n in (1, 2)]

    def answer(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        if path.startswith("/v1/feedback-key"):
            return 200, json.dumps({"device_id": "d-1", "feedback_key": keys[0]}).encode()
        if path.startswith("/v1/changes"):
            return changes(3, more=False)
        return 404, b'{"detail": "Not Found"}'

    with fake_hq(answer) as hq:
        linked(workspace.paths, workspace, hq.url)
        hq_link.sync_once(workspace)
        assert hq_link.feedback_key(workspace.db) == ("d-1", bytes([1]) * 32)
        keys.pop(0)  # HQ restored from a backup: a key of its own now
        hq_link.sync_once(workspace)
    assert hq_link.feedback_key(workspace.db) == ("d-1", bytes([2]) * 32)
