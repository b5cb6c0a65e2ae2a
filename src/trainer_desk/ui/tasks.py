"""Run slow work off the UI thread and hear about it on the UI thread.

Database writes share a pool of one thread, so they happen one after another in the order asked; network
and export work use a separate pool. Callables get plain values (never widgets), and their results come back
through signals, which Qt delivers on the thread that owns the receiver: the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

from trainer_desk.core.errors import UserFacingError
from trainer_desk.logs import log_failure
from trainer_desk.ui.error_reporting import ErrorReporter

if TYPE_CHECKING:
    from trainer_desk.store.connection import Database, Writer

log = logging.getLogger(__name__)

T = TypeVar("T")


class TaskSignals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    finished = Signal()


class Task(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = TaskSignals()
        self.setAutoDelete(False)  # the runner keeps it until `finished` has been delivered

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:
            if isinstance(error, UserFacingError):  # expected: the handler says it in plain words
                log.info("background task stopped: %s", type(error).__name__)
            else:
                log_failure(log, "background task", error)
            self.signals.failed.emit(error)
        else:
            self.signals.succeeded.emit(result)
        finally:
            self.signals.finished.emit()


class TaskRunner:
    """The app's two pools; `wait` on quit so the database is closed only after the last write. A failure
    with no handler of its own goes to the reporter, so no error vanishes."""

    def __init__(self, reporter: ErrorReporter | None = None) -> None:
        self.reporter = reporter
        self.database_pool = QThreadPool()
        self.database_pool.setMaxThreadCount(1)
        self.io_pool = QThreadPool()
        self.io_pool.setMaxThreadCount(2)
        # Talking to HQ has a pool of its own: an HQ that hangs must not hold up a PDF or a roster check.
        self.network_pool = QThreadPool()
        self.network_pool.setMaxThreadCount(2)
        # Set as the app quits. Every call to HQ on the network pool (a sync, enrolling, a code's look-up, the
        # count of phone answers) is made with it, and stops at once: no further attempt, no wait between
        # attempts, no wait for an answer. One of them made without it held quitting up by its retries.
        self.quitting = threading.Event()
        self._running: set[Task] = set()

    def run_db(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        owner: QObject | None = None,
    ) -> Task:
        """`owner`: the window the answer is for. A write still running when its window closes answers after
        the window is gone; its success then has nothing to show, and its failure goes to the reporter, so
        neither touches what is no longer there."""
        if owner is not None:
            on_success, on_failure = self._while_open(owner, on_success, on_failure)
        return self._start(self.database_pool, work, on_success, on_failure)

    def _while_open(
        self,
        owner: QObject,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[Exception], None] | None,
    ) -> tuple[Callable[[Any], None], Callable[[Exception], None]]:
        reporter = self.reporter

        def succeeded(result: Any) -> None:
            if on_success is not None and isValid(owner):
                on_success(result)

        def failed(error: Exception) -> None:
            if on_failure is not None and isValid(owner):
                on_failure(error)
            elif reporter is not None:
                reporter.report("background work", error)

        return succeeded, failed

    def after_writes(self, then: Callable[[], None]) -> None:
        """Call `then` on the UI thread once every database write queued before now has finished: the database
        worker is one thread, taking its work in order. What reads the result of those writes waits for it."""
        self.run_db(lambda: None, on_success=lambda _: then())

    def run_io(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> Task:
        return self._start(self.io_pool, work, on_success, on_failure)

    def run_network(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> Task:
        """Work that waits on HQ (a sync, an enrollment, a count from HQ): never ahead of local file work."""
        return self._start(self.network_pool, work, on_success, on_failure)

    def _start(
        self,
        pool: QThreadPool,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[Exception], None] | None,
    ) -> Task:
        task = Task(work)
        if on_success:
            task.signals.succeeded.connect(on_success)
        if on_failure:
            task.signals.failed.connect(on_failure)
        elif self.reporter is not None:
            reporter = self.reporter
            task.signals.failed.connect(lambda error: reporter.report("background work", error))
        self._running.add(task)
        task.signals.finished.connect(lambda: self._running.discard(task))
        pool.start(task)
        return task

    def writer(self, db: Database) -> Writer:
        """The one writer, for work running on the network pool (a sync, an enrollment): each write is queued
        on the database worker behind the register's, runs in a transaction on `db` (the worker's connection),
        and its result or exception comes back to the waiting caller. Never call it on the UI thread (it would
        wait) nor on the database worker (it would wait for itself)."""

        def write(work: Callable[[Database], T]) -> T:
            done: Future[T] = Future()

            def job() -> None:
                try:
                    with db.atomic():
                        result = work(db)
                except BaseException as error:  # handed to the caller, which reports it
                    done.set_exception(error)
                else:
                    done.set_result(result)  # only once committed: the caller may read it at once

            self.database_pool.start(job)
            return done.result()

        return write

    def wait(self, msecs: int = 30_000) -> bool:
        done = self.database_pool.waitForDone(msecs) & self.io_pool.waitForDone(msecs)
        return done & self.network_pool.waitForDone(msecs)  # a sync being stopped ends at once
