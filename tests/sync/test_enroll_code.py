"""`trainer-desk enroll URL` reads the one-time code from a prompt or standard input, so that it never
appears in the list of running processes."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.file_keyring import FILE_ENV
from tests.hq_server import Hq
from trainer_desk.__main__ import main
from trainer_desk.hq import devices as hq_devices

REPO = Path(__file__).resolve().parents[2]


def test_the_code_can_be_piped_in(
    tmp_path: Path, hq: Hq, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main([*data, "enroll", hq.url]) == 1
    assert "No enrollment code was given" in capsys.readouterr().err
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"  {code}\n"))
    assert main([*data, "enroll", hq.url]) == 0
    assert "for unit NORTH" in capsys.readouterr().out
    assert main([*data, "sync"]) == 0  # the token that code earned works


def test_the_code_is_asked_for_on_a_terminal(tmp_path: Path, hq: Hq) -> None:
    """The command as a person runs it: a terminal, a prompt, the code typed, and nothing on the command line."""
    ring = tmp_path / "keyring.json"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.file_keyring.FileKeyring", FILE_ENV: str(ring)}
    env["PYTHONPATH"] = str(REPO)
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    command = [sys.executable, "-m", "trainer_desk", "--data-dir", str(tmp_path / "d"), "enroll", hq.url]
    leader, follower = pty.openpty()
    try:
        child = subprocess.Popen(command, env=env, stdin=follower, stdout=subprocess.PIPE, stderr=follower)
        os.close(follower)
        prompt = b""
        while b"Enrollment code from HQ: " not in prompt:
            prompt += os.read(leader, 1024)
        assert code.encode() not in b" ".join(arg.encode() for arg in command)
        os.write(leader, code.encode() + b"\n")
        out, _ = child.communicate(timeout=60)
    finally:
        os.close(leader)
    assert child.returncode == 0, prompt
    assert b"for unit NORTH" in out
