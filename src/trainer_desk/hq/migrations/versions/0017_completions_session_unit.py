"""A laptop's first pull takes its force's completions from HQ's completions table by the session's unit
(`hq/snapshot.py`): an index, so a force's are read without reading the nation's."""

from __future__ import annotations

from alembic import op

revision = "0017_completions_session_unit"
down_revision = "0016_records_force"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_completions_session_unit", "completions", ["session_unit"])


def downgrade() -> None:
    op.drop_index("ix_completions_session_unit", table_name="completions")
