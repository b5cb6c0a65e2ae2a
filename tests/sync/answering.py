"""Stand-ins for whatever answers at HQ's address, on loopback, from a real HTTP server: one that replies as a
test says (`serving`), and one that gives every request the same answer (`answering`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# A request's method, path and body, to the status, headers and body of its answer.
Reply = Callable[[str, str, bytes], tuple[int, dict[str, str], bytes]]


@contextmanager
def serving(reply: Reply) -> Iterator[str]:
    """A web server on loopback answering each GET and POST with `reply`; yields its address."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, headers, body = reply(self.command, self.path, sent)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._reply()

        def do_POST(self) -> None:
            self._reply()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@contextmanager
def answering(status: int, headers: dict[str, str], body: bytes, heard: list[str] | None = None) -> Iterator[str]:
    """A web server on loopback that gives every request the same answer; yields its address. Each request's
    method and path is added to `heard`, to count the attempts."""

    def reply(method: str, path: str, _sent: bytes) -> tuple[int, dict[str, str], bytes]:
        if heard is not None:
            heard.append(f"{method} {path}")
        return status, headers, body

    with serving(reply) as address:
        yield address
