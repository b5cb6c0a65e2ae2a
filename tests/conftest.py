"""Shared fixtures. Qt runs offscreen; every test gets its own data folder; leaked threads fail a test."""

from __future__ import annotations

import faulthandler
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import keyring
import pytest

from tests.file_keyring import FILE_ENV
from tests.memory_keyring import MemoryKeyring
from tests.password_cost import hash_at_low_cost
from trainer_desk.paths import HOME_ENV, AppPaths
from trainer_desk.workspace import Workspace, open_workspace

HANG_LIMIT_S = 300
hash_at_low_cost()  # the accounts the tests make, and their sign-ins, at a fraction of HQ's CPU
ROOT = Path(__file__).resolve().parent.parent
_stacks_to: TextIO = sys.__stderr__  # type: ignore[assignment]


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Where a hung test's stacks are written: the run's own error stream, taken before any test's output is
    captured. In a test worker, pytest-timeout writes its report where no one sees it and ends the worker, so
    without this a hang reads only "worker crashed"."""
    global _stacks_to
    _stacks_to = os.fdopen(os.dup(sys.__stderr__.fileno()), "w")  # type: ignore[union-attr]


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collecting imported (Qt, the app, HQ's stack: some 140,000 objects) lives as long as the run, so it
    is set aside from the garbage collector, and the full collection after each test looks only at what tests
    made since: it took a tenth of a second a test, over a minute of the suite."""
    gc.collect()
    gc.freeze()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _stacks_to is not sys.__stderr__:
        _stacks_to.close()


@pytest.fixture(autouse=True)
def _hang_ends_with_every_stack(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every thread's stack, a few seconds before pytest-timeout ends a hung test, from faulthandler's watchdog,
    which needs no lock. And a test stuck in Qt with Python's lock held stops pytest-timeout's thread too, so
    the alarm's default action ends the process within minutes instead of running CI to its limit."""
    limit = float(request.config.getini("timeout"))
    faulthandler.dump_traceback_later(max(limit - 5, 1), file=_stacks_to)
    signal.alarm(HANG_LIMIT_S)
    yield
    signal.alarm(0)
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    gc.collect()  # Qt objects a test left behind are finalised here, on the GUI thread, never on another
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    assert not leaked, f"test left threads running: {leaked}"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may read or write the real user's folders."""
    monkeypatch.delenv(HOME_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "system-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[MemoryKeyring]:
    """Every test gets its own empty keyring; the machine's real one is never touched. A child the app starts
    (the window reaches the keyring through one) gets a keyring file of the test's own."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.file_keyring.FileKeyring")
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "children's-keyring.json"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.resolve(tmp_path / "data")


@pytest.fixture
def workspace(paths: AppPaths) -> Iterator[Workspace]:
    ws = open_workspace(paths)
    yield ws
    ws.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every HQ test runs on SQLite and, where a test server is configured, on PostgreSQL; one marked
    `any_database` (what a browser page, a phone form or an email shows), and every test of the laptop's
    windows (what a trainer sees there comes from the laptop's own database; HQ's side of each sync is tested
    on both under tests/sync and tests/hq), runs against an HQ on SQLite alone, so the suite's time goes on
    the tests where the two databases can differ."""
    windows = Path(__file__).parent / "ui"
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("hq") == "postgresql"
        either = item.get_closest_marker("any_database") is not None or item.path.is_relative_to(windows)
        (dropped if on_postgres and either else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(params=__import__("tests.hq_server", fromlist=["backends"]).backends())
def hq(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """A real HQ service on loopback, on SQLite (and on PostgreSQL where a test server is configured)."""
    from tests.hq_server import database_url, running_hq

    with database_url(request.param, tmp_path) as url, running_hq(url, tmp_path, warm=True) as server:
        yield server
