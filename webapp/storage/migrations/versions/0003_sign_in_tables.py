"""Sign-in tables of #16: tokens with expiry, the sign-in journal, disabled accounts.

`sign_in_tokens` replaces `auth_tokens` (no expiry columns): tokens issued before are no longer
valid, so the old table is dropped; trainees sign in once more after the upgrade.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from webapp.storage.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime(), nullable=False),
    )
    for column in ("user_id", "created_at", "last_used_at"):
        op.create_index(f"ix_sign_in_tokens_{column}", "sign_in_tokens", [column])
    op.create_table(
        "sign_in_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
    )
    for column in ("at", "kind", "username", "address"):
        op.create_index(f"ix_sign_in_events_{column}", "sign_in_events", [column])
    op.create_table(
        "disabled_accounts",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("disabled_at", UTCDateTime(), nullable=False),
    )
    op.drop_index("ix_auth_tokens_user_id", table_name="auth_tokens")
    op.drop_table("auth_tokens")


def downgrade() -> None:
    op.create_table(
        "auth_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_auth_tokens_user_id", "auth_tokens", ["user_id"])
    for table in ("disabled_accounts", "sign_in_events", "sign_in_tokens"):
        op.drop_table(table)
