"""This laptop's link to HQ: enroll, sync once, and carry out a wipe when HQ says the laptop is lost.

Shared by `trainer-desk enroll`, `trainer-desk sync` and the app's background sync.
"""

from __future__ import annotations

import logging
import platform
import shutil
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer_desk.core import force_clock
from trainer_desk.core.counted import counted, were
from trainer_desk.core.enrollment_link import as_issued
from trainer_desk.core.errors import UserFacingError
from trainer_desk.key_store import forget_key
from trainer_desk.keychain import Keychain
from trainer_desk.paths import AppPaths
from trainer_desk.settings import Settings
from trainer_desk.store import audit, outbox
from trainer_desk.store.connection import Database, Writer, writing_on
from trainer_desk.store.enrollment import enrolled_hq
from trainer_desk.sync import credentials
from trainer_desk.workspace import Workspace

if TYPE_CHECKING:  # the HTTP stack loads on the first sync, not when the window opens
    from trainer_desk.core.sessions import Session
    from trainer_desk.sync.client import HqClient, HqNetwork
    from trainer_desk.sync.sync_report import SyncReport

log = logging.getLogger(__name__)


def hq_url(db: Database, settings: Settings) -> str:
    return enrolled_hq(db) or settings.hq_url


def network_for(settings: Settings) -> HqNetwork:
    """How IT says HQ is reached: certificates trusted and proxy (read from IT's settings file only)."""
    from trainer_desk.sync.client import HqNetwork

    return HqNetwork(settings.hq_certificates, settings.hq_ca_file, settings.hq_proxy)


def enroll(
    workspace: Workspace, url: str, code: str, write: Writer | None = None, stop: threading.Event | None = None
) -> str:
    """Exchange an enrollment code for a device token (kept in the keyring); returns the unit enrolled for.
    The exchange runs on the caller's thread; only the two lines it saves go through `write` (the app's one
    writer), so a slow HQ never holds up the register. `stop`: the app's, set as it quits, so quitting never
    waits out the exchange's retries."""
    url = _allowed_url(workspace.settings, url)
    code = as_issued(code)
    if not code:
        raise UserFacingError("No enrollment code was given: type the code HQ issued for you.")
    answer = _waited_on(workspace, url, stop).enroll(code, platform.node()[:80] or "laptop")
    credentials.save_token(workspace.paths.data_dir, answer["token"], workspace.keychain)

    def remember(db: Database) -> None:
        db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', ?)", [url])
        db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('enrolled_unit', ?)", [answer["unit"]])
        _remember_feedback_key(db, answer)

    (write or writing_on(workspace.db))(remember)
    log.info("enrolled with HQ")
    return answer["unit"]


def unit_of_code(
    workspace: Workspace, url: str, code: str, stop: threading.Event | None = None
) -> tuple[str, str] | None:
    """The unit `code` enrolls for (its code, and its name as HQ's people know it), the code left unused, so
    the trainer can be told before enrolling which sessions HQ would then refuse; None from an HQ too old to
    say. It asks as the Enroll button does (an address nothing answers at is not tried again), and `stop` (the
    app's, set as it quits) ends it: a look-up for a hint once held the app's quitting up by its retries."""
    url = _allowed_url(workspace.settings, url)
    return _waited_on(workspace, url, stop).unit_of_code(as_issued(code))


def _waited_on(workspace: Workspace, url: str, stop: threading.Event | None) -> HqClient:
    """A client for a call a person waits on (enrolling, and the look-up of the code typed for it): an address
    nothing answers at is said at once, not tried again after the back-off meant for a sync running on its own."""
    from trainer_desk.sync.client import HqClient

    client = HqClient(url, network=network_for(workspace.settings), stop=stop)
    client.retry_unreached = False
    return client


def _allowed_url(settings: Settings, url: str) -> str:
    """HQ's address as checked, where IT has not set another."""
    from trainer_desk.sync.client import check_base_url

    url = check_base_url(url)
    if "hq_url" in settings.locked and settings.hq_url and url != settings.hq_url.rstrip("/"):
        raise UserFacingError(f"IT has set this laptop's HQ to {settings.hq_url}; it cannot enroll elsewhere.")
    return url


def client_for(
    paths: AppPaths, db: Database, settings: Settings, keychain: Keychain, stop: threading.Event | None = None
) -> HqClient:
    from trainer_desk.sync.client import HqClient, SyncError

    url = hq_url(db, settings)
    if not url:
        raise SyncError("not_enrolled", "No HQ is configured: enroll this laptop with 'trainer-desk enroll URL CODE'.")
    try:
        token = credentials.load_token(paths.data_dir, keychain)
    except credentials.KeyringUnavailableError as error:
        raise SyncError("keyring", str(error)) from error
    if not token:
        raise SyncError("not_enrolled", "This laptop is not enrolled with HQ: enroll it with an enrollment code.")
    return HqClient(url, token, network=network_for(settings), stop=stop)


def sync_once(
    workspace: Workspace,
    db: Database | None = None,
    wipe_now: bool = True,
    stop: threading.Event | None = None,
    keep_content: Iterable[Path] | None = None,
    write: Writer | None = None,
) -> SyncReport:
    """One sync reading through `db` (the caller's connection for its thread) and writing through `write` (the
    app's one writer; without one, straight to `db`), given up early once `stop` is set.
    When HQ says the laptop is lost, everything is pushed and the wipe is recorded; the wipe itself happens
    here, or (`wipe_now=False`) on the caller's own thread, which owns the connections it closes.

    With `keep_content` (the plan folders open windows use; empty where no window can be open), older lesson
    content nothing uses any more is deleted after the sync. Without it nothing is deleted: a running app that
    has not said what its windows show could be reading any version."""
    from trainer_desk.sync.engine import SyncEngine

    db = db or workspace.db
    write = write or writing_on(db)
    client = client_for(workspace.paths, db, workspace.settings, workspace.keychain, stop)
    report = SyncEngine(db, client, workspace.paths.content_dir, workspace.clock, write=write).run()
    log.info("sync: %d sent, %d flagged, %d roster changes", report.pushed, report.flagged, report.roster_changes)
    if report.wipe_requested:
        now = workspace.clock()
        write(lambda db: audit.record(db, "wipe", "hq", "device reported lost: personal data removed", now))
        SyncEngine(db, client, workspace.paths.content_dir, workspace.clock, write=write).push_all(report)
        report.lost_in_wipe = outbox.waiting_count(db)  # what HQ refused or never received goes with the rest
        if wipe_now:
            wipe(workspace)
        return report
    if stop is None or not stop.is_set():  # a sync being stopped asks nothing more of HQ
        _ask_for_feedback_key(client, write, feedback_key(db))
        _fetch_phone_answers(db, client, write, workspace.clock())
    if keep_content is not None:
        from trainer_desk.lesson_content import prune_unused_content

        prune_unused_content(workspace.paths, db, keep_content)
    return report


def feedback_key(db: Database) -> tuple[str, bytes] | None:
    """This laptop's id at HQ and the key it signs feedback links with, once HQ has given them."""
    from trainer_desk.core.feedback_link import key_from_text

    rows = dict(db.execute("SELECT key, value FROM sync_state WHERE key IN ('device_id', 'feedback_key')"))
    key = key_from_text(rows.get("feedback_key"))
    if not rows.get("device_id") or key is None:
        return None
    return rows["device_id"], key


def feedback_link(db: Database, settings: Settings, session: Session) -> str | None:
    """The link participants open on their phones to give feedback on `session`, made here, offline; None
    until the laptop is enrolled with an HQ that gives feedback keys."""
    from trainer_desk.core.feedback_link import for_session

    key, url = feedback_key(db), hq_url(db, settings)
    if key is None or not url:
        return None
    link = for_session(key[0], session.uuid, session.plan.plan_id, force_clock.local(session.starts_at).date())
    return link.url(url, key[1])


def phone_answers(workspace: Workspace, session_uuid: str, stop: threading.Event | None = None) -> int:
    """How many phones have answered the session's feedback form, as HQ counts them now. For a thread of the
    network pool: it reads on a connection of its own. `stop`: the app's, set as it quits."""
    from trainer_desk.store.connection import as_database

    db = as_database(workspace.connector.connect(workspace.paths.database, check_same_thread=False))
    try:
        client = client_for(workspace.paths, db, workspace.settings, workspace.keychain, stop)
    finally:
        db.conn.close()
    return client.phone_answers(session_uuid)


PHONE_ANSWER_DAYS = 9  # a link lives seven days after its session; a phone's cookie a day longer
PHONE_ANSWERS_THROUGH = "phone_answers_through"  # sync_state key: sessions up to this start have all their answers
SESSIONS_PER_ASK = 100  # HQ's limit per request


def _fetch_phone_answers(db: Database, client: HqClient, write: Writer, now: datetime) -> None:
    """The answers phones gave for this laptop's sessions, kept with the session's own forms so its reports
    count them all. Sessions whose links are still open are asked about at every sync; a session whose links
    have closed is asked about once more after they close, however long the laptop was away, and then no
    more (`PHONE_ANSWERS_THROUGH`). Not to be had (an older HQ, a dropped connection) leaves them for the next
    sync."""
    from trainer_desk.store.feedback import store_phone_answers
    from trainer_desk.sync.client import SyncError

    closed_before = (now - timedelta(days=PHONE_ANSWER_DAYS)).isoformat()
    through = db.execute("SELECT value FROM sync_state WHERE key = ?", [PHONE_ANSWERS_THROUGH]).fetchone()
    open_now = [
        r[0]
        for r in db.execute(
            "SELECT uuid FROM sessions WHERE starts_at >= ? ORDER BY starts_at DESC LIMIT ?",
            [closed_before, SESSIONS_PER_ASK],
        )
    ]
    closed = db.execute(
        "SELECT uuid, starts_at FROM sessions WHERE starts_at > ? AND starts_at < ? ORDER BY starts_at LIMIT ?",
        [through[0] if through else "", closed_before, SESSIONS_PER_ASK],
    ).fetchall()
    forms: list[dict[str, Any]] = []
    try:
        for asked in (open_now, [r[0] for r in closed]):
            if asked:
                forms += client.phone_feedback(asked)
    except SyncError as error:
        log.info("phone answers not fetched: %s", error.kind)
        return

    def keep(db: Database) -> None:
        if forms:
            store_phone_answers(db, forms, now)
        if closed:
            db.execute(
                "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", [PHONE_ANSWERS_THROUGH, closed[-1][1]]
            )

    write(keep)


def _ask_for_feedback_key(client: HqClient, write: Writer, held: tuple[str, bytes] | None) -> None:
    """At every sync: for a laptop enrolled before HQ gave feedback keys at enrollment, and for one whose HQ was
    restored from a backup, which holds no signing keys, so HQ made new ones and refuses links signed with the
    old. An HQ that cannot say leaves the laptop without phone feedback links, never without its sync."""
    from trainer_desk.core.feedback_link import key_from_text
    from trainer_desk.sync.client import SyncError

    try:
        answer = client.feedback_key()
    except SyncError as error:
        log.info("no feedback key from HQ yet: %s", error.kind)
        return
    if held is None or held != (answer.get("device_id"), key_from_text(answer.get("feedback_key"))):
        write(lambda db: _remember_feedback_key(db, answer))


def _remember_feedback_key(db: Database, answer: dict[str, str]) -> None:
    if answer.get("device_id") and answer.get("feedback_key"):
        db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('device_id', ?)", [answer["device_id"]])
        db.execute(
            "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('feedback_key', ?)", [answer["feedback_key"]]
        )


def wiped_message(report: SyncReport) -> str:
    """What the trainer is told once a laptop reported lost has been wiped: the truth about what reached HQ."""
    if not report.lost_in_wipe:
        return (
            "HQ has reported this laptop as lost or stolen. Everything waiting was sent to HQ first; then all "
            "personal data and its keys were removed from this laptop."
        )
    return (
        "HQ has reported this laptop as lost or stolen, so all personal data and its keys were removed from this "
        f"laptop. {counted(report.lost_in_wipe, 'record')} HQ had not accepted (refused, in conflict, or not sent) "
        f"{were(report.lost_in_wipe)} removed with it: tell HQ's learning team, so that the registers concerned can "
        "be taken again."
    )


def wipe(workspace: Workspace) -> None:
    """Delete every piece of personal data on this laptop, and the key that could read any copy of it."""
    paths = workspace.paths
    workspace.close()
    for path in (paths.database, Path(f"{paths.database}-wal"), Path(f"{paths.database}-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(paths.backups_dir, ignore_errors=True)
    forget_key(paths, workspace.keychain)
    credentials.forget_token(paths.data_dir, workspace.keychain)
    log.warning("this laptop was reported lost: its personal data and keys were removed")
