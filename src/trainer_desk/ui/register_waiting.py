"""Scanned people waiting for the trainer's answer, and closing the register with them still waiting.

Someone on an earlier register of the programme joins the wait rather than being added (the search asks about
each in turn, `RegisterSearch`). Closing the register's window, quitting the app and Close session each name
those still waiting, in the same words, so the trainer answers for them or leaves them off knowingly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from trainer_desk.core.counted import counted, were
from trainer_desk.core.people import Person
from trainer_desk.core.refusals import short_session_name
from trainer_desk.store import attendance, delivery
from trainer_desk.store.attendance import RegisterLine
from trainer_desk.ui.not_saved_banner import Unsaved
from trainer_desk.ui.question import ask

if TYPE_CHECKING:
    from trainer_desk.ui.register_window import RegisterWindow


class PeopleWaiting:
    """Who waits for the window's answer, and the window's Close session and close questions about them."""

    def __init__(self, window: RegisterWindow) -> None:
        self.window = window

    def waits_for_answer(self, person: Person, line: RegisterLine | None) -> bool:
        """Whether `person` must wait for the trainer's answer rather than be added: someone on an earlier
        register of the programme (completed, or on a register left open) is put in the one waiting list, in
        the order they came, whether found in the search, scanned, or signing themselves in. Someone booked
        ahead (`line`) is marked present without asking again."""
        if line is not None:
            return False
        window = self.window
        earlier = attendance.previous_registration(
            window.workspace.db, person.staff_number, window.session.plan.programme_id, window.session.uuid
        )
        if earlier is None:
            return False
        window.finder.ask_to_add_again(person, earlier)
        return True

    def close_session(self) -> QMessageBox:
        """Show the checklist first; the session closes only when the trainer says so."""
        window = self.window
        section_ids = [s.id for s in window.plan.sections] if window.plan else []
        checklist = delivery.checklist_for(window.workspace.db, window.session, section_ids)
        tick = {True: "✔", False: "✘"}
        # Scanned people still waiting for an answer are said first: once the session is closed, adding any of
        # them is a correction with a reason, so the trainer answers for them now or leaves them off knowingly.
        waiting, listed = self._waiting_in_words()
        unanswered = (
            f"✘ Waiting for your answer: {counted(waiting, 'scanned person', 'scanned people')}: {listed}\n"
            if waiting
            else ""
        )
        text = (
            f"{tick[checklist.register_complete]} Register: {counted(checklist.attendees, 'attendee')}\n"
            f"{unanswered}"
            f"{tick[checklist.feedback_collected]} Feedback: {counted(checklist.feedback_forms, 'form')}\n"
            f"{tick[checklist.timing_complete]} Timing log: {checklist.sections_timed} of "
            f"{counted(len(section_ids), 'section')}\n\nClose the session and queue it for HQ? After closing, a change "
            "to the register is a correction with a reason."
        )
        db, session, now = window.workspace.writer, window.session, window.workspace.clock()

        def closed(result: object) -> None:
            # Left off, as the trainer answered, once the close is saved: no question stays on a closed register,
            # and if the close could not be saved, the people waiting still are.
            window.finder.forget_waiting()
            window.show_written("Session closed and queued for HQ.", result)

        def close() -> None:
            def work() -> object:
                return delivery.close_session(db, session, checklist, window.recorded_by, now)

            unsaved = Unsaved("closing the session", work, closed)  # still planned until it is saved
            window.tasks.run_db(
                work,
                on_success=closed,
                on_failure=lambda error: window.show_write_failed(error, unsaved),
                owner=window,
            )

        return ask(
            window,
            "Close the session",
            text,
            "Close without adding them" if waiting else "Close session",
            "Keep it open" if waiting else "Not yet",
            close,
            name="Close the session: checklist",
        )

    def lost_on_closing(self, naming_session: bool = False) -> str:
        """Who closing the register now would leave off it, in words ('' when no one): the one place that knows,
        read by the window's close button and by quitting the app, so both name the same people. Named, each
        with their number: the trainer can find the cards again, or answer before closing. With
        `naming_session` (quitting with two registers open), the register is named by its session."""
        waiting, listed = self._waiting_in_words()
        if not waiting and not self.window.not_saved.unsaved:
            return ""
        register = "the register"
        if naming_session:
            window = self.window
            title = window.plan.title if window.plan is not None else window.session.plan.plan_id
            unit = window.unit_names.get(window.session.unit_code, window.session.unit_code)
            register = f"the register of {short_session_name(title, window.session.starts_at, unit)}"
        said = (
            f"{counted(waiting, 'scanned person', 'scanned people')} {were(waiting)} not added to {register}: "
            f"{listed}, waiting for your answer."
            if waiting
            else ""
        )
        return " ".join(filter(None, [said, self.window.not_saved.in_words(register)]))  # and what the disk refused

    def _waiting_in_words(self) -> tuple[int, str]:
        """How many wait for the trainer's answer, and who, each with their number: the words closing the
        register or the session, and quitting, all name them by."""
        named = [f"{person.full_name} ({person.staff_number})" for person in self.window.finder.waiting_people()]
        listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}" if named else ""
        return len(named), listed

    def close_from_keys(self) -> None:
        """Ctrl+W: the register closes as by its close button, asked about first (Keep it open by default) when
        someone scanned is waiting or something is not saved. No key closed it, and a keyboard user was left
        hunting for the window system's own."""
        lost = self.lost_on_closing()
        if lost:
            self.ask_to_close_with_people_waiting(lost)
            return
        self.window.close()

    def ask_to_close_with_people_waiting(self, lost: str) -> QMessageBox:
        """Asked in the words of what is lost: people not added, writes not saved (a removal adds nobody)."""
        waiting, unsaved = self._waiting_in_words()[0], bool(self.window.not_saved.unsaved)
        question, act = (
            ("Close the register without adding or saving them?", "Close without adding or saving")
            if waiting and unsaved
            else ("Close the register without adding them?", "Close without adding")
            if waiting
            else ("Close without saving these?", "Close without saving")
        )
        return ask(self.window, "Close the register", f"{lost} {question}", act, "Keep it open", self.close_anyway)

    def close_anyway(self) -> None:
        """Closed with the people waiting, and what was not saved, left off, as the trainer answered."""
        self.window.finder.forget_waiting()
        self.window.not_saved.clear()
        self.window.close()
