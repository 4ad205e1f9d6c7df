"""VK settings: which platform is configured, placeholders refused, callback mode complete."""

from __future__ import annotations

import os

import pytest

from config import load_settings
from moderation.errors import ConfigError

GROUP_TOKEN = "vk1.a." + "G" * 60
USER_TOKEN = "vk1.a." + "U" * 60


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for key in list(os.environ):
        if key.startswith("DOZOR_"):
            monkeypatch.delenv(key)


def test_vk_is_absent_by_default_and_the_api_is_on_vk_ru() -> None:
    s = load_settings()
    assert s.vk.configured is False
    assert s.vk.api_url == "https://api.vk.ru/method" and s.vk.api_version == "5.199"


def test_group_id_and_token_make_vk_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOZOR_VK_GROUP_ID", "123")
    monkeypatch.setenv("DOZOR_VK_GROUP_TOKEN", GROUP_TOKEN)
    s = load_settings()
    assert s.vk.configured and s.vk.group_id == 123 and s.vk.user_token is None
    assert GROUP_TOKEN not in repr(s.vk)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"DOZOR_VK_GROUP_ID": "1", "DOZOR_VK_GROUP_TOKEN": "changeme"},
            "DOZOR_VK_GROUP_TOKEN: looks like a placeholder",
        ),
        (
            {"DOZOR_VK_GROUP_ID": "1", "DOZOR_VK_GROUP_TOKEN": "abc"},
            "DOZOR_VK_GROUP_TOKEN: is not a VK access token",
        ),
        ({"DOZOR_VK_USER_TOKEN": "<token>"}, "DOZOR_VK_USER_TOKEN: looks like a placeholder"),
        ({"DOZOR_VK_GROUP_ID": "1"}, "set DOZOR_VK_GROUP_TOKEN too"),
        ({"DOZOR_VK_GROUP_TOKEN": GROUP_TOKEN}, "set DOZOR_VK_GROUP_ID too"),
        ({"DOZOR_VK_API_VERSION": "5.131"}, "DOZOR_VK_API_VERSION"),
        ({"DOZOR_VK_CALLBACK_PATH": "vk"}, "DOZOR_VK_CALLBACK_PATH: must be a path"),
        ({"DOZOR_VK_SECRET": "not ok!"}, "DOZOR_VK_SECRET: must be 1-50 Latin letters"),
    ],
)
def test_bad_vk_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert expected in str(err.value)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "needs DOZOR_VK_CONFIRMATION_CODE"),
        ({"DOZOR_VK_CONFIRMATION_CODE": "todo"}, "needs DOZOR_VK_CONFIRMATION_CODE"),
        ({"DOZOR_VK_CONFIRMATION_CODE": "a1b2c3d4"}, "needs DOZOR_VK_SECRET"),
    ],
)
def test_callback_mode_needs_code_and_secret(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    monkeypatch.setenv("DOZOR_VK_GROUP_ID", "1")
    monkeypatch.setenv("DOZOR_VK_GROUP_TOKEN", GROUP_TOKEN)
    monkeypatch.setenv("DOZOR_VK_MODE", "callback")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=expected):
        load_settings()


def test_callback_mode_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOZOR_VK_GROUP_ID", "1")
    monkeypatch.setenv("DOZOR_VK_GROUP_TOKEN", GROUP_TOKEN)
    monkeypatch.setenv("DOZOR_VK_USER_TOKEN", USER_TOKEN)
    monkeypatch.setenv("DOZOR_VK_MODE", "callback")
    monkeypatch.setenv("DOZOR_VK_CONFIRMATION_CODE", "a1b2c3d4")
    monkeypatch.setenv("DOZOR_VK_SECRET", "s3cretKey")
    s = load_settings()
    assert s.vk.mode == "callback" and s.vk.callback_path == "/vk/callback"
    assert s.vk.user_token is not None and s.vk.user_token.get_secret_value() == USER_TOKEN


@pytest.mark.parametrize(
    "written",
    [
        "123456",
        "-123456",
        "club123456",
        "public123456",
        "event123456",
        "https://vk.com/club123456",
        "vk.com/public123456/",
    ],
)
def test_the_community_number_is_read_from_what_people_copy(
    monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    monkeypatch.setenv("DOZOR_VK_GROUP_ID", written)
    monkeypatch.setenv("DOZOR_VK_GROUP_TOKEN", GROUP_TOKEN)
    assert load_settings().vk.group_id == 123456


@pytest.mark.parametrize("written", ["vk.com/mygroup", "club", "12ab"])
def test_a_community_without_a_number_says_what_to_write(
    monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    monkeypatch.setenv("DOZOR_VK_GROUP_ID", written)
    monkeypatch.setenv("DOZOR_VK_GROUP_TOKEN", GROUP_TOKEN)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert "DOZOR_VK_GROUP_ID" in message and "e.g. 123456" in message
    assert "valid integer" not in message  # not pydantic's own words
