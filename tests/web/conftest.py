"""The workspace's tests use the end-to-end fakes (the Bot API server)."""

from tests.e2e.conftest import telegram

__all__ = ["telegram"]
