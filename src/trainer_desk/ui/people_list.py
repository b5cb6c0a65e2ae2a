"""People found as someone types, listed the same way wherever the roster is searched (the register, the
trainers of a new session)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from trainer_desk.core.people import Person


def show_people(
    listing: QListWidget,
    people: Iterable[Person],
    already: set[str],
    already_note: str,
    unit_names: Mapping[str, str],
) -> None:
    """Replace the list with `people` (each item carries its Person), noting those whose number is in
    `already`; the first is current, so Enter or Down reaches it at once. Units are named as the register and
    the sheets name them (`unit_names`, by code)."""
    listing.clear()
    for person in people:
        note = f" ({already_note})" if person.staff_number in already else ""
        unit = unit_names.get(person.unit_code, person.unit_code)
        item = QListWidgetItem(f"{person.full_name} · {person.staff_number} · {unit}{note}")
        item.setData(Qt.ItemDataRole.UserRole, person)
        listing.addItem(item)
    if listing.count():
        listing.setCurrentRow(0)
