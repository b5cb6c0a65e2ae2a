"""Group commit: pushes that arrive while one transaction is being written wait for it, then go into the next
transaction together. When 200 laptops push in the same instant, HQ writes a handful of transactions instead of
200 one after another, which is what keeps the slowest laptop's answer short."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from trainer_desk.logs import log_failure
from trainer_desk.sync.protocol import ItemResult, PushItem

log = logging.getLogger(__name__)

Push = tuple[str, list[PushItem]]  # a device token and its items
Answer = list[ItemResult] | None  # None: the token is unknown or revoked
Writer = Callable[[Sequence[Push]], list[Answer]]

# Bounds one transaction, so a crowd of large batches still gets answers in steady steps.
MAX_ITEMS_PER_TRANSACTION = 5000


class GroupCommit:
    """Runs `write` (blocking database work) on a worker thread, one transaction at a time, for everything
    waiting. Each push's answer is its own; if a shared transaction fails, its pushes are retried one by one,
    so one bad push never fails the others."""

    def __init__(self, write: Writer) -> None:
        self._write = write
        self._waiting: list[tuple[Push, asyncio.Future[Answer]]] = []
        self._draining: asyncio.Task[None] | None = None

    @property
    def busy(self) -> bool:
        """Pushes are waiting or being written."""
        return bool(self._waiting) or (self._draining is not None and not self._draining.done())

    async def apply(self, token: str, items: list[PushItem]) -> Answer:
        answer: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting.append(((token, items), answer))
        if self._draining is None or self._draining.done():
            self._draining = asyncio.create_task(self._drain())
        return await answer

    async def _drain(self) -> None:
        while self._waiting:
            group = self._take_group()
            try:
                await self._write_group(group)
            except Exception as error:
                log_failure(log, "writing a group of pushes", error)
            finally:  # whatever happened, no laptop is left waiting for an answer
                for _, answer in group:
                    _settle(answer, RuntimeError("HQ could not write this push"))

    async def _write_group(self, group: list[tuple[Push, asyncio.Future[Answer]]]) -> None:
        try:
            results = await asyncio.to_thread(self._write, [push for push, _ in group])
        except Exception as error:
            if len(group) == 1:
                _settle(group[0][1], error)
                return
            log.warning(
                "a shared push transaction failed (%s): writing its %d pushes one by one",
                type(error).__name__,
                len(group),
            )
            for push, answer in group:
                try:
                    _settle(answer, (await asyncio.to_thread(self._write, [push]))[0])
                except Exception as alone:
                    _settle(answer, alone)
            return
        for (_, answer), result in zip(group, results, strict=True):
            _settle(answer, result)

    def _take_group(self) -> list[tuple[Push, asyncio.Future[Answer]]]:
        """Whole pushes, oldest first, up to MAX_ITEMS_PER_TRANSACTION; but what would be left over joins the
        group when it is small (a quarter of that or less). When a whole force pushes at once, a few laptops
        cut off at the end would otherwise wait a whole transaction behind everyone for a few items' work,
        and the slowest answer is what a crowd waits for."""
        sizes = [len(items) for (_, items), _ in self._waiting]
        count, taken = 0, len(sizes)
        for index, size in enumerate(sizes):
            count += size
            if index and count > MAX_ITEMS_PER_TRANSACTION:
                taken = index
                break
        if sum(sizes[taken:]) <= MAX_ITEMS_PER_TRANSACTION // 4:
            taken = len(sizes)
        group, self._waiting = self._waiting[:taken], self._waiting[taken:]
        return group


def _settle(answer: asyncio.Future[Answer], outcome: Answer | BaseException) -> None:
    if answer.done():  # the laptop hung up; its push is written all the same, and answered on its retry
        return
    if isinstance(outcome, BaseException):
        answer.set_exception(outcome)
    else:
        answer.set_result(outcome)
