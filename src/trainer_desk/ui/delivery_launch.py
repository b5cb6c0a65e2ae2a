"""Open the presenter and audience windows for a plan: a rehearsal, a new session, or one resumed after the
app or laptop stopped mid-session."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from trainer_desk.core import force_clock
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.pacing import format_clock
from trainer_desk.core.plan_library import PlanLibrary, version_order
from trainer_desk.core.sessions import PlanRef, Session, SessionStatus
from trainer_desk.store import delivery, planning, sessions, units
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

if TYPE_CHECKING:  # loaded when a session opens, not at start-up (video and FTS are not needed before)
    from trainer_desk.ui.presenter_window import PresenterWindow
    from trainer_desk.ui.register_window import RegisterWindow
    from trainer_desk.ui.start_session_dialog import StartSessionDialog


class DeliveryLauncher(QObject):
    """Keeps the open presenter windows alive and tells the rest of the app, through the change channel, when
    sessions change."""

    problem = Signal(str)

    def __init__(
        self, workspace: Workspace, tasks: TaskRunner, library: PlanLibrary, changes: ChangeChannel | None = None
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.tasks = tasks
        self.library = library
        self.changes = changes or ChangeChannel()
        self.presenters: list[PresenterWindow] = []
        self.registers: dict[str, RegisterWindow] = {}
        self.resume_prompt: QMessageBox | None = None
        self.start_prompt: QMessageBox | None = None

    def open_presenter(
        self, plan: LessonPlan, session: Session | None, snapshot: dict[str, object] | None = None
    ) -> PresenterWindow:
        from trainer_desk.lesson_content import for_session
        from trainer_desk.store.faq_index import FaqIndex
        from trainer_desk.ui.presentation import Presentation
        from trainer_desk.ui.presenter_window import PresenterWindow

        shared_faq = self.library.shared_faq
        if session is not None and session.wellbeing_contact:  # named for this session: shown in its place
            plan, shared_faq = for_session(self.workspace.paths, plan, session.wellbeing_contact)
        window = PresenterWindow(
            self.workspace,
            self.tasks,
            Presentation(plan),
            FaqIndex([*plan.faq, *shared_faq]),
            session,
            monotonic=time.monotonic,
            snapshot=snapshot,
            changes=self.changes,
        )
        self.presenters.append(window)
        window.delivery_ended.connect(lambda: self._on_presenter_ended(window))
        window.register_requested.connect(lambda: window.session and self.open_register(window.session))
        window.start()
        return window

    def rehearse(self, plan: LessonPlan) -> PresenterWindow:
        return self.open_presenter(plan, None)

    def ask_to_start(self, plan: LessonPlan, parent: QWidget | None) -> StartSessionDialog:
        from trainer_desk.ui.start_session_dialog import StartSessionDialog

        db = self.workspace.db
        dialog = StartSessionDialog(
            parent, db, list(self.library.plans), plan, units.list_units(db), self.workspace.clock
        )
        dialog.accepted.connect(lambda: self.begin(dialog.chosen_plan, dialog.session))
        dialog.open()
        return dialog

    def begin(self, plan: LessonPlan, session: Session | None) -> None:
        """Save the new session (stamped with the plan's version), then open the presenter."""
        if session is None:
            return
        db, now = self.workspace.writer, self.workspace.clock()
        self.tasks.run_db(
            lambda: sessions.create_session(db, session, now),
            on_success=lambda saved: self._on_session_saved(plan, saved),
            on_failure=lambda error: self.problem.emit(f"The session was not started: {error}"),
        )

    def start_planned(self, session: Session, parent: QWidget | None = None) -> None:
        """Deliver a session planned ahead, from the exact plan version it was planned with; its booked people
        are already on the register, and whoever does not come stays absent (booked). One planned for another
        day is started only once the trainer says so: it is then recorded as held today
        (`delivery.set_status`), and the wrong session picked from the list is caught here."""
        planned_day = force_clock.local(session.starts_at).date()
        if planned_day != force_clock.local(self.workspace.clock()).date():
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Start a session planned for another day?",
                f"This session is planned for {force_clock.local(session.starts_at):%A %d %B %Y at %H:%M}.\n\n"
                "Start it now? It is then recorded as held today, from now, and its booked people as on its "
                "register.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                parent,
            )
            box.button(QMessageBox.StandardButton.Yes).setText("Start it now")
            box.button(QMessageBox.StandardButton.No).setText("Not now")
            box.setDefaultButton(QMessageBox.StandardButton.No)

            def on_finished(_result: int) -> None:
                if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                    self._start_planned(session)

            box.finished.connect(on_finished)  # one answer, one presenter
            box.open()
            self.start_prompt = box
            return
        self._start_planned(session)

    def _start_planned(self, session: Session) -> None:
        """Saved as started (and on a newer version of its plan, where the laptop has only that) before the
        presenter opens: what the presenter shows and makes (its phone-feedback link, a register opened from it)
        is of the session as held from now, never as planned."""
        from trainer_desk.lesson_content import find_plan

        plan = find_plan(self.workspace.paths, session.plan.plan_id, session.plan.version, self.library)
        newer_plan: PlanRef | None = None
        if plan is None:
            newer = self.library.get(session.plan.plan_id)
            # Only a newer version replaces it: an older one here means the newer has not arrived yet.
            if (
                newer is None
                or newer.programme.id != session.plan.programme_id
                or version_order(newer.version) <= version_order(session.plan.version)
            ):
                self.problem.emit(
                    f"The session cannot start: lesson plan {session.plan.plan_id} version {session.plan.version} "
                    "is not on this laptop. Sync with HQ to receive it."
                )
                return
            # Planned on a version HQ has since replaced, which this laptop never had: the newer one it has.
            plan, newer_plan = newer, PlanRef(newer.id, newer.version, newer.programme.id)
        db, now, chosen = self.workspace.writer, self.workspace.clock(), plan

        def start() -> Session:
            with db.atomic():
                stamped = planning.on_newer_plan(db, session, newer_plan, now) if newer_plan else session
                return delivery.set_status(db, stamped, SessionStatus.RUNNING, now)

        self.tasks.run_db(
            start,
            on_success=lambda started: self._on_session_saved(chosen, started),
            on_failure=lambda error: self.problem.emit(f"The session was not started: {error}"),
        )

    def _on_session_saved(self, plan: LessonPlan, session: Session) -> None:
        self.open_presenter(plan, session)
        self.changes.announce(Change.SESSIONS)

    def unfinished(self, session_uuid: str | None = None) -> tuple[LessonPlan, Session, dict[str, object]] | None:
        """The session whose delivery stopped part-way (the last one, or the one named), its plan and where it
        had got to; None if there is none, or its plan's exact version is not on this laptop any more."""
        found = delivery.unfinished_session(self.workspace.db, session_uuid)
        return self._with_plan(*found) if found else None

    def _with_plan(
        self, session: Session, snapshot: dict[str, object]
    ) -> tuple[LessonPlan, Session, dict[str, object]] | None:
        """The exact plan version the session started with, if this laptop still has it."""
        from trainer_desk.lesson_content import find_plan

        plan = find_plan(self.workspace.paths, session.plan.plan_id, session.plan.version, self.library)
        return (plan, session, snapshot) if plan is not None else None

    def resume(self, session: Session) -> PresenterWindow | None:
        """Deliver a session that stopped part-way from where it had got to (its presenter, if open, is raised:
        one session is never on two projectors)."""
        for window in self.presenters:
            if window.session is not None and window.session.uuid == session.uuid:
                window.raise_()
                window.activateWindow()
                return window
        stopped = delivery.unfinished_session(self.workspace.db, session.uuid)
        if stopped is None:
            self.problem.emit("This session's delivery has already ended: open its register to finish it.")
            self.changes.announce(Change.SESSIONS)
            return None
        found = self._with_plan(*stopped)
        if found is None:
            self.problem.emit(
                f"The session cannot be resumed: lesson plan {session.plan.plan_id} version {session.plan.version} "
                "is not on this laptop. Sync with HQ to receive it."
            )
            return None
        window = self.open_presenter(*found)
        self.changes.announce(Change.SESSIONS)
        return window

    def offer_resume(self, parent: QWidget) -> QMessageBox | None:
        """Ask once; Yes opens exactly one presenter (and so one audience screen)."""
        found = self.unfinished()
        if found is None:
            return None
        plan, session, snapshot = found
        current, elapsed = snapshot.get("current"), snapshot.get("elapsed_s")
        index = current if isinstance(current, int) else 0
        spent = sum(float(e) for e in elapsed) if isinstance(elapsed, list) else 0.0
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Resume the session?",
            f"A session of {plan.title} stopped at section {index + 1} "
            f"({plan.sections[index].title}), {format_clock(spent)} in.\n\nResume it where it stopped? "
            "If not now, Resume delivery in Sessions takes you back to it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            parent,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("Resume")
        box.button(QMessageBox.StandardButton.No).setText("Not now")

        def on_finished(_result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self.open_presenter(plan, session, snapshot)

        box.finished.connect(on_finished)  # one answer, one presenter
        box.open()
        self.resume_prompt = box
        return box

    def open_register(self, session: Session) -> RegisterWindow:
        """One register window per session, raised if it is already open."""
        from trainer_desk.ui.register_window import RegisterWindow

        window = self.registers.get(session.uuid)
        if window is None:
            window = RegisterWindow(
                self.workspace, self.tasks, session, self.library.get(session.plan.plan_id), self.changes
            )
            self.registers[session.uuid] = window
            window.destroyed.connect(lambda: self.registers.pop(session.uuid, None))
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def close_all(self) -> None:
        """The app is quitting: each presenter saves where it was, and nothing is left on the projector."""
        for presenter in list(self.presenters):
            presenter.close()
        for register in list(self.registers.values()):
            register.close()

    def lost_on_closing(self) -> list[str]:
        """Who closing the open registers would leave off them, a sentence for each register that would lose
        someone: quitting asks about them as each register's own close button does."""
        losing = [register for register in self.registers.values() if register.waiting.lost_on_closing()]
        return [register.waiting.lost_on_closing(naming_session=len(losing) > 1) for register in losing]

    def _announce_sessions(self) -> None:
        if not self.workspace.closed:  # quitting closes the database once the last write is done
            self.changes.announce(Change.SESSIONS)

    def _on_presenter_ended(self, window: PresenterWindow) -> None:
        if window in self.presenters:
            self.presenters.remove(window)
        window.deleteLater()
        # After the presenter's last writes (ending delivery, or the place to resume from): the Sessions view
        # read before them said "stopped part-way" of a session just ended.
        self.tasks.after_writes(self._announce_sessions)
