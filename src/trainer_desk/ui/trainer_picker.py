"""Choose a session's trainers from the roster, found as the register finds people.

Free text once turned "PC Sam Jones" into the staff number PCSAMJONES on every sheet. Here a name only ever
searches; a trainer is added from the roster, or as a staff number. A valid number that is not on this
laptop's roster (a co-trainer from a unit this laptop does not hold) is added only when the trainer confirms
it after being told, so a typing slip is caught and a visiting trainer is not turned away.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.people import Person, is_valid_staff_number, normalise_staff_number
from trainer_desk.store import roster, units
from trainer_desk.store.connection import Database
from trainer_desk.ui.people_list import show_people, typing_goes_to

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class TrainerPicker(QWidget):
    trainers_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.unit_names = {unit.code: unit.name for unit in units.list_units(db)}
        self.search = QLineEdit()
        self.search.setAccessibleName("Find a trainer by name or staff number")
        self.search.setPlaceholderText("Your name or staff number first, then any co-trainers; Enter adds")
        self.results = QListWidget()
        self.results.setAccessibleName("Trainers found")
        self.results.setMaximumHeight(110)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.notice = QLabel()
        self.notice.setAccessibleName("About the trainer typed")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)  # it names people: a name is never markup
        self.add_anyway = QPushButton("Add anyway")
        self.add_anyway.setAccessibleName("Add this staff number although it is not on the roster")
        self.add_anyway.hide()
        self.chosen_list = QListWidget()
        self.chosen_list.setAccessibleName("Chosen trainers, the lead trainer first; Delete removes one")
        self.chosen_list.setMaximumHeight(90)
        self.remove_button = QPushButton("Remove trainer")
        self.remove_button.setAccessibleName("Remove the selected trainer")
        self.remove_button.setEnabled(False)

        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.add_anyway)
        chosen_row = QHBoxLayout()
        chosen_row.addWidget(self.chosen_list, 1)
        chosen_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addLayout(notice_row)
        layout.addLayout(chosen_row)

        self._chosen: list[tuple[str, Person | None]] = []
        self._unlisted: str | None = None  # a number not on the roster, waiting for the trainer to confirm it
        self.search.textChanged.connect(self._on_search_text_changed)
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.add_anyway.clicked.connect(self._on_add_anyway_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        for widget in (self.search, self.results, self.chosen_list):
            widget.installEventFilter(self)
        typing_goes_to(self.results, self.search)

    def staff_numbers(self) -> tuple[str, ...]:
        return tuple(number for number, _person in self._chosen)

    def typed_text(self) -> str:
        """What is in the search box and not yet added."""
        return self.search.text().strip()

    # --- keys -----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter adds here rather than reaching the dialog's Start button; Escape clears a search rather than
        closing the dialog; Down and Up move between the search and its results; Delete removes a chosen
        trainer."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self.search and key in _ENTER:
            self._on_search_entered()
            return True
        if watched in (self.search, self.results) and key == Qt.Key.Key_Escape and self.search.text():
            self._clear_search()
            self._say("")
            self.search.setFocus()
            return True
        if watched is self.search and key == Qt.Key.Key_Down and self.results.count():
            self.results.setFocus()
            return True
        if watched is self.results and key in _ENTER:
            item = self.results.currentItem()
            if item is not None:
                self._on_results_item_activated(item)
            return True
        if watched is self.results and key == Qt.Key.Key_Up and self.results.currentRow() <= 0:
            self.search.setFocus()
            return True
        if watched is self.chosen_list and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._on_remove_clicked()
            return True
        return False

    # --- finding --------------------------------------------------------------------------------
    def _on_search_text_changed(self, text: str) -> None:
        self._say("")
        found = roster.search_people(self.db, text)
        show_people(self.results, found, set(self.staff_numbers()), "already a trainer", self.unit_names)
        # An empty list is not a stop on the way from the search to the chosen trainers.
        self.results.setFocusPolicy(Qt.FocusPolicy.StrongFocus if self.results.count() else Qt.FocusPolicy.NoFocus)

    def _on_search_entered(self) -> None:
        """An exact staff number, or the only person the search finds (by name or the start of a number, as the
        register adds); anything else is explained. "S1232" finding only Dev Quinn (S123280) added a trainer
        "S1232, not on this laptop's roster" on the second Enter, while the list showed who was meant."""
        text = self.typed_text()
        if not text:
            return
        number = normalise_staff_number(text)
        exact = roster.get_person(self.db, number) if any(ch.isdigit() for ch in text) else None
        found = roster.search_people(self.db, text)
        if exact is not None or number in self.staff_numbers():
            self._add(number, exact)
        elif len(found) == 1:
            self._add(found[0].staff_number, found[0])
        elif found:
            self._say(f"Several people match “{text}”: press Down to choose one, or type more.")
        elif not any(ch.isdigit() for ch in text):  # a name: only ever a search
            self._say(
                f"No one on the roster matches “{text}”. Type the trainer's name as the roster has it, "
                "or their staff number."
            )
        elif not is_valid_staff_number(number):
            self._say(f"“{text}” is not a staff number: 3 to 12 letters and digits, with at least one digit.")
        elif self._unlisted == number:
            self._add(number, None)
        else:
            self._say(
                f"No one with staff number {number} is on this laptop's roster. Check it: if it is right, press "
                "Enter again or Add anyway, and the sheets will show the number without a name."
            )
            self._unlisted = number
            self.add_anyway.show()

    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        person = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(person, Person):
            self._add(person.staff_number, person)

    def _on_add_anyway_clicked(self) -> None:
        if self._unlisted is not None:
            self._add(self._unlisted, None)

    # --- the chosen list ------------------------------------------------------------------------
    def _add(self, number: str, person: Person | None) -> None:
        already = dict(self._chosen)
        if number in already:
            self._clear_search()
            self._say(f"{_label(number, already[number])} is already a trainer for this session.")
            return
        self._chosen.append((number, person))
        self._show_chosen()
        self.chosen_list.setCurrentRow(len(self._chosen) - 1)
        self._clear_search()
        self._say(f"Added {_label(number, person)}.")
        self.trainers_changed.emit()

    def _on_remove_clicked(self) -> None:
        row = self.chosen_list.currentRow()
        if not 0 <= row < len(self._chosen):
            return
        number, person = self._chosen.pop(row)
        self._show_chosen()
        if self._chosen:
            self.chosen_list.setCurrentRow(min(row, len(self._chosen) - 1))
            self.chosen_list.setFocus()
        else:
            self.search.setFocus()
        self._say(f"Removed {_label(number, person)}.")
        self.trainers_changed.emit()

    def _show_chosen(self) -> None:
        self.chosen_list.clear()
        for position, (number, person) in enumerate(self._chosen):
            lead = " · leads the session" if position == 0 else ""
            self.chosen_list.addItem(_label(number, person) + lead)
        self.remove_button.setEnabled(bool(self._chosen))

    def _clear_search(self) -> None:
        self.search.clear()
        self.search.setFocus()

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self._unlisted = None
        self.add_anyway.hide()


def _label(number: str, person: Person | None) -> str:
    return f"{person.full_name} ({number})" if person else f"{number} (not on this laptop's roster)"
