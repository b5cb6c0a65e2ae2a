"""The register's search box and what it answers, right under it: people found as a name or number is typed,
a scanned number marked on Enter, and a notice for no one found (offering a walk-in) or several found.

Someone on an earlier register of the programme is added only when the trainer says so. A scanner sends the
next number at once, so those people wait in a queue, in the order scanned, and are asked about one at a time
on a row of their own with how many more wait; the scans go on meanwhile. (One question at a time, overwritten
by the next, dropped people without a word.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from trainer_desk.core.earlier_registration import EarlierRegistration, add_again_question
from trainer_desk.core.people import Person, normalise_staff_number
from trainer_desk.core.register_rows import looks_like_staff_number
from trainer_desk.store import roster
from trainer_desk.ui.people_list import show_people, typing_goes_to
from trainer_desk.ui.register_results import PeopleFoundList

if TYPE_CHECKING:
    from trainer_desk.ui.register_window import RegisterWindow


class RegisterSearch:
    """The search box, the people found and the notice row; what is added goes to the window's `add_person`."""

    def __init__(self, window: RegisterWindow) -> None:
        self.window = window
        self.search = QLineEdit()
        self.search.setAccessibleName("Find a person or scan a staff number")
        self.search.setPlaceholderText("Type a name or staff number, or scan a card; Enter adds the person")
        self.search.setStyleSheet("font-size: 15pt; padding: 6px;")
        self.results = PeopleFoundList()
        self.notice = QLabel()
        self.notice.setAccessibleName("Notice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)  # it names people: a name is never markup
        self.notice.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px;")
        self.notice.hide()
        self.question = QLabel()
        self.question.setAccessibleName("Question waiting")
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.question.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px; font-weight: bold;")
        # Alt+A and Alt+D, from the search box where the keys stay
        self.add_anyway = QPushButton("&Add anyway")
        self.add_anyway.setAccessibleName("Add this person anyway")
        self.dont_add = QPushButton("&Don't add")
        self.dont_add.setAccessibleName("Do not add this person")
        for widget in (self.question, self.add_anyway, self.dont_add):
            widget.hide()
        self.waiting: list[tuple[Person, EarlierRegistration]] = []  # scanned, asked about in this order
        # Numbers scanned that the roster does not know, said until added as walk-ins or let go with Escape:
        # the next card's scan replaces the number in the box, and must not make the card before it vanish.
        self.not_found: list[str] = []
        self.offer_walk_in = QPushButton("Add as a walk-in…")
        self.offer_walk_in.setAccessibleName("Add them as a walk-in")
        self.offer_walk_in.hide()

        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.results.itemActivated.connect(lambda item: window.add_person(item.data(Qt.ItemDataRole.UserRole)))
        typing_goes_to(self.results, self.search)
        self.add_anyway.clicked.connect(self._on_add_anyway_clicked)
        self.offer_walk_in.clicked.connect(lambda _checked=False: window.walk_ins.open_form())
        self.dont_add.clicked.connect(self._on_dont_add_clicked)
        # Down goes from the search box to the people found, and only from there: window-wide, it took Down
        # from the list itself (the arrows never moved) and from the attendees table.
        to_results = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search, lambda: self.results.setFocus())
        to_results.setContext(Qt.ShortcutContext.WidgetShortcut)
        # Escape in the search box starts again: what was typed, the people found and what was said about them go.
        # The people waiting for an answer stay: each is answered on its own (Alt+D), never dropped in a heap.
        # A shortcut, not an event filter: a filter would run Python for every key typed there.
        start_again = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, self._start_again)
        start_again.setContext(Qt.ShortcutContext.WidgetShortcut)

    def notice_row(self, *others: QWidget) -> QVBoxLayout:
        """The question waiting and its answers in one row; under it the notice, with `others` (the window's
        Undo) before the walk-in offer. Apart, so that saying "already on the register" about the next scan
        leaves the question in sight."""
        rows = QVBoxLayout()
        asking = QHBoxLayout()
        asking.addWidget(self.question, 1)
        asking.addWidget(self.add_anyway)
        asking.addWidget(self.dont_add)
        rows.addLayout(asking)
        row = QHBoxLayout()
        row.addWidget(self.notice, 1)
        for widget in (*others, self.offer_walk_in):
            row.addWidget(widget)
        rows.addLayout(row)
        return rows

    def set_cancelled(self, cancelled: bool) -> None:
        """A cancelled session's register takes no one: the box is off and says why, the list goes."""
        self.search.setEnabled(not cancelled)
        self.results.closed_for_good = cancelled
        self.results.fit_to_found()
        if cancelled:
            self.search.setPlaceholderText("Cancelled: nothing can be recorded here")

    def _on_search_text_changed(self, text: str) -> None:
        self.notice.hide()  # what was said about the last search goes; a question waits for its answer
        self.offer_walk_in.hide()
        if self.not_found:  # but not a card the roster did not know: it stays said until dealt with
            self.say(
                f"Not on the roster: {', '.join(self.not_found)}. Type the number again to add them as a walk-in, "
                "or press Escape to let it go."
            )
        on_register = {line.attendance.staff_number for line in self.window.lines}
        found = roster.search_people(self.window.workspace.db, text)
        show_people(self.results, found, on_register, "on the register", self.window.unit_names)
        self.results.fit_to_found()

    def _on_search_return_pressed(self) -> None:
        """A scanner types the number and Enter: an exact staff number is marked present in one step. A name
        adds on Enter only when one person matches; with several, the trainer picks (three O'Briens)."""
        typed = normalise_staff_number(self.search.text())
        exact = roster.get_person(self.window.workspace.db, typed) if typed else None
        if exact is not None:
            self.window.add_person(exact)
        elif self.results.count() == 1:
            self.window.add_person(self.results.item(0).data(Qt.ItemDataRole.UserRole))
        elif self.results.count() > 1:  # the keys stay here: the next name typed replaces this search
            self.search.selectAll()
            self.say(
                f"{self.results.count()} people match “{' '.join(self.search.text().split())}”: press Down to "
                "choose one, then Enter. Typing starts a new search."
            )
        elif typed and looks_like_staff_number(typed):
            if typed not in self.not_found:
                self.not_found.append(typed)
            # Chosen, so the next scan replaces it: left as it was, the next card's number ran on after it
            # ("W90001175465") and every card after an unknown one was lost.
            self.search.selectAll()
            self.say(f"No one with staff number {typed} is on the roster. Add them as a walk-in?", walk_in=True)
        elif typed:
            name = " ".join(self.search.text().split())  # as typed: a name is not shouted back in capitals
            self.search.selectAll()
            self.say(f"No one called {name} was found on the roster. Add them as a walk-in?", walk_in=True)

    def say(self, text: str, walk_in: bool = False) -> None:
        """What the search found, beside the search box where the trainer is looking, until they search again:
        in the status bar it was small, far below, and gone in eight seconds. A walk-in is offered as a button."""
        self.notice.setText(text)
        self.notice.show()
        self.offer_walk_in.setVisible(walk_in)

    def ask_to_add_again(self, person: Person, earlier: EarlierRegistration) -> None:
        """Someone on an earlier register of the programme is added only when the trainer says so: they join
        the people waiting (once, however often scanned), and the first of them is asked about."""
        if any(waiting.staff_number == person.staff_number for waiting, _ in self.waiting):
            self.say(f"{person.full_name} is already waiting for your answer.")
        else:
            self.waiting.append((person, earlier))
        self._ask_next()
        # The keys stay in the search, its text chosen, so the next name or scan replaces it: with them on
        # Add anyway, the next number went nowhere and its Enter added this person after all.
        self.search.selectAll()

    def waiting_people(self) -> list[Person]:
        """Scanned and not on the register: each waits for the trainer's answer."""
        return [person for person, _ in self.waiting]

    def forget_waiting(self) -> None:
        """Everyone waiting left off, as the trainer answered when closing: the question row goes with them."""
        self.waiting.clear()
        self._ask_next()

    def _ask_next(self) -> None:
        if not self.waiting:
            for widget in (self.question, self.add_anyway, self.dont_add):
                widget.hide()
            return
        person, earlier = self.waiting[0]
        plan = self.window.plan
        title = plan.title if plan is not None and earlier.plan_id == plan.id else ""
        now = self.window.workspace.clock()
        self.question.setText(add_again_question(person.full_name, earlier, title, now, len(self.waiting) - 1))
        for widget in (self.question, self.add_anyway, self.dont_add):
            widget.show()

    def _on_add_anyway_clicked(self) -> None:
        if self.waiting:
            person, _ = self.waiting.pop(0)
            self._ask_next()
            self.window.add_person(person, checked=True)
        self.search.setFocus()

    def _on_dont_add_clicked(self) -> None:
        if self.waiting:
            person, _ = self.waiting.pop(0)
            self._ask_next()
            self.window.show_message(f"Not added: {person.full_name}.")
        self.search.setFocus()

    def clear_notice(self) -> None:
        for widget in (self.notice, self.offer_walk_in):
            widget.hide()
        self.search.setFocus()

    def reset(self) -> None:
        """Ready for the next person: the box emptied, the keys in it."""
        self.search.clear()
        self.search.setFocus()

    def found(self, staff_number: str) -> None:
        """`staff_number` is on the register now (a walk-in added for a card the roster did not know)."""
        if staff_number in self.not_found:
            self.not_found.remove(staff_number)

    def _start_again(self) -> None:
        self.not_found.clear()  # Escape: the trainer has seen them and lets them go
        self.clear_notice()
        self.reset()
        self.results.collapse()  # Escape takes the list away at once
        self.window.statusBar().clearMessage()  # its question was about what was typed
