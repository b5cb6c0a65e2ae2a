"""When each console account last signed out: a console session is a signed cookie, so signing out must be
recorded at HQ, or a copy of the cookie taken before it would go on working for hours. Every session of the
account signed in before then is ended."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_staff_signed_out"
down_revision = "0018_follow_up_force"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("staff", sa.Column("signed_out_at", sa.String(40), nullable=True))


def downgrade() -> None:
    op.drop_column("staff", "signed_out_at")
