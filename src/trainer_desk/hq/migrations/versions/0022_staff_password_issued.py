"""Whether an account's password was issued by an administrator (a new account, a reset) rather than chosen
by its owner: such a password has been seen by someone else, on a screen or in a message, so the console asks
for the owner's own before anything else. Accounts that exist already keep the password they have."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_staff_password_issued"
down_revision = "0021_completion_times_in_utc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("staff", sa.Column("password_issued", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("staff", "password_issued")
