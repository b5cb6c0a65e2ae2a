"""A real HQ service on loopback for tests, as its own process: SQLite by default, PostgreSQL when a test
database URL is given (`./dev test` and CI start a PostgreSQL server and set TRAINER_DESK_TEST_POSTGRES)."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from tests import hq_warm_start
from trainer_desk.hq import database as hq_database

POSTGRES_ENV = "TRAINER_DESK_TEST_POSTGRES"


@dataclass
class Hq:
    url: str
    engine: Engine
    blobs: Path
    port: int


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


@contextmanager
def database_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'hq.sqlite3'}"
        return
    admin_url = os.environ[POSTGRES_ENV]
    name = f"hq_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    """A port free now. The tests run side by side (pytest-xdist), and a port one process found free could be
    taken by another before its server binds it, so each worker takes ports from a block of its own (below the
    range the system hands out by itself), tried from a random place in it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    first = 20000 + (int(worker) % 8 if worker.isdigit() else 0) * 1000
    start = random.randrange(1000)
    for offset in range(1000):
        port = first + (start + offset) % 1000
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first} to {first + 999}")


@contextmanager
def running_hq(url: str, folder: Path, workers: int = 1, plain_http: bool = True, warm: bool = False) -> Iterator[Hq]:
    """`trainer-desk-hq serve` as its own process, as it runs at HQ. (A server thread inside the test process
    would also let Python's garbage collector finalise Qt objects off the GUI thread.) `plain_http`: as for
    trying it out, a browser and requests on this machine over HTTP, its cookies without the Secure mark.
    `warm`: the process is a copy of one that has imported HQ's code already (see `tests.hq_warm_start`),
    ready in a fraction of the time a new program takes."""
    engine = hq_database.open_engine(url)  # migrated here; the test also uses it for HQ's admin commands
    home = folder / "hq-home"
    home.mkdir(exist_ok=True)
    port = free_port()
    arguments = ["--home", str(home), "--db", url, "serve", "--port", str(port), "--workers", str(workers)]
    arguments += ["--plain-http"] if plain_http else []
    log = home / "serve.log"  # a file, not a pipe: a pipe nobody reads would stall a talkative server (what
    # `serve` prints, such as a new HQ's setup address, goes there too: `printed`)
    if warm:
        pid = hq_warm_start.start_serving(arguments, log)
        running, stop = (lambda: hq_warm_start.is_running(pid)), (lambda: hq_warm_start.stop(pid))
    else:
        with log.open("wb") as sink:
            command = [sys.executable, "-m", "trainer_desk.hq.cli", *arguments]
            server = subprocess.Popen(command, stdout=sink, stderr=sink)
        running, stop = (lambda: server.poll() is None), (lambda: _stop_program(server))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if not running() or time.monotonic() > deadline:
                stop()
                raise RuntimeError(f"the test HQ server did not start: {log.read_text()[-500:]}") from None
            time.sleep(0.02)
    try:
        yield Hq(base, engine, home / "blobs", port)
    finally:
        stop()
        engine.dispose()


def printed(hq: Hq) -> str:
    """What the HQ server has printed and logged so far."""
    return (hq.blobs.parent / "serve.log").read_text(encoding="utf-8", errors="replace")


def _stop_program(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def silent_server() -> Iterator[tuple[int, Callable[[], bool]]]:
    """A server, in its own process, that accepts a connection and never answers, as a hung HQ or proxy
    does. Yields its port and a function that waits until it has accepted (True) or has exited."""
    script = (
        "import socket, time\n"
        "server = socket.create_server(('127.0.0.1', 0))\n"
        "print(server.getsockname()[1], flush=True)\n"
        "connection, _ = server.accept()\n"
        "print('accepted', flush=True)\n"
        "time.sleep(300)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    try:
        port = int(server.stdout.readline())
        yield port, lambda: server.stdout.readline().strip() == "accepted"  # type: ignore[union-attr]
    finally:
        server.kill()
        server.wait(10)
        server.stdout.close()
