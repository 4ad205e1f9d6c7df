"""which platform community's connection carries an action (many VK communities in one process);
due rows of one kind found by index (deletes are claimed before the rest)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("via", sa.String(length=64), nullable=True))
    with op.batch_alter_table("communities") as batch_op:
        batch_op.add_column(sa.Column("modchat_via", sa.String(length=64), nullable=True))
    op.create_index("ix_outbox_status_kind_next_attempt_at", "outbox", ["status", "kind", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_status_kind_next_attempt_at", table_name="outbox")
    with op.batch_alter_table("communities") as batch_op:
        batch_op.drop_column("modchat_via")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("via")
