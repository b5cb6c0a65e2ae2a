"""The window reaches the keyring through a child of itself (`trainer-desk --keyring`), so the keyring package and
its backends never load into the process that stays open all day. The child is the real program, run as the
app runs it; the keyring behind it is a test keyring selected with the keyring package's own variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.file_keyring import FILE_ENV
from trainer_desk.keychain import KeychainError, KeychainHelperError, KeychainInChild
from trainer_desk.paths import AppPaths
from trainer_desk.store.connection import is_plaintext
from trainer_desk.sync import credentials

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ring() -> Path:
    """The keyring file this process's children use (every test's children have one; see conftest)."""
    return Path(os.environ[FILE_ENV])


def test_a_secret_kept_through_the_child_is_read_back_and_removed(ring: Path) -> None:
    keychain = KeychainInChild()
    assert keychain.get("Trainer Desk HQ", "device-token-x") is None
    keychain.set("Trainer Desk HQ", "device-token-x", "sëcret-tøken")
    assert json.loads(ring.read_text()) == {"Trainer Desk HQ|device-token-x": "sëcret-tøken"}
    assert keychain.get("Trainer Desk HQ", "device-token-x") == "sëcret-tøken"
    keychain.delete("Trainer Desk HQ", "device-token-x")
    keychain.delete("Trainer Desk HQ", "device-token-x")  # already gone: nothing to do, no error
    assert keychain.get("Trainer Desk HQ", "device-token-x") is None


def test_a_locked_keyring_behind_the_child_is_said_to_be_locked(ring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.LockedKeyring")
    with pytest.raises(credentials.KeyringUnavailableError) as raised:
        credentials.load_token(Path("/laptop/data"), KeychainInChild())
    assert "keyring is locked" in raised.value.message


def test_no_keyring_behind_the_child_is_an_error_naming_it(ring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.NoKeyring")
    with pytest.raises(KeychainError) as raised:
        KeychainInChild().get("Trainer Desk", "database-key-x")
    assert raised.value.reason == "NoKeyringError" and not raised.value.locked


@pytest.mark.parametrize(
    ("command", "said"),
    [
        ([sys.executable, "-c", "print('nonsense')"], "gave no answer"),
        ([sys.executable, "-c", "import sys; sys.exit(9)"], "exit status 9"),
        ([sys.executable, "-c", "print('[1, 2]')"], "gave no answer"),
        ([sys.executable, "-c", "print('{\"secret\": 7}')"], "not a secret"),
        ([sys.executable, "-c", "print('{}')"], "neither a secret nor an error"),
        (["/no/such/program"], "did not run"),
    ],
)
def test_a_child_that_fails_or_answers_nonsense_is_an_error_not_a_secret(command: list[str], said: str) -> None:
    with pytest.raises(KeychainError) as raised:
        KeychainInChild(command).get("Trainer Desk", "database-key-x")
    assert said in raised.value.reason


def test_a_keyring_failing_under_the_child_is_not_blamed_on_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store found half written raises ValueError inside the backend: that is the keyring failing (try again),
    not a request the child could not read."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.HalfWrittenKeyring")
    with pytest.raises(KeychainHelperError) as raised:
        KeychainInChild().get("Trainer Desk", "database-key-x")
    assert "gave no answer" in raised.value.reason


@pytest.mark.parametrize(
    "request_text",
    ["not json", "[1, 2]", '{"do": "get", "service": "Trainer Desk"}', '{"do": "set", "service": "s", "name": "n"}'],
)
def test_a_request_the_child_cannot_read_is_answered_so(ring: Path, request_text: str) -> None:
    """The child answers a malformed request with an error naming it, and keeps nothing."""
    child = subprocess.run(
        KeychainInChild().command, input=request_text, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert json.loads(child.stdout)["error"].startswith("the request could not be read")
    assert not ring.exists() or json.loads(ring.read_text()) == {}


def test_the_open_window_never_loads_the_keyring_yet_keeps_its_key_there(ring: Path, tmp_path: Path) -> None:
    """The app, started twice as a person starts it: the first start makes the database and its key (kept in
    the keyring by the child), the second opens it with that key; neither loads the keyring package."""
    data = tmp_path / "data"
    script = (
        "import json, sys\n"
        "from trainer_desk.__main__ import main\n"
        f"code = main(['--data-dir', {str(data)!r}, '--exit-after', '0.2'])\n"
        "print(json.dumps([code, 'keyring' in sys.modules]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
        )
        assert "Trainer Desk is ready" in result.stdout, result.stderr[-2000:]
        code, keyring_loaded = json.loads(result.stdout.splitlines()[-1])
        assert code == 0 and keyring_loaded is False
    database = AppPaths.resolve(data).database
    assert not is_plaintext(database)
    assert [name.split("|")[0] for name in json.loads(ring.read_text())] == ["Trainer Desk"]


def test_a_secret_read_ahead_is_answered_from_what_was_read(ring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window asks for its database key on a worker thread, then opens the database with the answer."""
    keychain = KeychainInChild()
    keychain.set("Trainer Desk", "database-key-x", "the key")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.LockedKeyring")
    fresh = KeychainInChild()
    fresh.read_ahead("Trainer Desk", "database-key-x")
    with pytest.raises(KeychainError) as raised:
        fresh.get("Trainer Desk", "database-key-x")  # a keyring that failed is said when the key is wanted
    assert raised.value.locked
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.file_keyring.FileKeyring")  # unlocked since
    assert fresh.get("Trainer Desk", "database-key-x") == "the key"  # a failure is not remembered


def test_each_secret_is_asked_of_the_keyring_once_a_day(ring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync, and the poll for phone answers every few seconds of a presentation, read HQ's token: the keyring
    (a child process each time) is asked the first time only, and a token changed here is known at once."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.file_keyring.RecordingKeyring")
    asked = Path(f"{ring}.asked")
    keychain = KeychainInChild()
    data = Path("/laptop/data")
    assert credentials.load_token(data, keychain) is None  # not enrolled yet
    credentials.save_token(data, "first-token", keychain)
    for _ in range(5):
        assert credentials.load_token(data, keychain) == "first-token"
    credentials.save_token(data, "second-token", keychain)  # enrolled again
    assert credentials.load_token(data, keychain) == "second-token"
    credentials.forget_token(data, keychain)  # wiped
    assert credentials.load_token(data, keychain) is None
    assert asked.read_text().splitlines() == ["Trainer Desk HQ"]  # one read of the keyring in all that
    assert json.loads(ring.read_text()) == {}


def test_closing_while_the_keyring_waits_to_be_unlocked_ends_its_child_at_once(
    ring: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window asks for its key on a worker thread; should the person close the window while the keyring
    waits for them to unlock it, the app ends now rather than minutes later, holding its data folder."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.WaitingKeyring")
    keychain = KeychainInChild()
    outcome: list[BaseException] = []

    def ask() -> None:
        try:
            keychain.read_ahead("Trainer Desk", "database-key-x")
            keychain.get("Trainer Desk", "database-key-x")
        except KeychainError as error:
            outcome.append(error)

    asking = threading.Thread(target=ask)
    asking.start()
    deadline = time.monotonic() + 60
    while not keyring_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert keyring_children(), "the keyring child never started"
    keychain.close()
    asking.join(timeout=20)
    assert not asking.is_alive()
    assert isinstance(outcome[0], KeychainHelperError) and "closing" in outcome[0].reason
    assert keyring_children() == []
    with pytest.raises(KeychainHelperError):
        keychain.get("Trainer Desk HQ", "device-token-x")  # nothing is asked once closed


def test_closing_while_hqs_token_is_being_kept_lets_it_be_kept(ring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enrollment ends by keeping HQ's token, which exists nowhere else once issued (the code is used up): a
    person closing the window then does not lose it, and the app closes once it is kept."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.file_keyring.SlowToKeepKeyring")
    keychain = KeychainInChild()
    outcome: list[BaseException] = []

    def keep() -> None:
        try:
            credentials.save_token(Path("/laptop/data"), "the token", keychain)
        except Exception as error:
            outcome.append(error)

    keeping = threading.Thread(target=keep)
    keeping.start()
    deadline = time.monotonic() + 60
    while not keyring_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert keyring_children(), "the keyring child never started"
    keychain.close()
    assert keychain.wait_for_changes(60)  # as the app does at quit, before it closes the database
    assert list(json.loads(ring.read_text()).values()) == ["the token"]
    keeping.join(timeout=60)
    assert not keeping.is_alive() and outcome == []


def test_a_read_overtaken_by_a_change_is_not_remembered(ring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync reads HQ's token on a worker while the person enrolls again: the new token is the one used from
    then on, not the old one the slow read brings back afterwards."""
    data = Path("/laptop/data")
    credentials.save_token(data, "old token", KeychainInChild())
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.file_keyring.OvertakenKeyring")
    asked = Path(f"{ring}.asked")
    keychain = KeychainInChild()
    read: list[str | None] = []
    reading = threading.Thread(target=lambda: read.append(credentials.load_token(data, keychain)))
    reading.start()
    deadline = time.monotonic() + 60
    while not asked.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert asked.exists(), "the keyring was never read"
    credentials.save_token(data, "new token", keychain)  # enrolled again while the read waits
    reading.join(timeout=60)
    assert read == ["old token"]  # what the keyring held when it was asked
    assert credentials.load_token(data, keychain) == "new token"


def test_a_read_begun_during_a_change_is_not_remembered(ring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The person enrolls again while a sync starts: the sync's read finds the old token and comes back after
    the new one is kept. The new token is the one used from then on."""
    data = Path("/laptop/data")
    credentials.save_token(data, "old token", KeychainInChild())
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.file_keyring.ReadFirstKeyring")
    keychain = KeychainInChild()
    keeping = threading.Thread(target=lambda: credentials.save_token(data, "new token", keychain))
    keeping.start()
    deadline = time.monotonic() + 60
    while not keyring_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert keyring_children(), "the keyring child never started"
    read: list[str | None] = []
    reading = threading.Thread(target=lambda: read.append(credentials.load_token(data, keychain)))
    reading.start()
    keeping.join(timeout=60)
    reading.join(timeout=60)
    assert read == ["old token"]  # what the keyring held when it was read
    assert credentials.load_token(data, keychain) == "new token"


def test_a_keyring_helper_that_crashes_is_said_and_no_passphrase_is_asked_for(ring: Path, tmp_path: Path) -> None:
    """A database whose key is in the keyring, and a keyring service that fails under the helper: the app says
    so and that starting again may work. Asking for a passphrase instead would lead nowhere (there is none)."""
    data = tmp_path / "data"
    script = (
        "from trainer_desk.__main__ import main\n"
        f"raise SystemExit(main(['--data-dir', {str(data)!r}, '--exit-after', '0.2']))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    first = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert "Trainer Desk is ready" in first.stdout, first.stderr[-2000:]
    database = AppPaths.resolve(data).database
    before = database.read_bytes()
    env["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.BrokenKeyring"
    second = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert second.returncode == 1
    assert "could not ask this computer's keyring for the database key" in second.stderr
    assert "passphrase" not in second.stderr.lower()
    assert "connection to the keyring service was lost" not in second.stderr  # its message is not passed on
    assert database.read_bytes() == before


def keyring_children() -> list[int]:
    """This process's children that are keyring helpers, as `ps` would list them."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat[1]) == os.getpid() and b"--keyring" in command and stat[0] != "Z":
                found.append(int(entry.name))
    return found


def test_a_child_started_early_answers_the_next_request_and_one_never_asked_is_ended(ring: Path) -> None:
    """The window starts its keyring child before it is built; the child answers once the window asks, and one
    never asked (the window closed first) is not left running."""
    KeychainInChild().set("Trainer Desk", "database-key-x", "the key")  # kept by an earlier day's app
    keychain = KeychainInChild()
    keychain.start()
    assert len(keyring_children()) == 1  # loading the keyring while this process goes on
    assert keychain.get("Trainer Desk", "database-key-x") == "the key"
    assert keyring_children() == []
    keychain.start()
    keychain.close()
    assert keyring_children() == []


def test_an_unencrypted_database_opens_without_asking_the_keyring(ring: Path, tmp_path: Path) -> None:
    """With `encrypt_database = false` no key is wanted, so the keyring (which might ask to be unlocked) is
    never asked."""
    data = tmp_path / "data"
    AppPaths.resolve(data).user_config.parent.mkdir(parents=True, exist_ok=True)
    AppPaths.resolve(data).user_config.write_text("encrypt_database = false\n")
    script = (
        "from trainer_desk.__main__ import main\n"
        f"raise SystemExit(main(['--data-dir', {str(data)!r}, '--exit-after', '0.2']))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "tests.file_keyring.RecordingKeyring",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Trainer Desk is ready" in result.stdout
    assert is_plaintext(AppPaths.resolve(data).database)
    assert not Path(f"{ring}.asked").exists()  # the keyring was never read
