"""Telegram's refusals → ``ActionFailed`` with a message a moderator can act on.

Retrying helps with flood control (429, ``retry_after``), network trouble and Telegram's own
server errors; it does not help with a message that is gone or too old, with missing admin
rights, or with any other "Bad Request": those are permanent, recorded on the case and shown
to the moderators.
"""

from __future__ import annotations

from aiogram.exceptions import (
    AiogramError,
    RestartingTelegram,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

from moderation.errors import ActionFailed

RIGHTS_HINT = (
    "make Dozor an admin of the group with the rights 'Delete messages' and 'Ban users' "
    "(run `dozor doctor` to check)"
)

# (fragment of Telegram's description, plain words). Checked in order; fragments are lower-case.
_PERMANENT: tuple[tuple[str, str], ...] = (
    ("message to delete not found", "the message is already gone (someone else deleted it)"),
    (
        "message can't be deleted",
        "Telegram refuses to delete the message: bots cannot delete messages older than 48 hours "
        "(or Dozor lacks the 'Delete messages' right); delete it by hand",
    ),
    ("message to edit not found", "the message to edit is gone"),
    ("message can't be edited", "Telegram refuses to edit the message (too old or not Dozor's)"),
    ("not enough rights", f"Dozor lacks the admin rights for this; {RIGHTS_HINT}"),
    ("chat_admin_required", f"Dozor is not an admin there; {RIGHTS_HINT}"),
    ("need administrator rights", f"Dozor is not an admin there; {RIGHTS_HINT}"),
    ("have no rights to send", "Dozor may not post in that chat; allow it to send messages"),
    (
        "user is an administrator",
        "the user is an admin of the group; Telegram does not let bots restrict admins",
    ),
    ("can't remove chat owner", "the user owns the group; nobody can restrict the owner"),
    ("can't restrict self", "Dozor cannot restrict itself"),
    ("participant_id_invalid", "the user is not (or no longer) a member of the group"),
    ("user not found", "Telegram does not know this user in that group"),
    ("chat not found", "Telegram does not know that chat: was Dozor removed from it, or the id is wrong?"),
    ("message thread not found", "the forum topic is gone (closed or deleted)"),
    ("query is too old", "the button press expired before Dozor answered it (older than 15 minutes)"),
    ("query id is invalid", "the button press expired before Dozor answered it"),
)


def action_failed(exc: AiogramError, what: str) -> ActionFailed:
    """The ``ActionFailed`` for an aiogram error.

    Args:
        exc: what aiogram raised.
        what: the action in plain words, e.g. "delete message 42 in chat -100123".
    """
    if isinstance(exc, TelegramRetryAfter):
        return ActionFailed(
            f"cannot {what} yet: Telegram's flood control asks to wait {exc.retry_after} s",
            retry_after=float(exc.retry_after),
        )
    if isinstance(exc, TelegramNetworkError | TelegramServerError | RestartingTelegram):
        return ActionFailed(f"cannot {what}: Telegram is unreachable or failing ({exc.message}); will retry")
    if isinstance(exc, TelegramUnauthorizedError):
        return ActionFailed(
            f"cannot {what}: Telegram rejected the bot token; set DOZOR_TELEGRAM_TOKEN to the token "
            "@BotFather gives",
            permanent=True,
        )
    if isinstance(exc, TelegramMigrateToChat):
        return ActionFailed(
            f"cannot {what}: the group became a supergroup with id {exc.migrate_to_chat_id}; "
            "Dozor follows it once a new message arrives there",
            permanent=True,
        )
    if isinstance(exc, TelegramForbiddenError):
        return ActionFailed(
            f"cannot {what}: Telegram forbids it ({exc.message}); Dozor was removed from the chat or "
            f"blocked; {RIGHTS_HINT}",
            permanent=True,
        )
    if isinstance(exc, TelegramAPIError):
        return _api_error(exc, what)
    return ActionFailed(f"cannot {what}: {exc}")


def _api_error(exc: TelegramAPIError, what: str) -> ActionFailed:
    description = exc.message or ""
    lowered = description.lower()
    for fragment, words in _PERMANENT:
        if fragment in lowered:
            return ActionFailed(f"cannot {what}: {words} (Telegram: {description})", permanent=True)
    if isinstance(exc, TelegramBadRequest):
        return ActionFailed(f"cannot {what}: Telegram refused the request ({description})", permanent=True)
    # Other 4xx answers will not change on retry; anything unexpected gets the benefit of retries.
    return ActionFailed(f"cannot {what}: Telegram answered {description!r}; will retry")


def is_gone(exc: AiogramError) -> bool:
    """Telegram's answer to deleting a message that is not there (any more)."""
    description = (exc.message or "").lower() if isinstance(exc, TelegramBadRequest) else ""
    return "message to delete not found" in description


def is_not_modified(exc: AiogramError) -> bool:
    """Telegram's answer to an edit that changes nothing: the wanted state is already there."""
    return isinstance(exc, TelegramBadRequest) and "message is not modified" in (exc.message or "").lower()
