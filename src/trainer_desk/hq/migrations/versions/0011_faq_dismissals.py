"""Questions trainers noted in class that HQ decided not to answer in the FAQ (asked in jest, or answered
elsewhere): kept so they stop showing as unanswered. A question HQ answers needs no row: it is answered once
the plan's FAQ in the published content holds it."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_faq_dismissals"
down_revision = "0010_first_completed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faq_dismissals",
        sa.Column("plan_id", sa.String(80), primary_key=True),
        sa.Column("question_key", sa.String(500), primary_key=True),
        sa.Column("dismissed_by", sa.String(80), nullable=False),
        sa.Column("dismissed_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("faq_dismissals")
