"""outbox rows that are worth sending only until a time (notices about removals)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("expires_at", models.base.UTCDateTime(timezone=True), nullable=True))
    op.create_index("ix_outbox_status_expires_at", "outbox", ["status", "expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_status_expires_at", table_name="outbox")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("expires_at")
