"""Set up a session before the room fills: which plan, when, where, which unit, who is training.

Enter in the trainer search adds a trainer; Enter anywhere else starts the session. The unit is the one HQ will
take the session for: on an enrolled laptop, the unit it records for or a unit under it (a BCU's laptop records
for its teams), and no other; on one not enrolled yet, any. Either way the lead trainer's where it is offered,
unless the trainer picks another from the open list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.record_checks import EARLIEST
from trainer_desk.core.sessions import FURTHEST_AHEAD, DeliveryMode, PlanRef, Session
from trainer_desk.core.units import OrgUnit
from trainer_desk.store import enrollment, roster
from trainer_desk.store import units as units_store
from trainer_desk.store.connection import Database
from trainer_desk.sync.clock_check import clock_warning
from trainer_desk.ui.deliberate_combo import DeliberateComboBox
from trainer_desk.ui.force_time_field import force_time_field, limit, moment_in
from trainer_desk.ui.screen_fit import ScrollingBody, fit_to_screen
from trainer_desk.ui.trainer_picker import TrainerPicker
from trainer_desk.ui.unsaved import KeepsTyping
from trainer_desk.workspace import utc_now


class StartSessionDialog(KeepsTyping):
    def __init__(
        self,
        parent: QWidget | None,
        db: Database,
        plans: list[LessonPlan],
        chosen: LessonPlan,
        units: list[OrgUnit],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.clock = clock  # the laptop's, to tell how old the clock warning is
        self.setWindowTitle("Start a session")
        self.setAccessibleName("Start a session")
        self.plans = plans
        self.plan = QComboBox()
        self.plan.setAccessibleName("Lesson plan")
        for plan in plans:
            self.plan.addItem(f"{plan.title} (v{plan.version}, {plan.duration_minutes} min)", plan.id)
        self.plan.setCurrentIndex(plans.index(chosen))
        self.when = force_time_field(clock())
        # Only a start HQ will take: a year typed as 2099 or 1926 made a session no sync could ever send.
        limit(self.when, EARLIEST, clock() + FURTHEST_AHEAD)
        self.when.setAccessibleName("Date and time")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.venue = QLineEdit()
        self.venue.setAccessibleName("Venue")
        self.venue.setMaxLength(200)  # as HQ keeps a venue it plans
        self.venue.setPlaceholderText("e.g. Training room 2, North station")
        self.unit = DeliberateComboBox()  # a stray key or scroll no longer picks another BCU
        self.unit.setAccessibleName("Unit")
        self.unit_note = QLabel(self._offer_units(units, enrollment.enrolled_unit(db)))
        self.unit_note.setAccessibleName("Which unit HQ takes")
        self.unit_note.setWordWrap(True)
        self.unit.setAccessibleDescription(self.unit_note.text())
        self.trainers = TrainerPicker(db)
        self.trainers.trainers_changed.connect(self._follow_lead_trainer)
        self.trainers.trainers_changed.connect(self._recheck)
        self.unit_chosen = False  # once the trainer picks a unit, the lead trainer's no longer decides it
        self.unit.activated.connect(self._unit_picked)
        self.venue.textChanged.connect(self._recheck)
        self.trainers.search.textChanged.connect(self._recheck)  # what it said of the typed text is stale
        self.wellbeing = QLineEdit()
        self.wellbeing.setAccessibleName("Wellbeing contact")
        self.wellbeing.setMaxLength(200)
        self.wellbeing.setPlaceholderText("Who people can talk to afterwards, and how (blank: the force's contact)")
        self.in_person = QRadioButton("In person")
        self.in_person.setChecked(True)
        self.virtual = QRadioButton("Virtual")
        modes = QHBoxLayout()
        modes.addWidget(self.in_person)
        modes.addWidget(self.virtual)
        self.notices = QLabel()
        self.notices.setAccessibleName("Before you start")
        self.notices.setWordWrap(True)
        self.checklist = QWidget()
        self.checklist.setAccessibleName("Preparation checklist")
        self.checklist_layout = QVBoxLayout(self.checklist)
        self.checklist_layout.setContentsMargins(0, 0, 0, 0)
        self.plan.currentIndexChanged.connect(self._show_notices)
        self._show_notices()
        self.error = QLabel()
        self.error.setAccessibleName("Problem with the details")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)

        # The details and the checklist scroll, Start and Cancel stay in view: at 200% text a laptop's screen
        # held neither, and Tab reached them unseen.
        body = QWidget()
        form = QFormLayout(body)
        form.addRow("Plan", self.plan)
        form.addRow("When", self.when)
        form.addRow("Venue", self.venue)
        unit_row = QVBoxLayout()
        unit_row.addWidget(self.unit)
        unit_row.addWidget(self.unit_note)
        form.addRow("Unit", unit_row)
        form.addRow("Trainers", self.trainers)
        form.addRow("Wellbeing contact", self.wellbeing)
        form.addRow("Mode", modes)
        form.addRow(self.notices)
        form.addRow("Preparation", self.checklist)
        outer = QVBoxLayout(self)
        outer.addWidget(ScrollingBody(body, "Session details"), 1)
        outer.addWidget(self.error)
        outer.addWidget(buttons)
        self.session: Session | None = None
        self.chosen_plan = chosen
        fit_to_screen(self)

    def _offer_units(self, units: list[OrgUnit], enrolled: str | None) -> str:
        """Fill the Unit list with the units HQ will take this session for, and say why in a line below it.
        HQ refuses a new session from a laptop enrolled for another unit, and every record in it after: a
        session for another BCU, picked by mistake, was lost at the first sync."""
        if enrolled is None:
            for unit in units:
                self.unit.addItem(f"{unit.name} ({unit.kind.value})", unit.code)
            return (
                "The lead trainer's unit, unless you open the list and choose another. HQ will take the session "
                "only from a laptop enrolled for its unit."
            )
        offered = units_store.tree_under(self.db, enrolled)
        for unit, depth in offered:  # in tree order, each team indented under its BCU
            self.unit.addItem(f"{'    ' * depth}{unit.name} ({unit.kind.value})", unit.code)
        if not offered:  # a unit this laptop has no name for: HQ takes it whatever the laptop knows
            self.unit.addItem(enrolled, enrolled)
        name = offered[0][0].name if offered else enrolled
        if len(offered) <= 1:
            self.unit.setEnabled(False)  # the only unit HQ will take a new session for from this laptop
            return (
                f"This laptop records sessions for {name}; a session elsewhere is planned by that unit's training "
                "lead and given to you."
            )
        return (
            f"This laptop records sessions for {name} and the units under it: the lead trainer's, unless you open "
            "the list and choose another. A session elsewhere is planned by that unit's training lead and given "
            "to you."
        )

    def _show_notices(self) -> None:
        """The chosen plan's notices (sample films, the force's details not filled in), or nothing."""
        plan = self.plans[self.plan.currentIndex()]
        notices = plan.before_you_start()
        # A clock more than a few minutes out (as found at the last sync) dates the session and its register
        # wrongly, at HQ too: said before it starts, as the Sync view says it. The times recorded are the
        # laptop's, unchanged; the trainer sets the clock.
        if (clock := clock_warning(self.db, self.clock())) is not None:
            notices = [*notices, clock]
        self.notices.setText("\n".join(f"⚠ {notice}" for notice in notices))
        self.notices.setVisible(bool(notices))
        layout = self.checklist_layout
        while (item := layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        details = [f"Group size: {plan.preparation.group_size}"] if plan.preparation.group_size else []
        details += [f"Room and resources: {plan.preparation.room}"] if plan.preparation.room else []
        for text in details:
            label = QLabel(text)
            label.setWordWrap(True)
            layout.addWidget(label)
        for step in plan.preparation.checklist:  # ticked as the trainer goes; starting does not wait on them
            box = QCheckBox(step)
            box.setAccessibleName(step)
            layout.addWidget(box)
        self.checklist.setVisible(bool(details or plan.preparation.checklist))

    def _follow_lead_trainer(self) -> None:
        """The session's unit is the lead trainer's, unless the trainer has chosen one: the list's first unit
        would otherwise be taken silently, and the session (and its compliance) recorded under it."""
        numbers = self.trainers.staff_numbers()
        lead = roster.get_person(self.trainers.db, numbers[0]) if numbers and not self.unit_chosen else None
        if lead is not None and (index := self.unit.findData(lead.unit_code)) >= 0:
            self.unit.setCurrentIndex(index)

    def _unit_picked(self) -> None:
        self.unit_chosen = True

    def _recheck(self) -> None:
        """Once something shown is put right, what is still wrong stays said, and nothing else: typing in
        Venue cleared the trainers' problem too, until Start was pressed again."""
        if self.error.text():
            self._say(self._problems())

    def _problems(self) -> list[tuple[str, QWidget]]:
        numbers = self.trainers.staff_numbers()
        typed = self.trainers.typed_text()
        problems: list[tuple[str, QWidget]] = []
        if not self.venue.text().strip():
            problems.append(("Say where the session is held.", self.venue))
        if typed:
            said = f"“{typed}” is typed in Trainers but not added: press Enter there to add, or clear it."
            problems.append((said, self.trainers.search))
        elif not numbers:
            said = "Add the trainers: find yourself by name or staff number, then any co-trainers."
            problems.append((said, self.trainers.search))
        return problems

    def _say(self, problems: list[tuple[str, QWidget]]) -> None:
        """Each problem in the message, and on its field for a screen reader."""
        self.error.setText(" ".join(said for said, _field in problems))
        for field in (self.venue, self.trainers.search):
            field.setAccessibleDescription(" ".join(said for said, where in problems if where is field))

    def _on_buttons_accepted(self) -> None:
        numbers = self.trainers.staff_numbers()
        if problems := self._problems():
            # Said, and the first field to put right is where the keys go: the message alone sat below the
            # checklist, far from the field, and Enter left the focus where it was.
            self._say(problems)
            problems[0][1].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.chosen_plan = self.plans[self.plan.currentIndex()]
        starts = moment_in(self.when)
        self.session = Session(
            uuid=new_uuid(),
            plan=PlanRef(self.chosen_plan.id, self.chosen_plan.version, self.chosen_plan.programme.id),
            unit_code=str(self.unit.currentData()),
            venue=" ".join(self.venue.text().split())[:200],  # a paste's tabs and line breaks, as spaces
            mode=DeliveryMode.IN_PERSON if self.in_person.isChecked() else DeliveryMode.VIRTUAL,
            starts_at=starts.astimezone(UTC),
            trainers=numbers,
            wellbeing_contact=" ".join(self.wellbeing.text().split()),
        )
        self.accept()
