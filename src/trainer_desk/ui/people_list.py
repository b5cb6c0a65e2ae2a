"""People found as someone types, listed the same way wherever the roster is searched (the register, the
trainers of a new session)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem

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


class _TypingGoesToSearch(QObject):
    """Letters typed in the list of people found go on into the search box they came from; Up from its first
    line goes back there, and Escape starts the search again."""

    def __init__(self, search: QLineEdit, parent: QObject) -> None:
        super().__init__(parent)
        self.search = search

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        held = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
        )
        if held:
            return False
        listing = watched if isinstance(watched, QListWidget) else None
        if event.key() == Qt.Key.Key_Up and listing is not None and listing.currentRow() <= 0:
            self.search.setFocus()  # back up to the search, as Down came from it
            return True
        if event.key() == Qt.Key.Key_Escape:
            self.search.clear()  # start again, as Escape in the search does
            self.search.setFocus()
            return True
        if event.key() == Qt.Key.Key_Backspace:
            self.search.setFocus()
            self.search.backspace()
            return True
        text = event.text()
        if text and text.isprintable():
            self.search.setFocus()
            self.search.end(False)  # on from what was searched, even where it was left chosen to be typed over
            self.search.insert(text)
            return True
        return False


def typing_goes_to(listing: QListWidget, search: QLineEdit) -> None:
    """A trainer typing the next name while the list of people found has the keys: the list took the letters
    to jump among its own lines, and the next Enter added whoever it had jumped to. Now they go on into the
    search, as they were meant to."""
    listing.installEventFilter(_TypingGoesToSearch(search, listing))
