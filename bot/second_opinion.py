"""The second opinion's adapter: an OpenAI-compatible chat-completions client and the follower of
new cases that consults it (``moderation.second_opinion`` says what and why).

Why a follower and not a wait inside the batch: the inbox decides ~1,000 comments a second in
batches; one slow answer held inside a batch would hold every comment behind it. The follower runs
beside the pipeline: every ``interval`` it reads the cases written since it last looked, picks the
ones in the uncertain band, asks (a few at a time, each with its own deadline), and writes what
came back as a follow-up. A dead or slow endpoint costs the pipeline nothing; the follower just
records that the model's verdict stands.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp

from config.settings import SecondOpinionSettings
from handlers.cards import open_escalation
from handlers.policy import policy_for
from models import cases, communities
from models.cases import CaseRecord
from models.db import Database
from moderation.errors import SecondOpinionError
from moderation.normalize import normalize
from moderation.second_opinion import Budget, Cache, Opinion, SecondOpinion, messages, parse, uncertain
from moderation.verdict import Scores

log = logging.getLogger(__name__)

# What each answer does to a case whose uncertain head it names.
_ESCALATES = {"spam": "spam", "toxicity": "toxic"}


class ChatCompletions:
    """``POST {url}/chat/completions`` (llama.cpp, Ollama, vLLM or a hosted service).

    Args:
        settings: the endpoint, model, key and deadline.
        session: an aiohttp session (one is made, and closed by :meth:`close`, when not given).
    """

    def __init__(self, settings: SecondOpinionSettings, session: aiohttp.ClientSession | None = None) -> None:
        if not settings.url:
            raise SecondOpinionError("DOZOR_SECOND_OPINION_URL is not set; the second opinion is off")
        self.url = settings.url.rstrip("/") + "/chat/completions"
        self.model = settings.model
        self.deadline = settings.deadline_seconds
        self._key = settings.api_key
        self._session = session
        self._own = session is None

    async def ask(self, text: str) -> Opinion:
        """The model's opinion on ``text``, within the deadline.

        Raises:
            SecondOpinionError: no answer in time, an HTTP error, or an answer without a label.
        """
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {"Authorization": f"Bearer {self._key.get_secret_value()}"} if self._key else {}
        body = {"model": self.model, "messages": messages(text), "temperature": 0, "max_tokens": 60}
        try:
            async with asyncio.timeout(self.deadline):
                async with self._session.post(self.url, json=body, headers=headers) as response:
                    if response.status != 200:
                        raise SecondOpinionError(f"the endpoint answered HTTP {response.status}")
                    data: Any = await response.json(content_type=None)
        except TimeoutError:
            raise SecondOpinionError(f"no answer within {self.deadline:g} s") from None
        except (aiohttp.ClientError, ValueError) as exc:
            raise SecondOpinionError(f"the endpoint failed: {type(exc).__name__}") from None
        try:
            content = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise SecondOpinionError("the answer has no choices[0].message.content") from None
        opinion = parse(str(content))
        if opinion is None:
            raise SecondOpinionError("the answer names none of spam, toxic, ok")
        return opinion

    async def close(self) -> None:
        """Close the session this client made."""
        if self._own and self._session is not None:
            await self._session.close()


class Follower:
    """Consults the second opinion on new uncertain cases and records its answers.

    Args:
        db: the database.
        client: the port (``ChatCompletions`` in the service).
        settings: band, budget, cache size, concurrency.
        language_default: reply language for policies (``ModerationSettings``).
        moderation: the service's moderation settings (community policy defaults).
        wake: called when a card was planned, so the executor sends it at once.
        clock: the current time.
    """

    def __init__(
        self,
        db: Database,
        client: SecondOpinion,
        settings: SecondOpinionSettings,
        moderation: Any,
        *,
        wake: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db = db
        self.client = client
        self.settings = settings
        self.moderation = moderation
        self.budget = Budget(settings.budget_per_day)
        self.cache = Cache(settings.cache_size)
        self.wake = wake
        self.clock = clock
        self.last: int | None = None  # the newest case looked at; None: start from now
        self.asked = 0  # questions sent to the endpoint (not answered from the cache)

    async def step(self) -> int:
        """Look at the cases written since the last step; returns how many got an opinion."""
        async with self.db.transaction() as session:
            if self.last is None:
                self.last = await cases.last_id(session)
                return 0
            new = await cases.after(session, self.last, limit=self.settings.batch)
            if not new:
                return 0
            self.last = new[-1].id
            chosen = []
            for case in new:
                head = await self._uncertain(session, case)
                if head is not None:
                    chosen.append((case, head))
        if not chosen:
            return 0
        limit = asyncio.Semaphore(self.settings.concurrency)

        async def one(case: CaseRecord, head: str) -> tuple[CaseRecord, str, Opinion | str]:
            async with limit:
                return case, head, await self._opinion(case)

        answers = await asyncio.gather(*(one(case, head) for case, head in chosen))
        async with self.db.transaction() as session:
            for case, head, answer in answers:
                await self._record(session, case, head, answer)
        return len(answers)

    async def _uncertain(self, session: Any, case: CaseRecord) -> str | None:
        if case.action != "allow" or not case.text or case.dry_run:
            return None
        community = await communities.get(session, case.community_id)
        if community is None:
            return None
        scores = Scores(
            **{k: float(v) for k, v in case.scores.items() if k in ("spam", "toxicity", "negativity")}
        )
        head = uncertain(scores, policy_for(community, self.moderation), self.settings.band)
        if head is None or not self.budget.take(case.community_id, self.clock()):
            return None
        return head

    async def _opinion(self, case: CaseRecord) -> Opinion | str:
        key = hashlib.sha256(normalize(case.text or "").encode("utf-8", "surrogatepass")).hexdigest()
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        self.asked += 1
        try:
            opinion = await self.client.ask(case.text or "")
        except SecondOpinionError as exc:
            return str(exc)
        self.cache.put(key, opinion)
        return opinion

    async def _record(self, session: Any, case: CaseRecord, head: str, answer: Opinion | str) -> None:
        if isinstance(answer, str):
            detail = f"{answer}: the model's verdict stands"
            await cases.add_reason(session, case.id, _reason("unanswered", detail))
            return
        said = f"said {answer.label}" + (f" ({answer.reason})" if answer.reason else "")
        if answer.label == _ESCALATES[head]:
            await cases.add_reason(
                session, case.id, _reason(answer.label, f"{said}: escalated to the moderators")
            )
            community = await communities.get(session, case.community_id)
            if community is not None:
                fresh = await cases.get(session, case.id)
                await open_escalation(session, community, fresh or case, kind="auto", now=self.clock())
                if self.wake is not None:
                    self.wake()
        else:
            await cases.add_reason(
                session, case.id, _reason(answer.label, f"{said}: the model's verdict stands")
            )


def _reason(name: str, detail: str) -> dict[str, Any]:
    return {"kind": "second_opinion", "name": name, "detail": detail, "matched": None}
