"""`trainer-desk-hq serve`: uvicorn, with the database URL handed to each worker process inside its
configuration rather than through the environment, where every process HQ starts, and anyone allowed to read
the process's environment, would see the database password."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

from trainer_desk.core.errors import UserFacingError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class HqServerConfig(uvicorn.Config):
    """uvicorn's configuration, carrying HQ's database URL and content folder. uvicorn sends its configuration
    to each worker process it starts (pickled, over the pipe that starts the worker), so the URL travels there
    and nowhere else."""

    def __init__(
        self,
        database_url: str,
        blobs: Path,
        only: str = "",
        plain_http: bool = False,
        setup_token: str = "",
        **options: Any,
    ) -> None:
        super().__init__("trainer_desk.hq.api:app_for_database", factory=True, **options)
        self.database_url = database_url
        self.setup_token = setup_token  # travels to the workers as the URL does: see `first_admin`
        self.blobs = blobs
        self.only = only
        # The console's cookies are marked Secure (sent over HTTPS only), also behind a TLS proxy on this machine,
        # where HQ itself sees plain HTTP from loopback: only trying HQ out over plain HTTP (`plain_http`, on
        # loopback alone) leaves the mark off, or the browser would never send them back.
        if plain_http and (options.get("ssl_certfile") or options.get("host") not in LOOPBACK):
            raise UserFacingError("--plain-http is for trying HQ out on this machine alone: serve on 127.0.0.1")
        self.secure_cookies = not plain_http

    def load_app(self) -> Any:
        from trainer_desk.hq.api import app_for_database

        return functools.partial(
            app_for_database, self.database_url, self.blobs, self.secure_cookies, self.only, self.setup_token
        )


def serve(
    database_url: str,
    blobs: Path,
    only: str = "",
    plain_http: bool = False,
    setup_token: str = "",
    **options: Any,
) -> None:
    """Serve until stopped; `options` are uvicorn's (host, port, workers, ssl_certfile, ...); `only` and
    `setup_token`: see `api.app_for_database`."""
    config = HqServerConfig(database_url, blobs, only, plain_http, setup_token, **options)
    server = uvicorn.Server(config)
    if config.workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    server.run()
    if not server.started:
        raise UserFacingError(f"could not serve on {config.host}:{config.port} (see the messages above)")
