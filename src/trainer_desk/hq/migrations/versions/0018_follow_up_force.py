"""A follow-up answer notes the force of the person who gave it (HQ's own code for it; none where HQ is one
force), so that a console role granted on one force reads that force's answers and no other's. Answers kept
before it have none, and show only to HQ-wide roles."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_follow_up_force"
down_revision = "0017_completions_session_unit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("follow_up_answers", sa.Column("force", sa.String(40), nullable=True))


def downgrade() -> None:
    op.drop_column("follow_up_answers", "force")
