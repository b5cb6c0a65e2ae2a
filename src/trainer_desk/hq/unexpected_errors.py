"""What HQ does with an error it did not expect (a bug, or its database refusing a statement): it answers the
person or the laptop plainly, and logs the error's kind and where it happened, never what the request carried.

Starlette's own handler answers a bare "Internal Server Error" and passes the exception on to uvicorn, which
prints it whole; an exception's message may quote a staff number or a name (a database error quoted the
statement's values before `open_engine` hid them). So this catches the error before either sees it, and the
log gets `failure_record`: the kinds and frames of the chain of errors, without their messages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from trainer_desk.logs import log_failure

log = logging.getLogger(__name__)

Answer = Callable[[Request, BaseException], Response]

NOT_SAVED = (
    "HQ's database could not finish that just now, so none of it was saved. Try again in a minute; if it "
    "keeps happening, tell HQ's administrator the time it happened."
)
MAYBE_SAVED = (
    "Something went wrong at HQ and it could not finish that. Look at the page again to see whether your "
    "change was made before trying again; if it keeps happening, tell HQ's administrator the time it happened."
)


def problem(error: BaseException) -> str:
    """A database error rolls back the transaction it happened in, so nothing of it stays; of any other error
    HQ cannot say that."""
    return NOT_SAVED if isinstance(error, SQLAlchemyError) else MAYBE_SAVED


def as_json(_request: Request, error: BaseException) -> Response:
    """For a laptop: the API's usual error shape, which it shows as the reason its sync did not finish."""
    return JSONResponse({"detail": problem(error)}, status_code=500)


def unexpected_page(page: Callable[..., Response], request: Request, error: BaseException) -> Response:
    """For the console: its own problem page, with the menu to carry on from."""
    return page(request, "problem.html", 500, problem=problem(error), code=500, heading="Something went wrong")


def as_plain_page(_request: Request, error: BaseException) -> Response:
    """For a participant's phone, which has none of the console's pages."""
    text = problem(error).replace("tell HQ's administrator", "tell your trainer")
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Something went wrong</title></head>'
        f'<body><h1>Something went wrong</h1><p role="alert">{text}</p></body></html>'
    )
    return HTMLResponse(body, status_code=500)


class UnexpectedErrors:
    """Plain ASGI around an app: any exception its routes raise is logged safely and answered by `answer`."""

    def __init__(self, app: Any, answer: Answer, where: str = "") -> None:
        self.app = app
        self.answer = answer
        self.where = where

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:
            log_failure(log, f"{scope.get('method', '')} {self.where}{_route(scope)}", error)
            if not started:  # otherwise the answer is cut short, which is all that can be done
                await self.answer(Request(scope, receive), error)(scope, receive, send)


def _route(scope: dict[str, Any]) -> str:
    """The route's pattern (`/people/{number}`), never the address asked for, which may hold a staff number."""
    return str(getattr(scope.get("route"), "path", "") or "(no route)")
