"""Handing the laptop to the room from the register: self sign-in and the feedback form, each full screen
behind a PIN the trainer chooses, and the printed feedback forms keyed in afterwards on the trainer's screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from trainer_desk.core.attendance import SELF_SIGN_IN
from trainer_desk.core.feedback import Feedback
from trainer_desk.core.people import normalise_staff_number
from trainer_desk.core.register_rows import greeting_name
from trainer_desk.store import attendance, feedback, roster
from trainer_desk.ui.feedback_window import FeedbackWindow
from trainer_desk.ui.full_screen import show_full_screen
from trainer_desk.ui.kiosk_window import KioskWindow
from trainer_desk.ui.not_saved_banner import FEEDBACK_FORM_KEY, Unsaved, arrival_key, failure_words
from trainer_desk.ui.paper_forms_dialog import PaperFormsDialog
from trainer_desk.ui.question import ask_text
from trainer_desk.ui.room_window import NOT_SAVED_FOR_THE_ROOM

if TYPE_CHECKING:
    from trainer_desk.ui.register_window import RegisterWindow


class RoomHandover:
    """The windows handed to the room for one register; none outlives it (`close_all`)."""

    def __init__(self, window: RegisterWindow) -> None:
        self.window = window
        self.kiosk: KioskWindow | None = None
        self.feedback_form: FeedbackWindow | None = None

    def start_kiosk(self) -> QInputDialog:
        """Ask the trainer for a PIN to leave sign-in, then hand the laptop to the room."""
        return ask_text(
            self.window,
            "Self sign-in",
            "Choose a PIN (4 or more digits). You will need it to leave sign-in:",
            self._on_kiosk_pin_chosen,
            secret=True,
        )

    def _pin_refused(self, pin: str, ask_again: Callable[[], QInputDialog | None]) -> bool:
        """A PIN too short to keep the room out is asked for again at once, saying why (the feedback form's
        question once closed with a line in the status bar, and the trainer had to open it again)."""
        if len(pin) >= 4 and pin.isdigit():
            return False
        again = ask_again()
        if again is not None:
            again.setLabelText("The PIN must be 4 or more digits (numbers only). Choose a PIN:")
        return True

    def _on_kiosk_pin_chosen(self, pin: str) -> None:
        if self._pin_refused(pin, self.start_kiosk):
            return
        plan = self.window.plan
        self.kiosk = KioskWindow(pin, plan.title if plan else "Training session")
        self.kiosk.number_entered.connect(self._on_kiosk_number_entered)
        self.kiosk.unlocked.connect(self.window.refresh)
        show_full_screen(self.kiosk, self.window.screen())
        self.kiosk.raise_()
        self.kiosk.activateWindow()
        self.kiosk.entry.setFocus()

    def _on_kiosk_number_entered(self, number: str) -> None:
        kiosk, window = self.kiosk, self.window
        if kiosk is None:
            return
        person = roster.get_person(window.workspace.db, number)
        if person is None:
            # A walk-in is not on the roster, but is on this register: told so, not sent to the trainer.
            walk_in = window.line_of(normalise_staff_number(number))
            if walk_in is not None and not window.is_booked(walk_in):
                shown = window.walk_ins.forenames.get(walk_in.attendance.staff_number, walk_in.name)
                kiosk.show_reply(f"You're already signed in, {shown}.", good=True)
            elif not any(c.isdigit() for c in number):  # a name: the roster is not searched from the room
                kiosk.show_reply("Please type your staff number, not your name, or see the trainer.", good=False)
            else:
                kiosk.show_reply("That number was not found. Please see the trainer.", good=False)
            return
        shown = greeting_name(person)
        line = window.line_of(number)
        if line is not None and not window.is_booked(line):
            kiosk.show_reply(f"You're already signed in, {shown}.", good=True)
            return
        if window.waiting.waits_for_answer(person, line):  # the room is told nothing of any other session
            kiosk.show_reply(f"Thank you, {shown}: please see the trainer, who will confirm your place.", good=True)
            return

        def signed_in(record: object) -> None:
            window.not_saved.saved(unsaved.about)
            kiosk.show_reply(f"Welcome, {shown}. You're signed in.", good=True)
            window.show_written("Saved.", record, person.full_name)

        def not_signed_in(error: Exception) -> None:
            now_on = window.line_of(number)  # a second scan before the first was saved: the first is shown now
            if isinstance(error, attendance.AlreadyRegisteredError) or (now_on and not window.is_booked(now_on)):
                window.not_saved.saved(unsaved.about)
                kiosk.show_reply(f"You're already signed in, {shown}.", good=True)
            else:  # the room sees no detail (it could name someone); the trainer's register has it
                kiosk.show_reply(NOT_SAVED_FOR_THE_ROOM, good=False)
                window.show_write_failed(error, unsaved)

        work = window.arrival(person, line, SELF_SIGN_IN)
        # Kept, named, on the trainer's register until saved: the kiosk hides it, and the person has sat down.
        unsaved = Unsaved(
            f"{person.full_name} ({person.staff_number}), signing themselves in",
            work,
            lambda record: window.show_written("Saved.", record, person.full_name),
            arrival_key(person.staff_number),
        )
        window.tasks.run_db(work, on_success=signed_in, on_failure=not_signed_in)

    def open_feedback(self) -> QInputDialog | None:
        """Ask the trainer for a PIN to leave the form, then hand the laptop to the room, full screen."""
        if self.window.plan is None:
            self.window.show_message(
                "This session's lesson plan is not on this laptop, so its feedback form cannot open."
            )
            return None
        return ask_text(
            self.window,
            "Feedback form",
            "Choose a PIN (4 or more digits). You will need it to leave the feedback form:",
            self._on_feedback_pin_chosen,
            secret=True,
        )

    def _on_feedback_pin_chosen(self, pin: str) -> None:
        if self._pin_refused(pin, self.open_feedback):
            return
        window = self.window
        assert window.plan is not None
        self.feedback_form = FeedbackWindow(window.plan, window.session.uuid, pin)
        self.feedback_form.submitted.connect(self._on_feedback_submitted)
        self.feedback_form.unlocked.connect(window.refresh)
        # Left by the trainer: its answers were sent, or the trainer chose to lose them. Either way, none wait.
        self.feedback_form.unlocked.connect(lambda: window.not_saved.saved(FEEDBACK_FORM_KEY))
        show_full_screen(self.feedback_form, window.screen())
        self.feedback_form.raise_()
        self.feedback_form.activateWindow()

    def _on_feedback_submitted(self, form: Feedback) -> None:
        workspace, form_window = self.window.workspace, self.feedback_form
        db, now = workspace.writer, workspace.clock()
        assert form_window is not None
        self.window.tasks.run_db(
            lambda: feedback.save_feedback(db, form, now),
            on_success=lambda _r: self._on_feedback_saved(form_window),
            on_failure=lambda error: self._on_feedback_not_saved(form_window, error),
        )

    def _on_feedback_not_saved(self, form_window: FeedbackWindow, error: Exception) -> None:
        """The room is told only to tell the trainer (the disk's details are the trainer's to act on); the
        trainer's register says what failed and what to do. The answers stay on the form, to be sent again
        from there: kept here as well, they could be saved twice."""
        form_window.show_saved(False)
        unsaved = Unsaved("a feedback form (its answers are still on the form)", key=FEEDBACK_FORM_KEY)
        self.window.show_write_failed(error, unsaved)

    def _on_feedback_saved(self, form_window: FeedbackWindow) -> None:
        """Sent again once space was freed: nothing waits on the form now."""
        self.window.not_saved.saved(FEEDBACK_FORM_KEY)
        form_window.show_saved(True)

    def open_paper_forms(self) -> PaperFormsDialog | None:
        """The printed forms, keyed in afterwards: the trainer's own screen, not handed to the room."""
        window = self.window
        if window.plan is None:
            window.show_message("This session's lesson plan is not on this laptop, so its forms cannot be keyed in.")
            return None
        dialog = PaperFormsDialog(window.plan, window.session.uuid, window)
        dialog.submitted.connect(lambda forms: self._save_paper_forms(dialog, forms))
        dialog.finished.connect(lambda _result: window.refresh())
        dialog.open()
        return dialog

    def _save_paper_forms(self, dialog: PaperFormsDialog, forms: list[Feedback]) -> None:
        db, now = self.window.workspace.writer, self.window.workspace.clock()
        self.window.tasks.run_db(
            lambda: feedback.save_forms(db, forms, now),
            on_success=lambda saved: dialog.show_saved(saved),
            on_failure=lambda error: dialog.show_saved(None, " ".join(filter(None, failure_words(error)))),
        )

    def close_all(self) -> None:
        """Nothing handed to the room outlives the register (the app is closing, or the trainer is done)."""
        for handed in (self.kiosk, self.feedback_form):
            if handed is not None:
                handed.force_close()
