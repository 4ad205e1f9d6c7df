"""Traffic for the benchmarks: Telegram updates from 5,000 users in 4 groups, posted to the webhook.

A quarter of the texts are spam that the test communities' ``casino`` rule removes (so a
``deleteMessage`` follows); the rest are ordinary chat, varied so that the repetition features
do not flag them. ``Loader`` posts them with concurrent HTTP requests carrying the secret token,
as Telegram does, honouring ``Retry-After`` on 429/503 and retrying a connection that is refused
(the service is restarting) — an update counts as delivered only once it was answered 200.
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

from benchmarks.e2e.procs import SECRET, SECRET_HEADER

GROUPS = (-1001000000001, -1001000000002, -1001000000003, -1001000000004)
USERS = 5000
DATE = 1_764_000_000

_WORDS = (
    "bike shop weekend meeting club router laptop release update train ticket coffee garden rain "
    "concert photo recipe football lesson homework office holiday market bridge river museum"
).split()
_ORDINARY = (
    "Hello everyone, does anybody know a good {w} near the {v}? Asking for my {n}th time, thanks",
    "Thanks for the post about the {w}, it was useful. Will there be more on the {v} soon?",
    "When is the next {w} meeting? I can come on day {n} after the {v}.",
    "Has anyone tried the new {w}? My {v} broke after {n} days and I need advice.",
)
_SPAM = (
    "Best casino bonus {n}% on the first deposit, join t.me/win{n} now",
    "CASINO jackpot {n} free spins today only, write to @lucky{n}",
    "Play casino online and earn {n}$ per day from home, link in bio",
)


@dataclass(frozen=True, slots=True)
class Post:
    """One update to deliver."""

    update_id: int
    chat_id: int
    message_id: int
    spam: bool
    body: bytes


def make_posts(count: int, *, first_update_id: int = 1, seed: int = 1) -> list[Post]:
    """``count`` message updates; every fourth text on average is spam."""
    rng = random.Random(seed)
    next_message = dict.fromkeys(GROUPS, 10_000_000)  # far from the ids the fake gives its own messages
    posts = []
    for i in range(count):
        chat = GROUPS[rng.randrange(len(GROUPS))]
        user = rng.randrange(1, USERS + 1)
        spam = rng.random() < 0.25
        template = rng.choice(_SPAM if spam else _ORDINARY)
        words = rng.sample(_WORDS, 2)
        text = template.format(w=words[0], v=words[1], n=rng.randrange(2, 10_000))
        message_id = next_message[chat]
        next_message[chat] += 1
        update_id = first_update_id + i
        update = {
            "update_id": update_id,
            "message": {
                "message_id": message_id,
                "from": {"id": user, "is_bot": False, "first_name": f"User{user}", "language_code": "en"},
                "chat": {"id": chat, "type": "supergroup", "title": f"Bench {GROUPS.index(chat)}"},
                "date": DATE + i,
                "text": text,
            },
        }
        posts.append(Post(update_id, chat, message_id, spam, json.dumps(update).encode()))
    return posts


@dataclass
class Delivery:
    """What the loader saw."""

    accepted_at: dict[int, float] = field(default_factory=dict)  # update_id → monotonic time of the POST
    statuses: Counter[str] = field(default_factory=Counter)  # answers other than 200, and errors
    started: float = 0.0
    finished: float = 0.0
    unsent: int = 0

    @property
    def accepted(self) -> int:
        return len(self.accepted_at)

    def rate(self) -> float:
        return self.accepted / max(1e-9, self.finished - self.started)


class Loader:
    """Posts updates to one or more webhook URLs (split round-robin, like a load balancer).

    Args:
        urls: webhook URLs.
        concurrency: requests in flight at most (Telegram uses up to 40 connections).
        rate: updates per second to offer; None offers them as fast as they are taken.
    """

    def __init__(self, urls: list[str], *, concurrency: int = 32, rate: float | None = None) -> None:
        self.urls = urls
        self.concurrency = concurrency
        self.rate = rate
        self.delivery = Delivery()

    async def run(self, posts: list[Post], *, deadline: float) -> Delivery:
        """Deliver ``posts`` until all are accepted or ``deadline`` (monotonic) passes."""
        d = self.delivery
        d.started = time.monotonic()
        queue: asyncio.Queue[tuple[int, Post]] = asyncio.Queue()
        for n, post in enumerate(posts):
            queue.put_nowait((n, post))
        headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        timeout = aiohttp.ClientTimeout(total=30)
        connector = aiohttp.TCPConnector(limit=self.concurrency * 2)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:

            async def worker() -> None:
                while not queue.empty() and time.monotonic() < deadline:
                    n, post = queue.get_nowait()
                    if self.rate:
                        await asyncio.sleep(max(0.0, d.started + n / self.rate - time.monotonic()))
                    await self._deliver(http, n, post, headers, deadline)

            await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        d.finished = time.monotonic()
        d.unsent = len(posts) - d.accepted
        return d

    async def _deliver(
        self, http: aiohttp.ClientSession, n: int, post: Post, headers: dict[str, str], deadline: float
    ) -> None:
        d = self.delivery
        url = self.urls[n % len(self.urls)]
        while time.monotonic() < deadline:
            began = time.monotonic()
            pause = 0.2
            try:
                async with http.post(url, data=post.body, headers=headers) as resp:
                    await resp.read()
                    if resp.status == 200:
                        d.accepted_at[post.update_id] = began
                        return
                    d.statuses[str(resp.status)] += 1
                    pause = float(resp.headers.get("Retry-After", 1))
            except (aiohttp.ClientError, TimeoutError) as exc:
                d.statuses[type(exc).__name__] += 1
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def delete_latencies(
    posts: list[Post], delivery: Delivery, calls: list[dict[str, Any]]
) -> tuple[list[float], int]:
    """Seconds from each accepted spam's POST to its first deletion (by deleteMessage or
    deleteMessages); and how many had none."""
    first: dict[tuple[int, int], float] = {}
    for call in calls:
        if call["outcome"] not in ("ok", "hang"):
            continue
        method = call["method"].lower()
        ids = [call["message_id"]] if method == "deletemessage" else call.get("message_ids", [])
        if method in ("deletemessage", "deletemessages"):
            for message_id in ids:
                first.setdefault((int(call["chat_id"]), int(message_id)), call["at"])
    latencies, missing = [], 0
    for post in posts:
        if not post.spam or post.update_id not in delivery.accepted_at:
            continue
        at = first.get((post.chat_id, post.message_id))
        if at is None:
            missing += 1
        else:
            latencies.append(at - delivery.accepted_at[post.update_id])
    return latencies, missing
