"""A real HQ service on loopback for tests: uvicorn in a thread, SQLite by default, PostgreSQL when a test
database URL is given (CI starts a PostgreSQL server and sets TRAINER_DESK_TEST_POSTGRES)."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from sqlalchemy import Engine, create_engine, text

from trainer_desk.hq import store
from trainer_desk.hq.api import create_app

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


@contextmanager
def running_hq(url: str, folder: Path) -> Iterator[Hq]:
    engine = store.open_engine(url)
    blobs = folder / "blobs"
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine, blobs), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name="hq-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test HQ server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Hq(f"http://127.0.0.1:{port}", engine, blobs, port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
