"""The warning that this laptop's clock is out, said with when it was found, and whether it may since be wrong.

The difference from HQ's clock is measured only at a sync. Said at Start a session as if it were now, it
outlived its fix: a trainer who set the clock right while offline was still told it was minutes behind. So
each measurement keeps the laptop's own clock reading at that moment and a steady (monotonic) one beside it.
Later, if the laptop's clock has moved by more than the steady one (it was set, or the laptop restarted, so
the two can no longer be compared), or a day has passed, the warning says it was measured then and may be out
of date; the next sync measures it again.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

from trainer_desk.core import force_clock
from trainer_desk.store.connection import Database
from trainer_desk.store.enrollment import clock_difference_s
from trainer_desk.sync.protocol import CLOCK_WARNING_SECONDS, clock_amount

CLOCK_MEASURED = "clock_measured"  # sync_state: the laptop's clock and the steady clock when it was measured
STALE_AFTER = timedelta(days=1)
CLOCK_MOVED_S = 60.0  # the laptop's clock and the steady one drifting apart by more than this: it was set


def measurement(laptop_now: datetime, steady: float) -> str:
    """What is stored beside the difference: the laptop's clock reading and the steady clock's, at that moment."""
    return json.dumps({"laptop": laptop_now.isoformat(), "steady": steady})


def clock_warning(db: Database, laptop_now: datetime, steady_now: float | None = None) -> str | None:
    """The warning for the trainer, or None when the clock was right at the last sync (or none has happened)."""
    difference = clock_difference_s(db)
    if difference is None or abs(difference) <= CLOCK_WARNING_SECONDS:
        return None
    amount, way = clock_amount(difference)
    measured, steady = _measured(db)
    if measured is None:  # measured by an earlier version, which kept no time: it cannot be dated
        return (
            f"This laptop's clock was {amount} {way} HQ's at the last sync; it may have been set right since. "
            "Check its date and time: the next sync measures it again."
        )
    when = f"at the last sync ({force_clock.local(measured):%a %d %b %Y %H:%M})"
    steady_now = time.monotonic() if steady_now is None else steady_now
    elapsed = laptop_now - measured
    moved = (
        steady is None
        or steady_now < steady  # the laptop restarted: the steady clock began again
        or abs(elapsed.total_seconds() - (steady_now - steady)) > CLOCK_MOVED_S
    )
    if moved or not timedelta(0) <= elapsed <= STALE_AFTER:
        return (
            f"This laptop's clock was {amount} {way} HQ's when measured {when}; it may have been set right since. "
            "Check its date and time: the next sync measures it again."
        )
    return (
        f"This laptop's clock was {amount} {way} HQ's {when}: set its date and time, or what it records is dated "
        "wrongly (times shown here follow the laptop)."
    )


def _measured(db: Database) -> tuple[datetime | None, float | None]:
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [CLOCK_MEASURED]).fetchone()
    try:
        stored = json.loads(row[0]) if row else {}
        laptop = datetime.fromisoformat(stored["laptop"]) if "laptop" in stored else None
        steady = float(stored["steady"]) if "steady" in stored else None
    except (ValueError, TypeError, KeyError):
        return None, None
    return laptop, steady
