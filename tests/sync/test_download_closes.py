"""A content download that goes wrong part-way gives its connection up at once: an HQ (here a misbehaving one on
loopback) that streams more than it announced sees the laptop hang up, even while the error is still held."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from trainer_desk.sync.client import HqClient, SyncError

ANNOUNCED = 1024


class EndlessContent(BaseHTTPRequestHandler):
    """Answers every content request with far more than the manifest said, and notes when the laptop hangs up."""

    hung_up = threading.Event()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        try:
            for _ in range(100_000):  # about 6 GB: never finished unless the laptop hangs up
                self.wfile.write(b"x" * 65536)
        except (BrokenPipeError, ConnectionResetError):
            EndlessContent.hung_up.set()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads what it needs from the events."""


@pytest.fixture
def endless_hq() -> Iterator[str]:
    EndlessContent.hung_up.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), EndlessContent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_download_longer_than_announced_is_refused_and_its_connection_closed(endless_hq: str, tmp_path: Path) -> None:
    client = HqClient(endless_hq, "a-token")
    target = tmp_path / "film.mp4"
    with pytest.raises(SyncError, match="longer than announced") as refused:
        client.download("0" * 64, target, ANNOUNCED)
    # The error (and with it the response, through its traceback) is still held here: only an explicit close
    # hangs up. Left open, HQ would go on streaming into a connection nobody reads.
    assert EndlessContent.hung_up.wait(10)
    assert refused.value.kind == "bad_answer"
    assert target.stat().st_size <= ANNOUNCED  # nothing beyond what was announced was kept
