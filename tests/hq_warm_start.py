"""HQ servers for the tests in a fraction of a second: one process per test worker imports HQ's code once, and
forks a copy of itself for each server a test starts, which then runs `trainer-desk-hq serve` as the command
does. Importing HQ's stack (FastAPI, SQLAlchemy, Alembic, reportlab) takes a second or more, and some 360
tests start a server of their own: those imports were a fifth of the suite's time.

The copy is a process of its own serving real HTTP on loopback, from the same code and command line; only the
imports are shared. Tests about the `serve` command itself (its worker processes, their environments) start it
as a new program instead (`running_hq(..., warm=False)`).

Run as a program, this file is that importing process: it reads one request per line (JSON: the command's
arguments, its environment, its folder and its log file) and answers each with the new server's process id.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

_process: subprocess.Popen[str] | None = None


def start_serving(argv: list[str], log: Path) -> int:
    """Start `trainer-desk-hq ARGV` in a copy of the warm process, its messages going to `log`; its pid."""
    global _process
    if _process is None or _process.poll() is not None:
        _process = subprocess.Popen(
            [sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
        )
        atexit.register(_stop_warm_process, _process)
    assert _process.stdin is not None and _process.stdout is not None
    request = {"argv": argv, "env": dict(os.environ), "cwd": str(Path.cwd()), "log": str(log)}
    _process.stdin.write(json.dumps(request) + "\n")
    _process.stdin.flush()
    # A fork takes milliseconds, but the first answer waits for the warm process's own imports, which on a
    # loaded machine can take a while: a bound, so that a hang fails the test instead of stalling the run.
    ready, _, _ = select.select([_process.stdout], [], [], 120)
    answer = _process.stdout.readline() if ready else ""
    if not answer:
        _process.kill()
        _process.wait()
        raise RuntimeError("the warm HQ process did not answer; its messages are in the test's output")
    return int(answer)


def is_running(pid: int) -> bool:
    """Whether the server `pid` is still running. Its warm parent lets the system reap it the moment it ends,
    and process ids are reused (on many machines they wrap at 32,768): a pid whose parent is no longer the warm
    process belongs to some other program now, which must never be signalled."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state, parent = stat.rsplit(")", 1)[1].split()[:2]  # after the name, which may hold spaces and brackets
    return _process is not None and int(parent) == _process.pid and state != "Z"


def stop(pid: int, seconds: float = 10) -> None:
    """Stop the server as `kill` would (uvicorn finishes its requests first), and kill it after `seconds`."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not is_running(pid):
            return
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + seconds
        while is_running(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        if not is_running(pid):
            return


def _stop_warm_process(process: subprocess.Popen[str]) -> None:
    if process.stdin is not None:
        process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


def _serve_requests() -> None:
    """The warm process: import what `serve` runs, then fork a server for each request."""
    import trainer_desk.hq.api
    import trainer_desk.hq.completions
    import trainer_desk.hq.console.app
    import trainer_desk.hq.serve  # noqa: F401
    from tests.password_cost import hash_at_low_cost
    from trainer_desk.hq.cli import main

    hash_at_low_cost()  # as in the test process: the sign-ins of accounts the tests made (see the module)

    # Servers that end are reaped by the system, so a test sees its server gone as soon as it has exited.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the server's own workers are its to wait for
                _redirect(request["log"])
                os.chdir(request["cwd"])
                os.environ.clear()
                os.environ.update(request["env"])
                time.tzset()  # the clock's zone is read once, at start: a new program would read the test's
                code = main(request["argv"])
            except SystemExit as end:
                code = end.code if isinstance(end.code, int) else 1
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        print(pid, flush=True)


def _redirect(log: str) -> None:
    quiet = os.open(os.devnull, os.O_RDWR)
    sink = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(quiet, 0)
    os.dup2(sink, 1)  # what `serve` prints for the person who started it (a new HQ's setup address) too
    os.dup2(sink, 2)
    os.close(quiet)
    os.close(sink)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file: `tests` is not on the path
    _serve_requests()
