"""The plan library: every plan on this laptop, broken ones with their problems, a preview of the whole
plan, and the ways in: rehearse it, start a session, or print its facilitator script."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
)

from trainer_desk.core.counted import counted
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.plan_library import BrokenPlan, PlanLibrary
from trainer_desk.ui.area_panel import AreaPanel
from trainer_desk.ui.markdown_text import show_markdown
from trainer_desk.ui.tasks import TaskRunner


def plan_preview_markdown(plan: LessonPlan) -> str:
    lines = [
        f"# {plan.title}",
        f"**{plan.programme.name}**{' (mandatory)' if plan.programme.mandatory else ''} · version {plan.version} · "
        f"{plan.duration_minutes} minutes · {plan.audience} · {', '.join(plan.delivery)}",
        "",
        *[f"**Before you start:** {notice}\n" for notice in plan.before_you_start()],
        *(
            [
                "**Can be delivered, but something is missing or unreadable on this laptop** (the sections go on "
                "without it; HQ or the plan's author can send it):",
                "",
                *[f"- `{w}`" for w in plan.warnings],
                "",
            ]
            if plan.warnings
            else []
        ),
        plan.summary,
        "",
        "## Objectives",
        *[f"- {o.text}" for o in plan.objectives],
        "",
        "## Sections",
    ]
    for number, section in enumerate(plan.sections, start=1):
        video = " · video with captions" if section.video else ""
        warning = " · content warning" if section.content_warning else ""
        lines.append(f"{number}. **{section.title}** ({section.kind.value}, {section.minutes} min{video}{warning})")
    lines += ["", f"{len(plan.faq)} questions in this plan's FAQ."]
    prep = plan.preparation
    facts = [
        f"- **{label}:** {value}"
        for label, value in (
            ("Who may deliver it", prep.trainers),
            ("Group size", prep.group_size),
            ("Room and resources", prep.room),
            ("Kept up to date by", prep.owner),
            ("Review by", f"{prep.review_by:%d %b %Y}" if prep.review_by else ""),
        )
        if value
    ]
    if facts or prep.checklist:
        lines += ["", "## Preparation", *facts, *[f"- [ ] {step}" for step in prep.checklist]]
    return "\n".join(lines)


Deliver = Callable[[LessonPlan], object]
WAITING_FOR_DATABASE = "Opening this laptop's database: you can start or rehearse a plan once it is open."


class PlansPanel(AreaPanel):
    """The window shows this panel before its database is open (the plans are files), so Rehearse and Start,
    which need the database, stay greyed out until `deliver_with` says who delivers: a click before then would
    otherwise go nowhere."""

    def __init__(self, library: PlanLibrary, tasks: TaskRunner) -> None:
        super().__init__("Lesson plans", "")
        self.library = library
        self.tasks = tasks
        self.rehearse_with: Deliver | None = None  # both set once the database is open (`deliver_with`)
        self.start_with: Deliver | None = None
        self.list = QListWidget()
        self.list.setAccessibleName("Lesson plans on this laptop")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setStyleSheet(
            "QListWidget::item { padding: 6px; border-bottom: 1px solid #d0d7e2; }"
            "QListWidget::item:selected { background: #2f6db5; color: #ffffff; }"
        )
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Plan preview")
        self.rehearse = QPushButton("Rehearse")
        self.rehearse.setAccessibleName("Rehearse this plan without recording a session")
        self.start = QPushButton("Start a session…")
        self.start.setAccessibleName("Start a session with this plan")
        self.script_pdf = QPushButton("Save facilitator script (PDF)…")
        self.script_pdf.setAccessibleName("Save the facilitator script as a PDF")
        buttons = QHBoxLayout()
        for button in (self.start, self.rehearse, self.script_pdf):
            buttons.addWidget(button)
        buttons.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setSizes([360, 560])
        self.layout_.addWidget(splitter, 1)
        self.layout_.addLayout(buttons)

        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.list.itemActivated.connect(lambda _item: self._deliver_selected(self.start_with))
        self.rehearse.clicked.connect(lambda: self._deliver_selected(self.rehearse_with))
        self.start.clicked.connect(lambda: self._deliver_selected(self.start_with))
        self.script_pdf.clicked.connect(self._on_script_pdf_clicked)
        self.set_library(library)

    def deliver_with(self, rehearse: Deliver, start: Deliver) -> None:
        """The database is open: Rehearse and Start now reach `rehearse` and `start`."""
        self.rehearse_with, self.start_with = rehearse, start
        self._on_list_current_changed(self.list.currentItem())

    def set_library(self, library: PlanLibrary) -> None:
        """Show `library` (new content from HQ replaces the old), keeping the plan that was selected."""
        chosen = self.selected_plan()
        self.library = library
        self.list.clear()
        for plan in library.plans:
            missing = (
                f"\n⚠ {counted(len(plan.warnings), 'file')} missing or unreadable: see the preview"
                if plan.warnings
                else ""
            )
            if plan.before_you_start():
                missing += "\n⚠ Before you start: see the preview"
            # The programme's name only where it is not the plan's own title: "Managing an Inclusive Workplace"
            # twice in a row, read out twice by a screen reader, pushed the line's end out of sight.
            programme = [plan.programme.name] if plan.programme.name != plan.title else []
            details = " · ".join([*programme, f"v{plan.version}", f"{plan.duration_minutes} min", plan.audience])
            item = QListWidgetItem(f"{plan.title}\n{details}{missing}")
            item.setData(Qt.ItemDataRole.UserRole, plan)
            self.list.addItem(item)
        for broken in library.broken:
            item = QListWidgetItem(f"{broken.name()} (cannot be used: {counted(len(broken.problems), 'problem')})")
            item.setData(Qt.ItemDataRole.UserRole, broken)
            item.setForeground(QBrush(QColor("#b00020")))
            self.list.addItem(item)
        self.explanation.setText(
            f"{counted(len(library.plans), 'lesson plan')} ready to deliver"
            + (f"; {len(library.broken)} cannot be used until fixed." if library.broken else ".")
        )
        if self.list.count():
            self.list.setCurrentRow(0)
        if chosen is not None:
            self.select_plan(chosen.id)

    def selected_plan(self) -> LessonPlan | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item else None
        return value if isinstance(value, LessonPlan) else None

    def select_plan(self, plan_id: str) -> None:
        for row in range(self.list.count()):
            value = self.list.item(row).data(Qt.ItemDataRole.UserRole)
            if isinstance(value, LessonPlan) and value.id == plan_id:
                self.list.setCurrentRow(row)

    def _on_list_current_changed(self, item: QListWidgetItem | None) -> None:
        value = item.data(Qt.ItemDataRole.UserRole) if item else None
        usable = isinstance(value, LessonPlan)
        self.script_pdf.setEnabled(usable)
        for button, deliver in ((self.rehearse, self.rehearse_with), (self.start, self.start_with)):
            button.setEnabled(usable and deliver is not None)
            button.setToolTip("" if deliver is not None else WAITING_FOR_DATABASE)
        if isinstance(value, LessonPlan):
            show_markdown(self.preview, plan_preview_markdown(value))
        elif isinstance(value, BrokenPlan):
            problems = "\n".join(f"- `{p.file.name}:{p.line}`: {p.message}" for p in value.problems)
            show_markdown(
                self.preview,
                f"# {value.name()} cannot be used\n\nHQ or the plan's author needs to fix:\n\n{problems}",
            )

    def _deliver_selected(self, deliver: Deliver | None) -> None:
        plan = self.selected_plan()
        if plan is not None and deliver is not None:
            deliver(plan)

    def _on_script_pdf_clicked(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Save facilitator script",
            str(Path.home() / f"{plan.id}-v{plan.version}-script.pdf"),
            "PDF (*.pdf)",
        )
        if chosen:
            self.export_script(plan, Path(chosen))

    def export_script(self, plan: LessonPlan, target: Path) -> None:
        from trainer_desk.export.facilitator_script import write_facilitator_script  # reportlab: only when asked

        shared = self.library.shared_faq
        self.explanation.setText(f"Saving the facilitator script for {plan.title}…")
        self.tasks.run_io(
            lambda: write_facilitator_script(plan, shared, target),
            on_success=lambda path: self.explanation.setText(f"Facilitator script saved to {path}."),
            on_failure=lambda error: self.explanation.setText(f"The script was not saved: {error}"),
        )
