"""Sessions as people read them everywhere in the app: plan titles and unit names rather than ids and codes.

Read once per refresh (units, plans, which sessions are mid-delivery), then describe as many sessions as the
list holds without another query each.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.core.session_text import SessionState, describe_session, session_state
from trainer_desk.core.sessions import PlanRef, Session
from trainer_desk.store import units
from trainer_desk.store.connection import Database
from trainer_desk.store.session_progress import sessions_mid_delivery


@dataclass(frozen=True, slots=True)
class SessionDescriber:
    library: PlanLibrary
    unit_names: dict[str, str]
    mid_delivery: frozenset[str]
    presenting: frozenset[str] | None = None  # sessions with a presenter open, where the caller knows

    @classmethod
    def read(cls, db: Database, library: PlanLibrary, presenting: Collection[str] | None = None) -> SessionDescriber:
        return cls(
            library,
            {unit.code: unit.name for unit in units.list_units(db)},
            frozenset(sessions_mid_delivery(db)),
            None if presenting is None else frozenset(presenting),
        )

    def plan_title(self, plan: PlanRef | str) -> str:
        """The title from the plan library; the id when the plan is not on this laptop."""
        plan_id = plan if isinstance(plan, str) else plan.plan_id
        found = self.library.get(plan_id)
        return found.title if found else plan_id

    def unit_name(self, code: str) -> str:
        return self.unit_names.get(code, code)

    def state(self, session: Session) -> SessionState:
        presenting = None if self.presenting is None else session.uuid in self.presenting
        return session_state(session.status, session.uuid in self.mid_delivery, presenting)

    def describe(self, session: Session) -> str:
        return describe_session(
            session, self.plan_title(session.plan), self.unit_name(session.unit_code), self.state(session)
        )
