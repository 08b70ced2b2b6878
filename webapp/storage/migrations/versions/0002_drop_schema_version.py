"""Alembic's own `alembic_version` table replaces the hand-made `schema_version` one.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from webapp.storage.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("schema_version")


def downgrade() -> None:
    op.create_table(
        "schema_version",
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("applied_at", UTCDateTime(), nullable=False),
    )
    op.execute(sa.text("INSERT INTO schema_version (version, applied_at) VALUES (1, CURRENT_TIMESTAMP)"))
