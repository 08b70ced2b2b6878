"""A cohort for trainees (#13): a nullable `users.cohort`, so sessions can be filtered by group.

Why a column and not a table: a trainee belongs to one training group at a time and a group has
nothing to it but its name; a table would add management screens for no information. NULL is
« no cohort » (trainers, and trainees created before).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("cohort", sa.String(80), nullable=True))
        batch.create_index("ix_users_cohort", ["cohort"])


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_cohort")
        batch.drop_column("cohort")
