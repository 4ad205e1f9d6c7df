"""`dozor run` as a real process serves each platform alone and both together.

Each test starts ``python -m bot.cli run`` with only environment variables (as an operator
would), the real default classifier and a SQLite file, against the fake VK API and/or the fake
Bot API, posts an obvious spam offer and a command, and looks at what the fakes were asked to do.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import tg_samples as tg
from tests.e2e import vk_samples as s
from tests.e2e.fake_telegram import TOKEN, FakeTelegram
from tests.e2e.fake_vk import GROUP_ID, GROUP_TOKEN, USER_TOKEN, FakeVk
from tests.e2e.service import free_port
from tests.e2e.threaded import on_loop

SPAM = "Заработок от 5000 в день без вложений, пиши в лс t.me/joinchat/xyz"
SPAMMER = 6_600_077
CODE, SECRET = "c0nf1rmMe", "vkSecret42"
# Starting the real service loads the shipped model (and may compile its scoring loop): generous.
START_DEADLINE = 90.0
ACT_DEADLINE = 30.0


def _vk_env(vk: FakeVk, mode: str = "longpoll") -> dict[str, str]:
    env = {
        "DOZOR_VK_GROUP_ID": f"club{GROUP_ID}",  # as copied from the community's address
        "DOZOR_VK_GROUP_TOKEN": GROUP_TOKEN,
        "DOZOR_VK_USER_TOKEN": USER_TOKEN,
        "DOZOR_VK_API_URL": vk.api_url,
        "DOZOR_VK_MODE": mode,
    }
    if mode == "callback":
        env |= {"DOZOR_VK_CONFIRMATION_CODE": CODE, "DOZOR_VK_SECRET": SECRET}
    return env


def _tg_env(telegram: FakeTelegram) -> dict[str, str]:
    return {"DOZOR_TELEGRAM_TOKEN": TOKEN, "DOZOR_TELEGRAM_API_SERVER": telegram.base_url}


class Dozor:
    """A running `dozor run` process and its HTTP port."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process, self.port = process, port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> str:
        """SIGTERM, then the process's log (standard error); it must have exited with 0."""
        self.process.send_signal(signal.SIGTERM)
        _out, err = self.process.communicate(timeout=30)
        assert self.process.returncode == 0, err
        return err


@pytest.fixture
def dozor_run(tmp_path: Path, sqlite_template: Path) -> Iterator[Callable[[dict[str, str]], Dozor]]:
    """Start `dozor run` with the given platform variables; waits until /healthz answers 200."""
    started: list[subprocess.Popen[str]] = []

    def start(platform_env: dict[str, str]) -> Dozor:
        db_file = tmp_path / "run.sqlite3"
        shutil.copy(sqlite_template, db_file)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOZOR_")}
        env |= {
            "DOZOR_HTTP_HOST": "127.0.0.1",
            "DOZOR_HTTP_PORT": str(port),
            "DOZOR_DB_URL": f"sqlite+aiosqlite:///{db_file}",
            **platform_env,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True
        )
        started.append(process)
        deadline = time.monotonic() + START_DEADLINE
        while True:
            if process.poll() is not None:
                raise AssertionError(f"dozor run exited {process.returncode}: {process.stderr.read()}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return Dozor(process, port)
            except OSError:
                pass
            assert time.monotonic() < deadline, "dozor run did not answer /healthz in time"
            time.sleep(0.2)

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def eventually(check: Callable[[], Any], what: str, deadline: float = ACT_DEADLINE) -> Any:
    """Poll ``check`` until it returns something true; fail naming ``what`` was waited for."""
    end = time.monotonic() + deadline
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < end, f"waited {deadline:.0f}s for {what}"
        time.sleep(0.1)


def _vk_spam_and_help(vk: FakeVk, post: Callable[[dict[str, Any]], None]) -> None:
    """An obvious spam offer is deleted and its author banned; ``/help`` is answered under the post."""
    spam = s.wall_reply_new(SPAM, from_id=SPAMMER, comment_id=4401)
    post(spam)
    eventually(
        lambda: on_loop(vk, lambda: ("wall.deleteComment", -GROUP_ID, 4401) in vk.deleted),
        "the spam comment to be deleted",
    )
    eventually(lambda: on_loop(vk, lambda: SPAMMER in vk.bans), "the spammer to be banned")
    post(s.wall_reply_new("/help", from_id=s.USER, comment_id=4402))
    answers = eventually(
        lambda: on_loop(vk, lambda: [c for c in vk.comments if c.get("reply_to_comment") == "4402"]),
        "the /help answer under the post",
    )
    assert "/modchat" in answers[0]["message"] and answers[0]["from_group"] == str(GROUP_ID)


def test_vk_alone_in_long_poll_mode(
    dozor_run: Callable[[dict[str, str]], Dozor], threaded_vk: FakeVk
) -> None:
    dozor = dozor_run(_vk_env(threaded_vk))
    eventually(lambda: on_loop(threaded_vk, lambda: threaded_vk.a_checks), "the first Long Poll request")
    _vk_spam_and_help(threaded_vk, lambda e: on_loop(threaded_vk, lambda: threaded_vk.push_event(e)))
    log = dozor.stop()
    assert f"Dozor is running: VK community Test community (id {GROUP_ID}, longpoll mode" in log
    assert "Telegram" not in log
    assert GROUP_TOKEN not in log and USER_TOKEN not in log


def test_vk_alone_in_callback_mode(dozor_run: Callable[[dict[str, str]], Dozor], threaded_vk: FakeVk) -> None:
    dozor = dozor_run(_vk_env(threaded_vk, "callback"))
    url = f"{dozor.url}/vk/callback"
    assert on_loop(threaded_vk, lambda: threaded_vk.confirm(url)) == (200, CODE)

    def post(event: dict[str, Any]) -> None:
        assert on_loop(threaded_vk, lambda: threaded_vk.post_callback(url, event, secret=SECRET)) == (
            200,
            "ok",
        )

    _vk_spam_and_help(threaded_vk, post)
    assert not threaded_vk.a_checks  # Callback mode: no Long Poll
    log = dozor.stop()
    assert "callback mode" in log


def _telegram_spam_and_help(telegram: FakeTelegram) -> None:
    spam = tg.text_update(SPAM, message_id=7701, sender=tg.user(SPAMMER, "Spammer", None))
    on_loop(telegram, lambda: telegram.push_update(spam))
    eventually(
        lambda: on_loop(telegram, lambda: 7701 in telegram.deleted()), "the spam message to be deleted"
    )
    eventually(
        lambda: on_loop(
            telegram, lambda: [c for c in telegram.calls("banChatMember") if c["user_id"] == SPAMMER]
        ),
        "the spammer to be banned",
    )
    on_loop(telegram, lambda: telegram.push_update(tg.text_update("/help", message_id=7702)))
    eventually(
        lambda: on_loop(
            telegram,
            lambda: [c for c in telegram.calls("sendMessage") if "/modchat" in str(c.get("text"))],
        ),
        "the /help answer",
    )


def test_telegram_alone(
    dozor_run: Callable[[dict[str, str]], Dozor], threaded_telegram: FakeTelegram
) -> None:
    dozor = dozor_run(_tg_env(threaded_telegram))
    _telegram_spam_and_help(threaded_telegram)
    log = dozor.stop()
    assert "Dozor is running: Telegram as @dozor_test_bot (polling mode)" in log
    assert "VK community" not in log


def test_telegram_and_vk_together(
    dozor_run: Callable[[dict[str, str]], Dozor], threaded_telegram: FakeTelegram, threaded_vk: FakeVk
) -> None:
    dozor = dozor_run(_tg_env(threaded_telegram) | _vk_env(threaded_vk))
    eventually(lambda: on_loop(threaded_vk, lambda: threaded_vk.a_checks), "the first Long Poll request")
    _telegram_spam_and_help(threaded_telegram)
    _vk_spam_and_help(threaded_vk, lambda e: on_loop(threaded_vk, lambda: threaded_vk.push_event(e)))
    log = dozor.stop()
    assert "Dozor is running: Telegram as @dozor_test_bot" in log
    assert "Dozor is running: VK community Test community" in log


def test_no_platform_names_every_platforms_variables(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOZOR_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    for variable in ("DOZOR_TELEGRAM_TOKEN", "DOZOR_VK_GROUP_ID", "DOZOR_VK_GROUP_TOKEN", "dozor shell"):
        assert variable in done.stderr
    doctor = subprocess.run(
        [sys.executable, "-m", "bot.cli", "doctor"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert doctor.returncode == 1 and "no platform is configured" in doctor.stdout
    assert not (tmp_path / "dozor.sqlite3").exists()
