"""People's names for VK events, which carry only numeric ids.

Events are stored as VK sent them; before a batch of stored events is translated,
``Names.annotate`` asks ``users.get`` once for the user ids it has not seen lately (up to 1,000 a
call) and writes ``{"<id>": "First Last"}`` into each event in memory under ``NAMES_KEY``;
``bot.vk.translate`` reads it back into ``Author.name``, and the member keeps the name.

Nothing waits long on it: the lookup has a short deadline, and any failure (VK down, a refusal,
the deadline) lets the batch go on without names — people then appear as ``id<number>`` until
a later batch learns the name. Communities (negative ids) keep ``club<number>``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from bot.vk.client import VkClient
from moderation.errors import ActionFailed

log = logging.getLogger(__name__)

NAMES_KEY = "dozor_names"
PER_CALL = 1000  # users.get takes up to 1000 ids a call


class Names:
    """A cache of VK users' names in front of ``users.get``.

    Args:
        client: the VK client (community token; ``users.get`` works with it).
        timeout: seconds one ``annotate`` may spend asking VK.
        ttl: seconds a name (or VK's silence about an id) is kept.
        max_size: names kept at most; the least recently used go first.
        pause: seconds VK is not asked after a failed lookup.
    """

    def __init__(
        self,
        client: VkClient,
        *,
        timeout: float = 2.0,
        ttl: float = 86400.0,
        max_size: int = 50_000,
        pause: float = 60.0,
    ) -> None:
        self.client = client
        self.timeout = timeout
        self.ttl = ttl
        self.max_size = max_size
        self.pause = pause
        self._quiet_until = 0.0
        # id → (name or None when VK gave none, monotonic time it was learnt)
        self._cache: OrderedDict[int, tuple[str | None, float]] = OrderedDict()

    async def annotate(self, events: Sequence[Mapping[str, Any] | tuple[str, dict[str, Any]]]) -> None:
        """Write the names of the people in ``events`` into each event (in place, best effort).

        Args:
            events: event objects, or the ``(key, event)`` pairs a batch is stored as.
        """
        payloads = [e[1] if isinstance(e, tuple) else e for e in events]
        wanted = {uid for p in payloads for uid in people(p)}
        if not wanted:
            return
        missing = [uid for uid in wanted if self._get(uid) is _UNKNOWN]
        if missing and time.monotonic() >= self._quiet_until:
            try:
                await asyncio.wait_for(self._fetch(missing), timeout=self.timeout)
            except (ActionFailed, TimeoutError, OSError) as exc:
                # a VK in trouble is not asked again for a while: batches meanwhile go unnamed
                self._quiet_until = time.monotonic() + self.pause
                log.debug("vk: names of %d people not fetched, stored without them: %s", len(missing), exc)
        for payload in payloads:
            known = {str(uid): name for uid in people(payload) if isinstance(name := self._get(uid), str)}
            if known and isinstance(payload, dict):
                payload[NAMES_KEY] = known

    async def _fetch(self, ids: list[int]) -> None:
        now = time.monotonic()
        for start in range(0, len(ids), PER_CALL):
            chunk = ids[start : start + PER_CALL]
            answer = await self.client.call("users.get", {"user_ids": chunk}, what="get people's names")
            named: dict[int, str | None] = dict.fromkeys(chunk)  # VK may leave out ids it does not know
            for user in answer if isinstance(answer, list) else ():
                if isinstance(user, Mapping) and user.get("id"):
                    name = " ".join(str(user.get(k) or "") for k in ("first_name", "last_name")).strip()
                    named[int(user["id"])] = name or None
            for uid, name in named.items():  # an id without a name is not asked again each batch
                self._put(uid, name, now)

    def _get(self, uid: int) -> object:
        """The cached name (None: VK gave none), or ``_UNKNOWN`` when not cached or stale."""
        found = self._cache.get(uid)
        if found is None or time.monotonic() - found[1] > self.ttl:
            return _UNKNOWN
        self._cache.move_to_end(uid)
        return found[0]

    def _put(self, uid: int, name: str | None, at: float) -> None:
        self._cache[uid] = (name, at)
        self._cache.move_to_end(uid)
        while len(self._cache) > self.max_size:
            self._cache.popitem(last=False)


_UNKNOWN = object()


def people(event: Mapping[str, Any]) -> Iterator[int]:
    """The user ids (positive) an event names: authors, the replied-to, button pressers, members."""
    obj = event.get("object")
    if not isinstance(obj, Mapping):
        return
    message = obj.get("message")
    items: Iterable[Any] = [obj, message] if isinstance(message, Mapping) else [obj]
    for item in items:
        replied = item.get("reply_message")
        values = [item.get("from_id"), item.get("reply_to_user"), item.get("user_id")]
        if isinstance(replied, Mapping):
            values.append(replied.get("from_id"))
        for value in values:
            try:
                uid = int(value or 0)
            except (TypeError, ValueError):
                continue
            if uid > 0:
                yield uid


def names_of(event: Mapping[str, Any]) -> dict[str, str]:
    """The names ``Names.annotate`` stored with an event (user id as text → name)."""
    found = event.get(NAMES_KEY)
    if not isinstance(found, Mapping):
        return {}
    return {str(k): v for k, v in found.items() if isinstance(v, str) and v}
