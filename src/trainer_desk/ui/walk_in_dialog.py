"""Add someone who is not on the roster: checked here, flagged for HQ to reconcile."""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from trainer_desk.core.attendance import walk_in_problems
from trainer_desk.core.people import Person, PersonRole, normalise_staff_number
from trainer_desk.core.units import OrgUnit
from trainer_desk.ui.unsaved import KeepsTyping


class WalkInDialog(KeepsTyping):
    def __init__(
        self,
        parent: QWidget | None,
        units: list[OrgUnit],
        on_roster: Callable[[str], Person | None],
        number: str = "",
        searched: str = "",
        namesakes: Callable[[str, str], list[Person]] = lambda _forename, _surname: [],
        on_register: Collection[str] = (),
        roster_lengths: tuple[int, int] | None = None,
    ) -> None:
        """`on_roster` finds who the roster has under a staff number: a walk-in is someone it does not have.
        `searched`: a name searched for and not found, put into the name fields to be checked rather than typed
        again (its last word as the surname; the trainer puts it right where the order differs). `namesakes`
        finds who the roster has under a name, and `on_register` is who is on this register already: a walk-in
        of the same name as someone on the roster is asked about first, since the number is most likely wrong.
        `roster_lengths`: the shortest and longest staff number on the roster, which a walk-in's is checked by."""
        super().__init__(parent)
        self.on_roster = on_roster
        self.namesakes = namesakes
        self.on_register = on_register
        self.roster_lengths = roster_lengths
        self.asked = False  # a namesake was said for the details as they are: Add again adds them
        self.setWindowTitle("Add a walk-in")
        self.setAccessibleName("Add a walk-in")
        self.units = units
        self.number = QLineEdit(number)
        self.number.setAccessibleName("Staff number")
        if "," in searched:  # "Zed, Amelia": surname first, as registers and rosters write it
            surname, forename = (part.strip() for part in searched.split(",", 1))
        else:
            *forenames, surname = searched.split() or [""]
            forename = " ".join(forenames)
        self.forename = QLineEdit(forename)
        self.forename.setAccessibleName("Forename")
        self.surname = QLineEdit(surname)
        self.surname.setAccessibleName("Surname")
        for name in (self.forename, self.surname):
            name.setMaxLength(80)  # as long as a roster's names may be
        self.number.setMaxLength(20)
        self.unit = QComboBox()
        self.unit.setAccessibleName("Unit")
        self.unit.addItem("Choose a unit…", "")
        for unit in units:
            self.unit.addItem(unit.name, unit.code)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.add = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add.setText("Add")
        self.add.setAccessibleName("Add the walk-in")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel("Not on the roster: HQ will check these details."))
        form.addRow("Staff number", self.number)
        form.addRow("Forename", self.forename)
        form.addRow("Surname", self.surname)
        form.addRow("Unit", self.unit)
        form.addRow(self.error)
        form.addRow(buttons)
        self.person: Person | None = None
        for field in (self.number, self.forename, self.surname):
            field.textChanged.connect(self._forget_namesakes)
        self.unit.currentIndexChanged.connect(self._forget_namesakes)

    def _forget_namesakes(self) -> None:
        """What was said of the roster's namesakes was about the details as they were: once changed, it goes."""
        if self.asked:
            self.asked = False
            self.error.clear()
            self.add.setText("Add")
            self.add.setAccessibleName("Add the walk-in")

    def _on_buttons_accepted(self) -> None:
        unit = str(self.unit.currentData())
        number = normalise_staff_number(self.number.text())
        problems = walk_in_problems(
            number,
            self.forename.text(),
            self.surname.text(),
            unit,
            {u.code for u in self.units},
            self.on_roster(number) if number else None,
            self.roster_lengths,
        )
        if problems:
            self.error.setText(" ".join(problem.text for problem in problems))
            self.adjustSize()  # grow to show the whole of it
            # The keys go to the field the first problem names: "Choose the person's unit." left them on Add.
            fields = {"number": self.number, "forename": self.forename, "surname": self.surname, "unit": self.unit}
            fields[problems[0].field].setFocus()
            return
        if not self.asked and (same := self.namesakes(self.forename.text().strip(), self.surname.text().strip())):
            self.asked = True
            self.error.setText(self._namesakes_said(same))
            self.add.setText("Add anyway")
            self.add.setAccessibleName("Add the walk-in anyway: someone else of the same name")
            self.adjustSize()
            return
        self.person = Person(
            number,
            self.forename.text().strip(),
            self.surname.text().strip(),
            unit,
            PersonRole.OFFICER,
        )
        self.accept()

    def _namesakes_said(self, same: list[Person]) -> str:
        units = {u.code: u.name for u in self.units}
        said = [
            f"{p.full_name} is on the roster as {p.staff_number} ({units.get(p.unit_code, p.unit_code)})"
            + (", and already on this register" if p.staff_number in self.on_register else "")
            for p in same[:3]
        ]
        return (
            f"{'; '.join(said)}. If that is who this is, the number is wrong: cancel and find them in the search. "
            "If it is someone else of the same name, press Add anyway."
        )
