"""Alembic's entry point for HQ's schema: run by `trainer-desk-hq` itself before it serves."""

from __future__ import annotations

from alembic import context

from trainer_desk.hq.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
