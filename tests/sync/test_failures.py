"""Exactly once under the failures that happen in the field: answers lost after HQ committed, a process
killed mid-sync, an interrupted download, and a laptop reported lost."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
import pytest
import requests

from tests.file_keyring import FILE_ENV, FileKeyring
from tests.hq_server import Hq, silent_server
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import roster as hq_roster
from trainer_desk.key_store import SERVICE, key_name
from trainer_desk.paths import AppPaths
from trainer_desk.store import attendance, outbox, roster, sessions
from trainer_desk.sync import content, credentials
from trainer_desk.sync.client import HqClient, SyncError
from trainer_desk.sync.protocol import PROTOCOL_HEADER, ContentFile, ContentManifest
from trainer_desk.workspace import Workspace, open_workspace

from ..store.test_sessions import make_session
from .test_sync import T0, enrolled, register_people

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def dropping_proxy(target_port: int, drop_first: int = 0, delay: float = 0.0) -> Iterator[tuple[str, list[int]]]:
    """A loopback TCP proxy that passes each request to HQ but, for the first `drop_first` pushes, closes the
    connection instead of returning HQ's answer: the answer is lost after HQ committed. `delay` holds every
    answer back a little, like a slow network."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    dropped = [0]
    stop = threading.Event()

    def handle(client: socket.socket) -> None:
        # The laptop killed mid-request, or HQ hanging up: a real network sees both, and the app must cope.
        with contextlib.suppress(OSError):
            relay(client)

    def relay(client: socket.socket) -> None:
        with client, socket.create_connection(("127.0.0.1", target_port)) as upstream:
            request = b""
            client.settimeout(5)
            while b"\r\n\r\n" not in request:
                request += client.recv(65536)
            head, _, body = request.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            while len(body) < length:
                body += client.recv(65536)
            upstream.sendall(head + b"\r\n\r\n" + body)
            upstream.settimeout(10)
            answer = b""
            while True:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                answer += chunk
                if b"\r\n\r\n" in answer:
                    h, _, b = answer.partition(b"\r\n\r\n")
                    n = next(
                        (
                            int(line.split(b":")[1])
                            for line in h.split(b"\r\n")
                            if line.lower().startswith(b"content-length")
                        ),
                        None,
                    )
                    if n is not None and len(b) >= n:
                        break
            if head.startswith(b"POST /v1/push") and dropped[0] < drop_first:
                dropped[0] += 1
                return  # HQ has committed; the laptop never hears
            time.sleep(delay)
            client.sendall(answer)

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle, args=(client,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", dropped
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_answers_lost_after_hq_committed(workspace: Workspace, hq: Hq) -> None:
    register_people(workspace, 25)
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    with dropping_proxy(hq.port, drop_first=2) as (proxy_url, dropped):
        hq_link.enroll(workspace, proxy_url, code)
        report = hq_link.sync_once(workspace)
    assert dropped[0] == 2
    assert report.pushed == 26 and outbox.waiting_count(workspace.db) == 0
    assert hq_records.count_records(hq.engine) == 26


def test_a_batch_half_applied_before_a_crash(workspace: Workspace, hq: Hq) -> None:
    enrolled(workspace, hq)
    register_people(workspace, 20)
    from trainer_desk.sync.engine import SyncEngine

    client = hq_link.client_for(workspace.paths, workspace.db, workspace.settings, workspace.keychain)
    batch = [item for _, item in SyncEngine(workspace.db, client, workspace.paths.content_dir).next_batch()]
    client.push(batch[: len(batch) // 2])  # HQ stored half, then the laptop lost power
    hq_link.sync_once(workspace)
    assert hq_records.count_records(hq.engine) == 21
    assert len({r["uuid"] for r in hq_records.registrations(hq.engine)}) == 20


def test_the_app_killed_at_random_points_mid_sync(tmp_path: Path, hq: Hq) -> None:
    """`trainer-desk sync` in a child process, killed at random moments many times, then let finish."""
    ring = tmp_path / "keyring.json"
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.file_keyring.FileKeyring",
        FILE_ENV: str(ring),
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
    }
    os.environ[FILE_ENV] = str(ring)
    keyring.set_keyring(FileKeyring())
    paths = AppPaths.resolve(tmp_path / "laptop")
    workspace = open_workspace(paths)
    people = [Person(f"9{n:05d}", f"F{n}", f"S{n}", "NORTH", PersonRole.OFFICER) for n in range(6000)]
    roster.upsert_people(workspace.db, people)
    with workspace.db.atomic():  # one transaction, for speed: each line still gets its outbox entry
        for s in range(24):
            session = sessions.create_session(workspace.db, make_session(), T0)
            for person in people[s * 250 : (s + 1) * 250]:
                attendance.add_attendee(workspace.db, session, person, AttendanceStatus.PRESENT, "100234", T0)
    sent = outbox.waiting_count(workspace.db)
    slow = dropping_proxy(hq.port, delay=0.2)  # a slow network, so kills land in the middle of a sync
    proxy_url, _ = slow.__enter__()
    hq_link.enroll(workspace, proxy_url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    workspace.close()
    command = [sys.executable, "-m", "trainer_desk", "--data-dir", str(paths.data_dir), "sync"]
    rng = random.Random(1234)
    kills = partial = 0
    for _ in range(15):
        before = hq_records.count_records(hq.engine)
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Once its sync is under way (HQ has taken something from it, however slow the machine is to start
        # it), a random moment later: the kill lands mid-sync rather than during start-up.
        deadline = time.monotonic() + 60
        while child.poll() is None and hq_records.count_records(hq.engine) == before and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.6))
        if child.poll() is None:
            child.kill()
            kills += 1
        child.wait()
        received = hq_records.count_records(hq.engine)
        if 0 < received < sent:
            partial += 1
        if hq_records.count_records(hq.engine) == sent:
            break
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    slow.__exit__(None, None, None)
    assert finished.returncode == 0, finished.stderr
    assert kills >= 1 and partial >= 1, (
        "a child must have been killed part-way through a sync for this to mean anything"
    )
    assert hq_records.count_records(hq.engine) == sent
    assert len({r["uuid"] for r in hq_records.registrations(hq.engine)}) == 6000
    again = open_workspace(paths)
    assert outbox.waiting_count(again.db) == 0
    again.close()


def test_an_interrupted_download_leaves_the_old_content_in_use(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    first = ContentManifest(1, (ContentFile("a/plan.toml", _sha(b"one"), 3),))
    content.install(first, folder, lambda sha, target, size: target.write_bytes(b"one"))
    second = ContentManifest(2, (ContentFile("a/plan.toml", _sha(b"two"), 3), ContentFile("a/faq.toml", _sha(b"x"), 1)))

    def dies_half_way(sha: str, target: Path, size: int) -> None:
        if target.name == "faq.toml":
            raise ConnectionError("the network went away")
        target.write_bytes(b"two")

    with pytest.raises(ConnectionError):
        content.install(second, folder, dies_half_way)
    current = content.current_content(folder)
    assert current is not None and (current / "a" / "plan.toml").read_bytes() == b"one"
    tampered = ContentManifest(3, (ContentFile("a/plan.toml", _sha(b"three"), 5),))
    with pytest.raises(content.ContentMismatchError, match="does not match its checksum"):
        content.install(tampered, folder, lambda sha, target, size: target.write_bytes(b"bad!!"))
    assert content.installed_version(folder) == 1
    fetched: list[str] = []

    def fetch(sha: str, target: Path, size: int) -> None:
        fetched.append(target.name)
        target.write_bytes(b"two" if size == 3 else b"x")

    content.install(second, folder, fetch)
    assert content.installed_version(folder) == 2
    assert fetched == ["faq.toml"]  # the plan fetched and checked before the network went is not fetched again


def test_a_download_cut_off_part_way_is_reported_as_a_network_failure(tmp_path: Path) -> None:
    """An answer that promises 100,000 bytes and stops after 1,000, as a dropped connection does."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer_then_hang_up() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)

    server = threading.Thread(target=answer_then_hang_up)
    server.start()
    try:
        client = HqClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "a-token")
        with pytest.raises(SyncError) as caught:
            client.download("0" * 64, tmp_path / "plan.toml", 100_000)
    finally:
        server.join(10)
        listener.close()
    assert caught.value.kind == "offline" and "cut off part-way" in caught.value.message


def test_unsafe_file_names_from_hq_are_refused() -> None:
    from trainer_desk.sync.protocol import ProtocolError

    for bad in ("../evil", "/etc/passwd", "a/../../b", "a\\b", ".hidden"):
        with pytest.raises(ProtocolError):
            ContentFile.from_wire({"path": bad, "sha256": "0" * 64, "size": 1})


def test_a_lost_laptop_sends_everything_first_then_wipes(workspace: Workspace, hq: Hq, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    enrolled(workspace, hq)
    register_people(workspace, 12)
    [device] = hq_devices.list_devices(hq.engine)
    hq_devices.set_device_flag(hq.engine, device["id"], "lost")
    paths = workspace.paths
    report = hq_link.sync_once(workspace)
    assert report.wipe_requested
    assert hq_records.count_records(hq.engine, "attendance") == 12  # pushed before the wipe
    assert [r["action"] for r in hq_records.records_of(hq.engine, "audit")] == ["wipe"]
    assert not paths.database.exists() and not paths.backups_dir.exists()
    assert memory_keyring.get_password(SERVICE, key_name(paths)) is None
    assert workspace.closed


def test_a_laptop_revoked_then_reported_lost_is_told_to_wipe(workspace: Workspace, hq: Hq) -> None:
    """Revoked first (it stopped syncing), then found to be stolen: marking it lost must still reach it."""
    enrolled(workspace, hq)
    register_people(workspace, 3)
    [device] = hq_devices.list_devices(hq.engine)
    hq_devices.set_device_flag(hq.engine, device["id"], "revoked")
    hq_devices.set_device_flag(hq.engine, device["id"], "lost")
    paths = workspace.paths
    assert hq_link.sync_once(workspace).wipe_requested
    assert not paths.database.exists() and workspace.closed


def test_hq_sends_a_lost_laptop_nothing_of_the_force(workspace: Workspace, hq: Hq) -> None:
    """Whoever holds a stolen laptop may sync it once more: it is told to wipe, and sent nobody's data."""
    hq_roster.import_roster(hq.engine, [Person("710001", "Gwenllian", "Ap Rhys", "NORTH", PersonRole.OFFICER)])
    enrolled(workspace, hq)
    token = credentials.load_token(workspace.paths.data_dir, workspace.keychain)
    [device] = hq_devices.list_devices(hq.engine)
    hq_devices.set_device_flag(hq.engine, device["id"], "lost")
    headers = {"Authorization": f"Bearer {token}", PROTOCOL_HEADER: "2"}
    for path in ("/v1/snapshot", "/v1/changes?since=0"):
        answer = requests.get(hq.url + path, headers=headers, timeout=10).json()
        assert answer["device_status"] == "lost"
        assert answer["roster"] == answer["completions"] == answer["records"] == []
        assert answer.get("units") is None and answer["content"] is None


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_ctrl_c_during_a_sync_stops_it_plainly(tmp_path: Path) -> None:
    """`trainer-desk sync` waiting on an HQ that never answers, interrupted from the keyboard."""
    ring = tmp_path / "keyring.json"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.file_keyring.FileKeyring", FILE_ENV: str(ring)}
    env["PYTHONPATH"] = str(REPO)
    os.environ[FILE_ENV] = str(ring)
    keyring.set_keyring(FileKeyring())
    with silent_server() as (port, accepted):
        paths = AppPaths.resolve(tmp_path / "laptop")
        workspace = open_workspace(paths)
        register_people(workspace, 2)
        with workspace.db.atomic():
            workspace.db.execute(
                "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', ?)", [f"http://127.0.0.1:{port}"]
            )
        credentials.save_token(paths.data_dir, "a-token", workspace.keychain)
        workspace.close()
        command = [sys.executable, "-m", "trainer_desk", "--data-dir", str(paths.data_dir), "sync"]
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert accepted()
        child.send_signal(signal.SIGINT)
        _, errors = child.communicate(timeout=30)
    assert child.returncode == 130
    assert errors.strip() == "trainer-desk: sync interrupted"
    again = open_workspace(paths)
    assert outbox.waiting_count(again.db) == 3  # two registrations and their session, all still waiting
    again.close()


def _answering(reply: Callable[[socket.socket], None]) -> tuple[socket.socket, threading.Thread]:
    """An HQ on loopback that answers one request with `reply`, as a misbehaving server or proxy would."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            with contextlib.suppress(OSError):  # the client may hang up first
                reply(connection)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    return listener, server


def test_an_hq_that_trickles_its_answer_is_given_up_at_the_deadline_not_waited_on_for_ever() -> None:
    """One byte every half second restarts the read timeout each time: the sync ran for as long as HQ kept it
    up, and no later sync could start."""

    def trickle(connection: socket.socket) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(40):
            connection.sendall(b" ")
            time.sleep(0.5)

    listener, _trickling = _answering(trickle)  # a daemon: it ends with the test process if not before
    try:
        client = HqClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "a-token")
        client.answer_deadline_s = 2.0
        started = time.monotonic()
        with pytest.raises(SyncError) as caught:
            client.changes(0)
        waited = time.monotonic() - started
    finally:
        listener.close()
    assert caught.value.kind == "offline" and "took more than 2 seconds" in caught.value.message
    assert waited < 10  # given up once, not tried again four times


@pytest.mark.parametrize("announced", [True, False], ids=["length announced", "chunked"])
def test_an_answer_far_larger_than_any_hq_sends_is_refused_as_it_arrives(announced: bool) -> None:
    size = 3 * 1024 * 1024

    def huge(connection: socket.socket) -> None:
        if announced:
            connection.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
            connection.sendall(b"[" + b"0," * (size // 2))
        else:
            connection.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(size // 65536):
                connection.sendall(b"10000\r\n" + b"0" * 65536 + b"\r\n")

    listener, server = _answering(huge)
    try:
        client = HqClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "a-token")
        client.max_answer_bytes = 1024 * 1024
        with pytest.raises(SyncError) as caught:
            client.changes(0)
    finally:
        server.join(10)
        listener.close()
    assert caught.value.kind == "bad_answer" and "far larger" in caught.value.message


def test_an_hq_that_answers_with_a_fault_is_not_said_to_be_unreachable() -> None:
    """HQ answered, four times, with a server fault: the trainer is told HQ answered but could not take the
    sync (for IT to look at HQ), not that it "could not be reached" (which sends them to check the network)."""
    served = 0

    def faults() -> None:
        nonlocal served
        while served < 4:
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                # closed after each answer, and said so: a client that kept it for the next try found it gone, and
                # counted that try as unreachable rather than as the fault it was answered with
                connection.sendall(
                    b"HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 5\r\n\r\noops!"
                )
            served += 1

    listener = socket.create_server(("127.0.0.1", 0))
    server = threading.Thread(target=faults, daemon=True)
    server.start()
    try:
        client = HqClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "a-token")
        client.sleep = lambda _seconds: None  # its waits between tries, skipped
        with pytest.raises(SyncError) as caught:
            client.changes(0)
    finally:
        server.join(10)
        listener.close()
    assert caught.value.kind == "server" and served == 4
    assert caught.value.message.startswith("HQ answered but could not take this sync: it reported a fault (HTTP 500)")
    assert "could not be reached" not in caught.value.message
