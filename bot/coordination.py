"""Agreement between Dozor processes that share one PostgreSQL database.

* **Leases**: one process at a time does a thing that must not be done twice, e.g. polls a VK
  community's Bots Long Poll (two pollers would fetch every event twice and race over ``ts``).
  A lease runs out ``ttl`` seconds after its last renewal, so another process takes over when
  its holder dies.
* **Shared budgets**: requests with one platform token are paced across every process using it
  (VK allows a community token about 20 requests a second, a user token about 3), each request
  reserving the next free moment in the database.

On SQLite, which serves one process, both are trivially this process's and cost nothing. A
database that is unreachable never stops the work: a lease is then kept by whoever had it, and
pacing falls back to the process's own limiter.
"""

from __future__ import annotations

import logging
import time
import uuid

from models import coordination
from models.db import Database
from moderation.errors import StorageError

log = logging.getLogger(__name__)


class Coordination:
    """This process's side of the agreement (see the module's docstring).

    Args:
        db: the shared database.
        holder: this process's name in leases (default: a random one per start).
    """

    def __init__(self, db: Database, holder: str | None = None) -> None:
        self.db = db
        self.holder = holder or uuid.uuid4().hex
        self.shared = db.dialect != "sqlite"

    async def hold(self, name: str, ttl: float) -> bool:
        """Take or renew the lease ``name``: True while it is this process's."""
        if not self.shared:
            return True
        async with self.db.transaction() as session:
            return await coordination.take(session, name, self.holder, time.time(), ttl)

    async def let_go(self, name: str) -> None:
        """Give the lease up (a clean stop: another process takes over at once)."""
        if not self.shared:
            return
        try:
            async with self.db.transaction() as session:
                await coordination.release(session, name, self.holder)
        except StorageError as exc:
            log.info("lease %s not released (%s); it runs out by itself", name, exc)

    async def pace(self, name: str, per_second: float) -> float:
        """Reserve the next moment the budget ``name`` has room for one request; returns the
        seconds to wait for it (0 when there is room now, or when the database cannot say)."""
        if not self.shared:
            return 0.0
        now = time.time()
        try:
            async with self.db.transaction() as session:
                at = await coordination.slot(session, name, now, 1.0 / per_second)
        except StorageError as exc:
            log.debug("shared budget %s unavailable (%s); pacing by this process alone", name, exc)
            return 0.0
        return max(0.0, at - now)
