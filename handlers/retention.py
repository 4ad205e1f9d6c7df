"""Retention: message text is kept only ``retention_days``; decisions and counts stay forever."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from models import cases
from models.db import Database

log = logging.getLogger(__name__)


async def purge(db: Database, retention_days: int, now: datetime) -> int:
    """Forget the text of cases older than ``retention_days`` (0 keeps everything).

    Returns:
        How many cases lost their text.
    """
    if retention_days <= 0:
        return 0
    async with db.transaction() as session:
        purged = await cases.purge_text(session, now - timedelta(days=retention_days))
    if purged:
        log.info("retention: forgot the text of %d case(s) older than %d days", purged, retention_days)
    return purged
