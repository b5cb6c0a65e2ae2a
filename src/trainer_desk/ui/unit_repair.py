"""The Sessions view's "Put the unit right…": a session HQ refused for its unit, moved to the unit this laptop
records for once the trainer says so, on the database worker; then it and its records go to HQ again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from trainer_desk.core.counted import counted
from trainer_desk.core.sessions import Session
from trainer_desk.store import unit_correction
from trainer_desk.store.enrollment import enrolled_unit
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

ACTOR = "sessions view"


def refusal_note(
    takes: unit_correction.UnitsHqTakes, session: Session, refused: str | None, unit_name: Callable[[str], str]
) -> str:
    """What a session's line adds when HQ did not take it (`refused`: its answer), or will not: that, and why,
    in the trainer's words; '' for any other session."""
    if takes.needs_put_right(session):
        home = takes.home
        assert home is not None
        said = "did not take it" if refused is not None else "will not take it"
        under = " and the units under it" if takes.under - {home} else ""  # a BCU's laptop records for its teams
        return (
            f" · HQ {said}: it is for {unit_name(session.unit_code)}, and this laptop records for "
            f"{unit_name(home)}{under} (Put the unit right… sends it)"
        )
    return "" if refused is None else f" · HQ did not take it: {refused}"


def ask_to_put_right(
    parent: QWidget,
    workspace: Workspace,
    tasks: TaskRunner,
    session: Session,
    unit_name: Callable[[str], str],
    done: Callable[[str], None],
) -> QMessageBox | None:
    """Ask, then save on the database worker; `done` is told what happened, in a sentence."""
    home = enrolled_unit(workspace.db)
    if home is None:
        return None
    waiting = unit_correction.records_in(workspace.db, session.uuid)
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Put the unit right",
        f"Record this session for {unit_name(home)}?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setAccessibleName("Put the unit right")
    box.setInformativeText(
        f"HQ does not take it: it is for {unit_name(session.unit_code)}, and this laptop is enrolled to record for "
        f"{unit_name(home)}, the only unit HQ takes sessions for from it. Once put right, the session and its "
        f"{counted(waiting, 'record')} (registrations, feedback, timings) go to HQ again at the next sync."
    )
    box.button(QMessageBox.StandardButton.Yes).setText(f"Record it for {unit_name(home)}")
    box.button(QMessageBox.StandardButton.No).setText("Not now")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 28em; }")  # not a column of a few words

    def on_finished(_result: int) -> None:
        if box.clickedButton() is not box.button(QMessageBox.StandardButton.Yes):
            return
        db, now = workspace.writer, workspace.clock()
        tasks.run_db(
            lambda: unit_correction.put_unit_right(db, session.uuid, ACTOR, now),
            on_success=lambda _changed: done(
                f"Put right: the session is recorded for {unit_name(home)}, and goes to HQ again at the next sync."
            ),
            on_failure=lambda error: done(f"Not put right: {error}"),
        )

    box.finished.connect(on_finished)
    box.open()
    return box
