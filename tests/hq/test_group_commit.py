"""Group commit on its own, with a plain function standing in for the database: what waits goes into one
transaction, every push gets its own answer, and one push that cannot be written fails only itself."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from trainer_desk.hq.group_commit import MAX_ITEMS_PER_TRANSACTION, Answer, GroupCommit, Push
from trainer_desk.sync.protocol import ItemResult, ItemStatus, PushItem

T = TypeVar("T")


def item(n: int) -> PushItem:
    return PushItem("attendance", f"00000000-0000-4000-8000-{n:012d}", 1, None, "upsert", {"n": n})


class Database:
    """Records each transaction it is asked for; the first one is held until released, so the test can make
    pushes arrive while a write is under way."""

    def __init__(self, refuse: str = "") -> None:
        self.transactions: list[list[str]] = []
        self.refuse = refuse
        self.release = threading.Event()

    def write(self, pushes: Sequence[Push]) -> list[Answer]:
        if not self.transactions:
            self.release.wait(5)
        self.transactions.append([token for token, _ in pushes])
        if any(token == self.refuse for token, _ in pushes):
            raise RuntimeError("constraint failed")
        return [
            None if token == "revoked" else [ItemResult(i.uuid, i.version, ItemStatus.CREATED) for i in items]
            for token, items in pushes
        ]


def run(work: Coroutine[Any, Any, T]) -> T:
    """`work` on an event loop of its own thread, as HQ's server runs its loop: the test worker's main thread
    may be holding the browser tests' loop (see `tests.hq.console_kit.browser`)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()


async def crowd(database: Database, tokens: list[str], size: int = 2) -> list[Answer | BaseException]:
    commit = GroupCommit(database.write)
    first = asyncio.create_task(commit.apply("first", [item(0)]))
    await asyncio.sleep(0.05)  # the first transaction is now being written; everyone else arrives meanwhile
    rest = [
        asyncio.create_task(commit.apply(t, [item(n * size + k + 1) for k in range(size)]))
        for n, t in enumerate(tokens)
    ]
    await asyncio.sleep(0.05)
    database.release.set()
    return list(await asyncio.gather(first, *rest, return_exceptions=True))


def test_pushes_that_arrive_during_a_write_share_the_next_transaction() -> None:
    database = Database()
    tokens = [f"laptop-{n}" for n in range(20)] + ["revoked"]
    answers = run(crowd(database, tokens))
    assert database.transactions == [["first"], tokens]
    for n, answer in enumerate(answers[1:-1]):
        assert isinstance(answer, list)
        assert [r.uuid for r in answer] == [item(n * 2 + k + 1).uuid for k in range(2)]
    assert answers[-1] is None


def test_one_push_that_cannot_be_written_fails_alone() -> None:
    database = Database(refuse="laptop-3")
    tokens = [f"laptop-{n}" for n in range(6)]
    answers = run(crowd(database, tokens))
    assert isinstance(answers[4], RuntimeError)
    assert all(isinstance(a, list) and len(a) == 2 for n, a in enumerate(answers[1:]) if n != 3)
    # The shared transaction failed, then each push was written on its own.
    assert database.transactions[1] == tokens and database.transactions[2:] == [[t] for t in tokens]


def test_a_transaction_is_bounded_in_items() -> None:
    database = Database()
    size = MAX_ITEMS_PER_TRANSACTION // 4
    run(crowd(database, [f"laptop-{n}" for n in range(10)], size))
    assert [len(t) for t in database.transactions[1:]] == [4, 4, 2]


def test_a_few_pushes_left_over_join_the_transaction_rather_than_wait_behind_it() -> None:
    """When a crowd overflows a transaction by a little, the last laptops are answered with everyone else."""
    database = Database()
    size = MAX_ITEMS_PER_TRANSACTION // 5
    run(crowd(database, [f"laptop-{n}" for n in range(6)], size))
    assert [len(t) for t in database.transactions[1:]] == [6]
    database = Database()
    run(crowd(database, [f"laptop-{n}" for n in range(8)], size))
    assert [len(t) for t in database.transactions[1:]] == [5, 3]
