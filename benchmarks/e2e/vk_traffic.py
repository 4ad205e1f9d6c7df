"""VK traffic for the benchmarks: wall comments in a community, delivered as VK delivers them.

``make_comments`` builds ``wall_reply_new`` events (API 5.199, as in ``tests/e2e/vk_samples.py``)
under the community's posts from 5,000 people; a quarter are spam that the benchmark community's
``casino`` rule removes. Half of the spam comes from a few repeat offenders, so the warn ladder
mutes and bans them; the other half from people posting spam once.

Two ways in, as on VK:

* ``CallbackLoader`` POSTs each event (with the community's ``secret``) to Dozor's Callback URL
  from concurrent connections and counts it delivered when Dozor answered ``ok``; 429 and 503
  are sent again after their ``Retry-After``, a refused connection or a timeout after a second
  (VK sends an event again, with ``X-Retry-Counter``, when it is not answered ``ok``);
* ``feed_long_poll`` queues the events at the fake VK for Bots Long Poll, where Dozor fetches
  them; the fake records when an ``a_check`` returned each one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from benchmarks.e2e.vk_procs import SECRET, FakeVkApi
from tests.e2e import vk_samples as samples
from tests.e2e.fake_vk_methods import GROUP_ID

USERS = 5000
POSTS = 20  # wall posts the comments are spread over
DATE = 1_764_000_000
FIRST_COMMENT = 50_000

_ORDINARY = (
    "Спасибо за пост про {w}, очень полезно. А про {v} будет продолжение?",
    "Кто-нибудь знает, где найти хороший {w} рядом с {v}? Спрашиваю уже {n}-й раз",
    "Когда следующая встреча по теме {w}? Могу прийти в день {n} после {v}",
    "Пробовал кто-нибудь новый {w}? У меня {v} сломался через {n} дней, нужен совет",
    "Отличная новость про {w}! Ждём фото с {v}, в прошлый раз было {n} человек",
)
_WORDS = (
    "велосипед магазин выходные концерт роутер ноутбук релиз поезд кофе сад дождь фото рецепт "
    "футбол урок офис праздник рынок мост река музей"
).split()
_SPAM = (
    "CASINO Вулкан: бонус {n}% на первый депозит, заходи t.me/win{n}",
    "Лучшее casino онлайн, {n} фриспинов сегодня, пиши @lucky{n}",
    "Играй в casino и зарабатывай {n}$ в день не выходя из дома, ссылка в профиле",
)


@dataclass(frozen=True, slots=True)
class Comment:
    """One wall comment and the event that brings it."""

    event_id: str
    owner_id: int
    comment_id: int
    author: int
    spam: bool
    event: dict[str, Any]


def make_comments(count: int, *, seed: int = 1, users: int = USERS) -> list[Comment]:
    """``count`` new wall comments; about a quarter spam, half of that from repeat offenders."""
    rng = random.Random(seed)
    offenders = range(1, max(2, count // 40) + 1)  # ~5 spam comments each: warned, muted, banned
    comments = []
    for i in range(count):
        spam = rng.random() < 0.25
        author = 100_000 + (rng.choice(offenders) if spam and rng.random() < 0.5 else rng.randrange(users))
        words = rng.sample(_WORDS, 2)
        text = rng.choice(_SPAM if spam else _ORDINARY).format(
            w=words[0], v=words[1], n=rng.randrange(2, 9999)
        )
        comment_id = FIRST_COMMENT + i
        event_id = f"{0xB0000000 + i:040x}"
        post = 10 + rng.randrange(POSTS)
        obj = samples.wall_comment(text, from_id=author, post_id=post, comment_id=comment_id, date=DATE + i)
        event = samples.event("wall_reply_new", obj, event_id=event_id)
        comments.append(Comment(event_id, -GROUP_ID, comment_id, author, spam, event))
    return comments


@dataclass
class Delivery:
    """When each event was delivered (monotonic), and what else the sender saw."""

    delivered_at: dict[str, float] = field(default_factory=dict)  # event_id → delivered
    statuses: Counter[str] = field(default_factory=Counter)  # answers other than ``ok``, and errors
    started: float = 0.0
    finished: float = 0.0

    @property
    def delivered(self) -> int:
        return len(self.delivered_at)

    def rate(self) -> float:
        """Events delivered per second of sending."""
        return self.delivered / max(1e-9, self.finished - self.started)


class CallbackLoader:
    """POSTs events to Dozor's Callback URL as VK's Callback API does.

    Args:
        url: the Callback URL.
        concurrency: requests in flight at most.
        rate: events per second to offer; None offers them as fast as they are answered.
        timeout: seconds VK waits for an answer before it sends the event again.
    """

    def __init__(
        self, url: str, *, concurrency: int = 32, rate: float | None = None, timeout: float = 10.0
    ) -> None:
        self.url = url
        self.concurrency = concurrency
        self.rate = rate
        self.timeout = timeout
        self.delivery = Delivery()

    async def run(self, comments: list[Comment], *, deadline: float) -> Delivery:
        """Deliver every comment's event until all are answered ``ok`` or ``deadline`` passes."""
        d = self.delivery
        d.started = time.monotonic()
        queue: asyncio.Queue[tuple[int, Comment]] = asyncio.Queue()
        for n, comment in enumerate(comments):
            queue.put_nowait((n, comment))
        client_timeout = aiohttp.ClientTimeout(total=self.timeout)
        connector = aiohttp.TCPConnector(limit=self.concurrency * 2)
        async with aiohttp.ClientSession(timeout=client_timeout, connector=connector) as http:

            async def worker() -> None:
                while not queue.empty() and time.monotonic() < deadline:
                    n, comment = queue.get_nowait()
                    if self.rate:
                        await asyncio.sleep(max(0.0, d.started + n / self.rate - time.monotonic()))
                    await self._deliver(http, comment, deadline)

            await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        d.finished = time.monotonic()
        return d

    async def _deliver(self, http: aiohttp.ClientSession, comment: Comment, deadline: float) -> None:
        d = self.delivery
        body = json.dumps({**comment.event, "secret": SECRET}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        retries = 0
        while time.monotonic() < deadline:
            pause = 1.0
            try:
                async with http.post(self.url, data=body, headers=headers) as resp:
                    answer = await resp.text()
                    if resp.status == 200 and answer == "ok":
                        d.delivered_at[comment.event_id] = time.monotonic()
                        return
                    d.statuses[
                        f"{resp.status} {answer[:40]}" if resp.status == 200 else str(resp.status)
                    ] += 1
                    pause = float(resp.headers.get("Retry-After", 1))
            except (aiohttp.ClientError, TimeoutError) as exc:
                d.statuses[type(exc).__name__] += 1
            retries += 1
            headers = {"Content-Type": "application/json", "X-Retry-Counter": str(retries)}
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))


async def feed_long_poll(
    api: FakeVkApi, comments: list[Comment], *, rate: float | None = None, chunk: int = 50
) -> tuple[float, float]:
    """Queue the comments' events at the fake for Bots Long Poll, ``chunk`` at a time, at ``rate``
    events per second (None: as fast as the fake takes them). Returns (started, finished)."""
    started = time.monotonic()
    async with aiohttp.ClientSession() as http:
        for first in range(0, len(comments), chunk):
            if rate:
                await asyncio.sleep(max(0.0, started + first / rate - time.monotonic()))
            await api.push(http, [c.event for c in comments[first : first + chunk]])
    return started, time.monotonic()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]
