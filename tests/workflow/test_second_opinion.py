"""The second opinion against a local fake chat-completions endpoint (aiohttp on 127.0.0.1):
uncertain cases only, escalate or confirm, deadline, budget, cache, and the pipeline never waits."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.executor import Executor
from bot.second_opinion import ChatCompletions, Follower
from config.settings import SecondOpinionSettings, load_settings
from handlers.service import Dozor
from models import cases, escalations
from moderation.engine import Engine
from moderation.errors import ConfigError
from moderation.verdict import Scores
from tests.workflow.world import CAROL, COMMUNITY, MODCHAT, World


class KeywordScorer:
    """Spam 0.60 (just under the 0.70 threshold: uncertain) for texts with "maybe", 0.95 with
    "casino", 0.01 otherwise."""

    def score(self, normalized: str) -> Scores:
        if "casino" in normalized:
            return Scores(spam=0.95)
        return Scores(spam=0.60 if "maybe" in normalized else 0.01)


class FakeEndpoint:
    """An OpenAI-compatible /v1/chat/completions that answers by keyword, after ``delay`` seconds."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.delay = 0.0
        self.auth: list[str | None] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        text = body["messages"][-1]["content"]
        self.asked.append(text)
        self.auth.append(request.headers.get("Authorization"))
        await asyncio.sleep(self.delay)
        label = "spam" if "offer" in text else "ok"
        content = json.dumps({"label": label, "reason": "looks like an ad" if label == "spam" else "chat"})
        return web.json_response({"choices": [{"message": {"role": "assistant", "content": content}}]})


@pytest.fixture
async def endpoint() -> AsyncIterator[tuple[FakeEndpoint, str]]:
    fake = FakeEndpoint()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield fake, f"http://127.0.0.1:{port}/v1"
    await runner.cleanup()


async def _world(world: World) -> World:
    world.dozor = Dozor(
        world.db, {"shell": world.sim}, Engine(KeywordScorer()), world.settings, clock=world.now
    )
    world.executor = Executor(world.db, {"shell": world.sim}, world.dozor.hooks)
    return world


async def _follower(world: World, url: str, **options: object) -> tuple[Follower, ChatCompletions]:
    settings = SecondOpinionSettings(url=url, api_key="sk-local-test-key", **options)  # type: ignore[arg-type]
    client = ChatCompletions(settings)
    follower = Follower(world.db, client, settings, world.settings, clock=world.now)
    await follower.step()  # the first look only notes where "new" starts
    return follower, client


async def _case(world: World, message_id: str) -> cases.CaseRecord:
    c = await world.community()
    async with world.db.transaction() as s:
        found = [x for x in await cases.query(s, community_id=c.id) if x.message_id == message_id]
    return found[0]


def _opinions(case: cases.CaseRecord) -> list[dict]:
    return [r for r in case.reasons if r.get("kind") == "second_opinion"]


async def test_an_uncertain_case_the_model_calls_spam_is_escalated(
    world: World, endpoint: tuple[FakeEndpoint, str]
) -> None:
    fake, url = endpoint
    world = await _world(world)
    follower, client = await _follower(world, url)
    mid = await world.say(CAROL, "maybe a special offer for you")
    clean = await world.say(CAROL, "good morning everyone")
    spam = await world.say(CAROL, "best casino here")
    assert await follower.step() == 1
    await world.flush()
    assert fake.asked == ["maybe a special offer for you"]  # not the clean one, not the deleted one
    assert fake.auth == ["Bearer sk-local-test-key"]
    case = await _case(world, mid)
    assert case.action == "allow"  # the model's verdict stood; the answer only escalates
    [opinion] = _opinions(case)
    assert (
        opinion["name"] == "spam"
        and "escalated" in opinion["detail"]
        and "looks like an ad" in opinion["detail"]
    )
    async with world.db.transaction() as s:
        opened = await escalations.open_for_case(s, case.id)
    assert opened is not None and opened.kind == "auto"
    assert any("maybe a special offer" in text for text in world.sim.sent_to(MODCHAT))  # the card
    assert mid not in world.sim.deleted_ids(COMMUNITY)  # never deleted by the second opinion
    assert _opinions(await _case(world, clean)) == [] and _opinions(await _case(world, spam)) == []
    await client.close()


async def test_an_answer_that_confirms_is_recorded_and_nothing_else(
    world: World, endpoint: tuple[FakeEndpoint, str]
) -> None:
    fake, url = endpoint
    world = await _world(world)
    follower, client = await _follower(world, url)
    mid = await world.say(CAROL, "maybe we meet at six")
    await follower.step()
    assert fake.asked == ["maybe we meet at six"]
    [opinion] = _opinions(await _case(world, mid))
    assert opinion["name"] == "ok" and "verdict stands" in opinion["detail"]
    async with world.db.transaction() as s:
        assert await escalations.open_for_case(s, (await _case(world, mid)).id) is None
    await client.close()


async def test_past_the_deadline_the_models_verdict_stands_and_the_pipeline_never_waits(
    world: World, endpoint: tuple[FakeEndpoint, str]
) -> None:
    fake, url = endpoint
    fake.delay = 3.0
    world = await _world(world)
    follower, client = await _follower(world, url, deadline_seconds=0.3)
    mid = await world.say(CAROL, "maybe a special offer for you")
    started = time.perf_counter()
    step = asyncio.create_task(follower.step())
    await asyncio.sleep(0.05)  # the question is in flight now
    other = await world.say(CAROL, "best casino here")  # decided while the endpoint hangs
    decided_in = time.perf_counter() - started
    await step
    took = time.perf_counter() - started
    assert other in world.sim.deleted_ids(COMMUNITY)
    assert decided_in < 2.0  # generous: the comment did not wait for the 3 s answer
    assert took < 2.5  # the deadline (0.3 s) cut the wait, not the endpoint's 3 s
    [opinion] = _opinions(await _case(world, mid))
    assert opinion["name"] == "unanswered" and "no answer within 0.3 s" in opinion["detail"]
    assert (await _case(world, mid)).action == "allow"
    await client.close()


async def test_the_budget_bounds_the_questions_a_community_asks(
    world: World, endpoint: tuple[FakeEndpoint, str]
) -> None:
    fake, url = endpoint
    world = await _world(world)
    follower, client = await _follower(world, url, budget_per_day=2)
    ids = [await world.say(CAROL, f"maybe offer number {i}") for i in range(4)]
    await follower.step()
    assert len(fake.asked) == 2
    answered = [bool(_opinions(await _case(world, mid))) for mid in ids]
    assert answered == [True, True, False, False]
    world.later(days=1)  # a new day, a new budget
    await world.say(CAROL, "maybe one more offer")
    await follower.step()
    assert len(fake.asked) == 3
    await client.close()


async def test_the_cache_answers_a_text_seen_before(world: World, endpoint: tuple[FakeEndpoint, str]) -> None:
    fake, url = endpoint
    world = await _world(world)
    follower, client = await _follower(world, url)
    first = await world.say(CAROL, "maybe a special offer for you")
    await follower.step()
    second = await world.say(CAROL, "Maybe  a special OFFER for you")  # the same detection form
    await follower.step()
    assert len(fake.asked) == 1 and follower.asked == 1
    assert _opinions(await _case(world, first))[0]["name"] == "spam"
    assert _opinions(await _case(world, second))[0]["name"] == "spam"
    await client.close()


async def test_a_dead_endpoint_is_recorded_not_raised(world: World) -> None:
    world = await _world(world)
    follower, client = await _follower(world, "http://127.0.0.1:9/v1", deadline_seconds=1.0)
    mid = await world.say(CAROL, "maybe a special offer for you")
    assert await follower.step() == 1
    [opinion] = _opinions(await _case(world, mid))
    assert opinion["name"] == "unanswered" and "verdict stands" in opinion["detail"]
    await client.close()


def test_settings_are_off_by_default_and_keep_the_key_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().second_opinion.url is None
    monkeypatch.setenv("DOZOR_SECOND_OPINION_URL", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("DOZOR_SECOND_OPINION_API_KEY", "sk-abcdef123456")
    options = load_settings().second_opinion
    assert options.url == "http://127.0.0.1:8080/v1"
    assert "sk-abcdef123456" not in repr(options) and "sk-abcdef123456" not in str(options)
    monkeypatch.setenv("DOZOR_SECOND_OPINION_URL", "ftp://example")
    with pytest.raises(ConfigError, match="DOZOR_SECOND_OPINION_URL"):
        load_settings()
