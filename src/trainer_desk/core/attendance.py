"""Attendance: who was at a session, in what state, recorded by whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left-early"
    ABSENT = "absent"  # booked in advance but did not come

    @property
    def completes_training(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass(frozen=True, slots=True)
class Attendance:
    uuid: str
    session_uuid: str
    staff_number: str
    status: AttendanceStatus
    marked_at: datetime
    recorded_by: str
    walk_in: bool = False  # not on the roster when marked: HQ reconciles
    walk_in_name: str = ""
    walk_in_unit: str = ""
    version: int = 1
