"""The Reports view: choose a report and its filters, preview the figures, export PDF or CSV in the
background. The same exports as `trainer-desk export`, through the same code."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QTextBrowser,
)

from trainer_desk.core import force_clock
from trainer_desk.core.force_clock import local
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.core.register_rows import totals_text
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.lesson_content import load_programme_rules
from trainer_desk.report_jobs import ExportRequest, find_session, make_letterhead, session_sheet
from trainer_desk.store import enrollment, reports, sessions, units
from trainer_desk.ui.area_panel import AreaPanel
from trainer_desk.ui.combo_fit import fit_to_column
from trainer_desk.ui.compliance_preview import compliance_markdown
from trainer_desk.ui.file_export import FileExport
from trainer_desk.ui.markdown_text import show_markdown
from trainer_desk.ui.session_text import SessionDescriber
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

KINDS = (
    ("attendance", "Attendance sheet"),
    ("sign-in", "Sign-in sheet"),
    ("feedback-form", "Paper feedback forms"),
    ("compliance", "Compliance report"),
)
EXPLANATION = "Attendance sheets, sign-in sheets and compliance, as PDF or CSV."


class ReportsPanel(AreaPanel):
    exported = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        tasks: TaskRunner,
        library: PlanLibrary,
        presenting: Callable[[], Collection[str]] | None = None,
    ) -> None:
        """`presenting` gives the sessions with a presenter open, so a session is described as Sessions
        describes it ("running", or "delivery stopped part-way" once its presenter has gone)."""
        super().__init__("Reports", EXPLANATION)
        self.presenting = presenting
        self.workspace = workspace
        self.tasks = tasks
        self.library = library
        self.kind = QComboBox()
        self.kind.setAccessibleName("Report")
        for value, label in KINDS:
            self.kind.addItem(label, value)
        self.session = QComboBox()
        self.session.setAccessibleName("Session")
        self.unit = QComboBox()
        self.unit.setAccessibleName("Unit")
        self.programme = QComboBox()
        self.programme.setAccessibleName("Programme")
        for programme in {p.programme.id: p.programme for p in library.plans}.values():
            self.programme.addItem(programme.name, programme.id)
        today = force_clock.today()  # the force's day, as the report counts to it, not this computer's
        self.date_from = QDateEdit(QDate(today.year, 1, 1))
        self.date_from.setAccessibleName("From")
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_to.setAccessibleName("To")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.format = QComboBox()
        self.format.setAccessibleName("Format")
        self.format.addItem("PDF", "pdf")
        self.format.addItem("CSV (opens in Excel)", "csv")
        for box in (self.kind, self.session, self.unit, self.programme):
            fit_to_column(box, letters=24)
        self.preview_button = QPushButton("Preview")
        self.preview_button.setAccessibleName("Preview the report")
        self.export_button = QPushButton("Export…")
        self.export_button.setAccessibleName("Export the report to a file")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Report preview")

        form = QFormLayout()
        form.addRow("Report", self.kind)
        form.addRow("Session", self.session)
        form.addRow("Unit", self.unit)
        form.addRow("Programme", self.programme)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(self.date_to)
        form.addRow("From, to", dates)
        form.addRow("Format", self.format)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.progress, 1)
        self.layout_.addLayout(form)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.preview, 1)

        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.kind.currentIndexChanged.connect(self._forget_last_export)
        self.session.activated.connect(self._forget_last_export)  # the person's choice, not a list refilled
        self.preview_button.clicked.connect(self.show_preview)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.exporter = FileExport(self, workspace, tasks, library, "reports view")
        self.exporter.started.connect(self._on_export_started)
        self.exporter.finished.connect(self._on_export_finished)
        self.exporter.saved.connect(self.exported)
        self.refresh()

    def refresh(self) -> None:
        chosen_session, chosen_unit = self.session.currentData(), self.unit.currentData()
        self.session.clear()
        describer = SessionDescriber.read(
            self.workspace.db, self.library, self.presenting() if self.presenting else None
        )
        for s in sessions.list_sessions(self.workspace.db):
            if s.status is SessionStatus.CANCELLED:  # it never ran: it has no sheets or forms to print
                continue
            self.session.addItem(describer.describe(s), s.uuid)
        self.unit.clear()
        for code, label in units.report_choices(self.workspace.db, enrollment.enrolled_unit(self.workspace.db)):
            self.unit.addItem(label, code)
        for combo, value in ((self.session, chosen_session), (self.unit, chosen_unit)):
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)
        self._on_kind_changed()

    def _forget_last_export(self, *_: object) -> None:
        """Another report chosen: what was said of the last export ("Saved to …") goes. Left up, it read as if
        the report now chosen had been saved."""
        self.explanation.setText(EXPLANATION)

    def _on_kind_changed(self, *_: object) -> None:
        compliance = self.kind.currentData() == "compliance"
        forms = self.kind.currentData() == "feedback-form"
        if forms:
            self.format.setCurrentIndex(self.format.findData("pdf"))  # forms are for printing
        self.format.setEnabled(not forms)
        self.session.setEnabled(not compliance)
        for widget in (self.unit, self.programme, self.date_from, self.date_to):
            widget.setEnabled(compliance)
        self.export_button.setEnabled(compliance or self.session.count() > 0)

    def request(self, output: Path | None = None) -> ExportRequest:
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return ExportRequest(
            kind=str(self.kind.currentData()),
            format=str(self.format.currentData()),
            output=output,
            session=self.session.currentData(),
            unit=self.unit.currentData(),
            programme=self.programme.currentData(),
            date_from=start,
            date_to=end,
        )

    def show_preview(self) -> None:
        """The figures as they would be exported (read on the UI's connection: these are indexed queries)."""
        request = self.request()
        db = self.workspace.db
        letterhead = make_letterhead(db, self.workspace.settings)
        if request.kind == "compliance":
            assert request.programme and request.date_from and request.date_to
            plans = [p for p in self.library.plans if p.programme.id == request.programme]
            report = reports.compliance(
                db,
                letterhead,
                request.programme,
                self.programme.currentText(),
                request.unit,
                request.date_from,
                request.date_to,
                {o.id: o.text for p in plans for o in p.objectives},
                load_programme_rules(self.workspace.paths).get(request.programme),
            )
            show_markdown(self.preview, compliance_markdown(report))
            return
        if not request.session:
            show_markdown(self.preview, "*No sessions on this laptop yet.*")
            return
        session = find_session(db, request.session)
        sheet = session_sheet(db, letterhead, self.library, session, sign_in=request.kind == "sign-in")
        if request.kind == "feedback-form":
            plan = self.library.get(session.plan.plan_id)
            objectives = "\n".join(f"- {o.text}" for o in plan.objectives) if plan else "*Plan not on this laptop.*"
            show_markdown(
                self.preview,
                f"## Paper feedback forms: {sheet.plan_title}, {local(sheet.starts_at):%d %b %Y}\n\n"
                f"One page per person ({len(sheet.lines) or 20} pages), no names: would you recommend it, "
                f"why not, and understanding before and after of:\n\n{objectives}\n\n"
                "Key each one in afterwards with the register's feedback form.",
            )
            return
        # Counted in the register's words, by its one rule: a planned session's bookings are "booked", as the
        # sheet says, never "absent" from a session that has not happened.
        on_register = (
            f"{len(sheet.lines)} on the register"
            if request.kind == "sign-in"
            else f"{totals_text((line.status for line in sheet.lines if line.status), session.status)}."
        )
        show_markdown(self.preview, f"## {sheet.plan_title}, {local(sheet.starts_at):%d %b %Y}\n\n{on_register}")

    def _on_export_clicked(self) -> None:
        self.exporter.ask_where(self.request())

    def export(self, request: ExportRequest) -> None:
        """Build and write the file in the background (see `FileExport`)."""
        self.exporter.export(request)

    def _on_export_started(self) -> None:
        self.progress.show()
        self.export_button.setEnabled(False)
        self.explanation.setText("Exporting…")

    def _on_export_finished(self, text: str) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.explanation.setText(text)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
