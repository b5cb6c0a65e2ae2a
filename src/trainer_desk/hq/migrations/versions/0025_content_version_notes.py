"""A short note on each content version: what changed and why, given by whoever published it (in the console or
with `trainer-desk-hq publish --note`), and shown beside the version. Versions published before have none."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_content_version_notes"
down_revision = "0024_starts_of_sessions_only"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("content_versions", sa.Column("note", sa.String(300), nullable=True))


def downgrade() -> None:
    op.drop_column("content_versions", "note")
