"""indexes for every lookup on the hot path; inbox leases; outbox in-flight marker; a moderators'
chat on another platform

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = [
    ("ix_communities_modchat_id", "communities", ["modchat_id"]),
    ("ix_inbox_status_id", "inbox", ["status", "id"]),
    ("ix_cases_community_id_event_key", "cases", ["community_id", "event_key"]),
    ("ix_cases_community_id_chat_id_message_id", "cases", ["community_id", "chat_id", "message_id"]),
    ("ix_outbox_case_id", "outbox", ["case_id"]),
    ("ix_escalations_case_id", "escalations", ["case_id"]),
]


def upgrade() -> None:
    with op.batch_alter_table("communities") as batch_op:
        batch_op.add_column(sa.Column("modchat_platform", sa.String(length=16), nullable=True))
    with op.batch_alter_table("inbox") as batch_op:
        batch_op.add_column(sa.Column("claimed_until", models.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("started_at", models.base.UTCDateTime(timezone=True), nullable=True))
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("started_at")
    with op.batch_alter_table("inbox") as batch_op:
        batch_op.drop_column("claimed_until")
    with op.batch_alter_table("communities") as batch_op:
        batch_op.drop_column("modchat_platform")
