"""`serve` hands the database URL, password and all, to its worker processes without putting it in any
process's environment, where every process HQ starts would inherit it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests

from tests.hq_server import database_url, running_hq
from trainer_desk.sync.protocol import PROTOCOL_HEADER


def processes_serving(port: int) -> list[int]:
    """The `serve` process on this port and every process it started."""
    parents: dict[int, int] = {}
    serving: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if b"serve" in command and str(port).encode() in command:
            serving.append(int(entry.name))
    return serving + [pid for pid, parent in parents.items() if parent in serving]


def test_worker_processes_get_the_database_url_but_no_process_environment_holds_it(tmp_path: Path) -> None:
    backend = "postgresql" if os.environ.get("TRAINER_DESK_TEST_POSTGRES") else "sqlite"
    with database_url(backend, tmp_path) as url, running_hq(url, tmp_path, workers=2) as hq:
        for _ in range(4):  # answered by the workers, so each reached the database
            health = requests.get(hq.url + "/v1/changes", headers={PROTOCOL_HEADER: "1"}, timeout=10)
            assert health.status_code == 401
        found = processes_serving(hq.port)
        assert len(found) >= 3  # the supervisor and its two workers
        # This database's name is made for this test alone: no environment may name it.
        database = str(hq.engine.url.database)
        assert database.startswith("hq_test_") or database.endswith("hq.sqlite3")
        for pid in found:
            environment = Path(f"/proc/{pid}/environ").read_bytes()
            assert database.encode() not in environment, pid


def test_the_console_s_cookies_are_secure_behind_a_tls_proxy_on_hq_s_own_machine(tmp_path: Path) -> None:
    """A TLS proxy on HQ's machine hands HQ plain HTTP from loopback: the cookies are still marked Secure, so a
    browser never sends one over plain HTTP. Only trying HQ out (`--plain-http`, on loopback alone) leaves the
    mark off."""
    with database_url("sqlite", tmp_path) as url, running_hq(url, tmp_path, plain_http=False) as hq:
        cookie = requests.get(hq.url + "/console/sign-in", timeout=10).headers["set-cookie"].lower()
    assert "; secure" in cookie and "httponly" in cookie
    command = ["-m", "trainer_desk.hq.cli", "--home", str(tmp_path / "other"), "serve", "--host", "0.0.0.0"]
    refused = subprocess.run([sys.executable, *command, "--plain-http"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "--plain-http is for trying HQ out on this machine alone" in refused.stderr
