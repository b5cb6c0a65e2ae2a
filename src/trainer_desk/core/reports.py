"""What the BCU training lead reads: the facts behind attendance sheets, sign-in sheets and compliance
reports, as plain values the PDF and CSV writers turn into paper and spreadsheets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from trainer_desk.core.attendance import AttendanceStatus


@dataclass(frozen=True, slots=True)
class Letterhead:
    """What every page says about where it came from and how to handle it."""

    force_name: str
    protective_marking: str


@dataclass(frozen=True, slots=True)
class SheetLine:
    staff_number: str
    name: str
    unit: str
    status: AttendanceStatus | None  # None on a sign-in sheet printed before the session
    marked_at: datetime | None = None
    walk_in: bool = False
    signed_in_themselves: bool = False  # at self sign-in, rather than marked by the trainer
    corrected: bool = False  # changed after the session closed (the reason is kept with the register)
    # A walk-in as HQ has settled it: "counts" (for someone on the roster), "dismissed", or "open" (still to be
    # looked into); "" where that is not known (a laptop prints what it recorded).
    walk_in_outcome: str = ""


@dataclass(frozen=True, slots=True)
class SessionSheet:
    """One session, as printed for the unit's records."""

    letterhead: Letterhead
    programme: str
    plan_title: str
    plan_version: str
    unit: str
    starts_at: datetime
    ends_at: datetime | None
    venue: str
    mode: str
    trainers: tuple[str, ...]
    lines: tuple[SheetLine, ...]
    # The clocks its times are printed by: this computer's (a laptop's, in the force), or, printed at HQ, the
    # force's, whatever the clock of the server HQ runs on.
    zone: tzinfo | None = None
    delivered: bool = True  # False for a session planned or cancelled: its absent lines are people booked

    def totals(self) -> dict[AttendanceStatus, int]:
        return {s: sum(1 for line in self.lines if line.status is s) for s in AttendanceStatus}


@dataclass(frozen=True, slots=True)
class Completion:
    """People on the roster and how many completed, for a unit (or a team within it). A unit's row may count
    the units under it too; `depth` is then how far it sits under the report's top row, and only the top rows
    add up to the report's total."""

    unit: str
    people: int
    completed: int
    team: str = ""
    depth: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.completed / self.people if self.people else 0.0


@dataclass(frozen=True, slots=True)
class Outstanding:
    """Someone on a chase list (or excused from it), with what a lead sorts and filters it by in Excel."""

    staff_number: str
    name: str
    unit: str
    standing: str = ""  # overdue, due soon, due DATE; or why they are not chased (exempt, completed another way)
    team: str = ""
    role: str = ""
    rank: str = ""
    booked_for: date | None = None  # the day of a planned session they are booked on
    due_by: date | None = None  # their own due date (a joiner's may be later than the programme's)
    reason: str = ""  # for someone excused: why, as recorded with the exemption (where it is known)
    unit_code: str = ""
    force: str = ""  # where the report spans several forces: the force of their unit

    @property
    def pressing(self) -> str:
        """ "overdue" or "due soon", for a spreadsheet to filter on; blank when not yet due, or with no due date."""
        return self.standing if self.standing in ("overdue", "due soon") else ""

    @property
    def due_in_words(self) -> str:
        """How pressing it is, and the session they are booked on: "overdue; booked for 09 Dec 2026"."""
        booked = f"booked for {self.booked_for:%d %b %Y}" if self.booked_for else ""
        return "; ".join(part for part in (self.standing, booked) if part)


@dataclass(frozen=True, slots=True)
class TrainerHours:
    trainer: str  # staff number
    sessions: int
    hours: float
    name: str = ""  # from the roster, where the trainer is on it

    @property
    def label(self) -> str:
        """How sheets name a trainer: the name with the number, or the number alone when not on the roster."""
        return f"{self.name} ({self.trainer})" if self.name else self.trainer


@dataclass(frozen=True, slots=True)
class ObjectiveScores:
    """Mean understanding before and after, over the people who answered each (a blank is no answer, not a
    score): a mean is None when nobody answered, and each carries how many answers it is the mean of."""

    objective_id: str  # the objective's text where the plan is known
    before: float | None
    after: float | None
    before_answered: int
    after_answered: int


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    forms: int
    recommend: int  # forms that answered yes
    reasons_not: tuple[str, ...]
    objectives: tuple[ObjectiveScores, ...]
    recommend_answered: int  # forms that answered yes or no; the rest left it blank
    withheld: bool = False  # too few forms to show any figure without telling who wrote what
    # On a laptop enrolled with HQ: only the forms it holds are here (those taken on it, and phones' answers to
    # the sessions it holds); forms taken on other laptops stay at HQ, and the report must not read as "none
    # were given".
    only_this_laptop: bool = False
    recommend_withheld: bool = False  # some answered whether they would recommend it, too few to give a share
    # Where the forms came from, on a laptop: filled in on it, or received from HQ (phones, other laptops).
    taken_here: int = 0
    through_hq: int = 0
    comments: tuple[str, ...] = ()  # written with a Yes or no answer, given by the rule reasons are given by

    @property
    def recommend_percent(self) -> float:
        """Of those who answered: a blank is neither a yes nor a no."""
        return 100.0 * self.recommend / self.recommend_answered if self.recommend_answered else 0.0


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    letterhead: Letterhead
    programme: str
    scope: str  # a unit's name, or 'the whole force'
    date_from: date
    date_to: date
    units: tuple[Completion, ...]
    teams: tuple[Completion, ...]  # empty where the roster records no teams
    outstanding: tuple[Outstanding, ...]
    trainers: tuple[TrainerHours, ...]
    feedback: FeedbackSummary
    sessions_delivered: int = 0
    generated_at: datetime | None = field(default=None)
    basis: str = ""  # where the completions come from: HQ's record as of the last sync, and what is waiting
    excused: tuple[Outstanding, ...] = ()  # exempt, or completed another way: not chased
    audience: str = ""  # who must complete it, as the programme's rules say

    @property
    def people(self) -> int:
        return sum(u.people for u in self.units if u.depth == 0)  # a row under another is counted in it

    @property
    def completed(self) -> int:
        return sum(u.completed for u in self.units if u.depth == 0)

    @property
    def percent(self) -> float:
        return 100.0 * self.completed / self.people if self.people else 0.0
