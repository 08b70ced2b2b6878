"""Alembic environment: migrations run on the connection the app hands over (never a URL of its own)."""

from __future__ import annotations

from alembic import context

from webapp.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through webapp.storage.schema (it passes the connection).")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
