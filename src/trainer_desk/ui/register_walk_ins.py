"""Walk-ins: someone not on the roster (or not found on it) added to the register through the walk-in form,
with what was typed in the search box filled in for the trainer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer_desk.core.people import normalise_staff_number
from trainer_desk.core.register_rows import greeting_name, looks_like_staff_number
from trainer_desk.store import roster, units
from trainer_desk.ui.walk_in_dialog import WalkInDialog

if TYPE_CHECKING:
    from trainer_desk.ui.register_window import RegisterWindow


class RegisterWalkIns:
    """Opens the walk-in form for the window, and remembers how each walk-in is greeted at self sign-in."""

    def __init__(self, window: RegisterWindow) -> None:
        self.window = window
        self.forenames: dict[str, str] = {}  # by staff number, as typed in this window (else the whole name)

    def open_form(self) -> WalkInDialog:
        """The form, filled in with a number or a name typed in the search (a name is not a number)."""
        window, text = self.window, self.window.search.text()
        typed = normalise_staff_number(text)
        number = typed if looks_like_staff_number(typed) else ""
        name = "" if number or any(c.isdigit() for c in text) else text.strip()
        db = window.workspace.db
        dialog = WalkInDialog(
            window,
            units.list_units(db),
            lambda typed: roster.get_person(db, typed),
            number,
            name,
            lambda forename, surname: roster.people_named(db, forename, surname),
            {line.attendance.staff_number for line in window.lines},
            roster.staff_number_lengths(db),
        )
        dialog.accepted.connect(lambda: self._on_form_accepted(dialog))
        dialog.open()
        return dialog

    def _on_form_accepted(self, dialog: WalkInDialog) -> None:
        if dialog.person is not None:
            # Greeted at self sign-in by the forename as typed: the register keeps the name whole, and its
            # first word is not a forename in every culture ("عبد الله" is one name; "عبد" alone is not).
            self.forenames[dialog.person.staff_number] = greeting_name(dialog.person)
            self.window.add_person(dialog.person, walk_in=True, checked=True)
