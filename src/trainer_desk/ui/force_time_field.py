"""A field for a date and time that shows and takes them as the force's clocks read them (UK time), as every
screen and sheet gives them: a trainer on a laptop set to UTC who types 10:00 means the 10:00 the Sessions view
and the register then show. Qt's own clock is kept out of it (the field holds the reading as UTC, which Qt never
shifts), so the one conversion is the force's clock's."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit

from trainer_desk.core import force_clock


def force_time_field(moment: datetime) -> QDateTimeEdit:
    """A field showing `moment` on the force's clocks."""
    field = QDateTimeEdit()
    field.setTimeZone(QTimeZone.utc())  # a clock reading held as it is, whatever this computer's zone
    field.setDateTime(_shown(force_clock.reading(moment)))
    return field


def limit(field: QDateTimeEdit, earliest: date, latest: datetime) -> None:
    """Take nothing before `earliest` (a day) nor after the moment `latest`, on the force's clocks."""
    field.setDateTimeRange(
        _shown(datetime(earliest.year, earliest.month, earliest.day)), _shown(force_clock.reading(latest))
    )


def moment_in(field: QDateTimeEdit) -> datetime:
    """The moment the field's date and time are, on the force's clocks."""
    day, at = field.date(), field.time()
    return force_clock.moment_read(datetime(day.year(), day.month(), day.day(), at.hour(), at.minute()))


def _shown(reading: datetime) -> QDateTime:
    return QDateTime(
        QDate(reading.year, reading.month, reading.day), QTime(reading.hour, reading.minute), QTimeZone.utc()
    )
