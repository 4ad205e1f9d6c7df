"""VK's API errors → ``ActionFailed`` with what to do about them.

VK answers ``{"error": {"error_code", "error_msg", "request_params"}}``. The classes:

- 1, 6, 10 (unknown, too many requests per second, VK's internal error): transient; the client
  retries a few times with backoff, then the outbox executor retries later.
- 9 (flood control), 29 (a method's rate limit): wait (``retry_after``) and try again.
- 14 (captcha): permanent; the moderators are alerted (a captcha cannot be solved by Dozor).
- 5, 15, 27 on a method that needs a moderator's user token, or no user token at all:
  ``needs="vk_user_token"``: the action is kept until the operator sets a (new) user token.
- 5, 15, 17, 27, 30, 100, 917, 924, 925 and the other refusals below: permanent, recorded on the
  case with what to fix.
"""

from __future__ import annotations

from moderation.errors import ActionFailed

NEEDS_USER_TOKEN = "vk_user_token"

# Methods VK serves only with a user access token (vk-api-schema 5.199, ``access_token_type``:
# ["user"]). A community token gets error 27 ("method is unavailable with group auth"); the
# user must be a moderator of the community. Everything else Dozor calls takes the community
# token: messages.*, board.deleteComment, wall.createComment (with from_group),
# groups.getMembers, groups.getLongPollServer, groups.getTokenPermissions, docs.*.
USER_TOKEN_METHODS = frozenset(
    {
        "wall.deleteComment",
        "photos.deleteComment",
        "video.deleteComment",
        "market.deleteComment",
        "groups.ban",
        "groups.unban",
        # answering as the community (from_group) under a photo, video, item or in a topic
        "photos.createComment",
        "video.createComment",
        "market.createComment",
        "board.createComment",
    }
)

TRANSIENT_CODES = frozenset({1, 6, 10})
WAIT_SECONDS = {9: 60.0, 29: 3600.0}  # flood control: a minute; a method's daily quota: an hour
CAPTCHA = 14
NOT_FOUND = 104
_AUTH_CODES = frozenset({5, 15, 27})

USER_TOKEN_HINT = (
    "set DOZOR_VK_USER_TOKEN to a user token of a community moderator or admin "
    "(scopes: wall, photos, video, market, groups, offline); the action waits until it is set"
)
CAPTCHA_ALERT = (
    "VK asks for a captcha: the account behind the token made too many actions in a short time. "
    "Dozor cannot solve captchas; log in to VK as that account, act by hand for a while, and "
    "slow down manual bans. The action was not carried out"
)

# What each permanent refusal means and what to fix, in plain words.
_PERMANENT: dict[int, str] = {
    5: "VK rejected the community token (revoked or mistyped); create a new one in the community's "
    "settings → API usage and set DOZOR_VK_GROUP_TOKEN",
    7: "the token lacks the permission for this; give the community token the 'manage', "
    "'messages', 'wall', 'photos' and 'docs' rights",
    15: "VK denies access; check that the community token has the rights it needs (run `dozor doctor`)",
    17: "VK wants the token's owner to validate the account; log in to vk.com as that user, "
    "confirm, then issue a new token",
    18: "the user's page was deleted or banned by VK",
    27: "the community token cannot call this method; it needs a moderator's user token "
    "(DOZOR_VK_USER_TOKEN)",
    30: "the user's profile is private",
    100: "VK refused a parameter (the object may be gone or the id wrong)",
    104: "VK does not find it: the comment or message is already gone",
    113: "VK does not know this user id",
    203: "the community is closed to the token's owner; add that user as a community moderator",
    211: "VK refuses access to the comment: it is gone, or the user token is not a moderator's",
    212: "comments are switched off on that post",
    213: "the community may not comment on that post",
    222: "links are forbidden in comments there",
    223: "too many replies from the community under that post; VK will not take more now",
    900: "the user has blocked the community's messages",
    901: "the user has not allowed the community to message them",
    902: "the user's privacy settings forbid this message",
    909: "the message is too old to edit (VK allows 24 hours)",
    911: "VK refused the keyboard of the message",
    912: "the community's bot features are off; switch on 'Bot abilities' in the community's "
    "settings → Messages → Bot settings",
    914: "the message is too long",
    917: "the community is not in that chat or has no access to it; add the community to the chat "
    "and make it an admin",
    920: "that message cannot be edited",
    924: "VK will not delete that message for everyone: it is older than 24 hours or written by "
    "an admin of the chat; delete it by hand",
    925: "the community is not an admin of that chat; make it an admin in the chat's settings",
    927: "that chat no longer exists",
    935: "the user is no longer in that chat",
    945: "that chat was disabled",
    946: "VK does not support this in that chat",
}


class VkApiError(ActionFailed):
    """An error VK answered, with its ``code`` and ``method`` kept for the doctor and long poll."""

    def __init__(
        self,
        message: str,
        *,
        code: int,
        method: str,
        permanent: bool = False,
        retry_after: float | None = None,
        needs: str | None = None,
        alert: bool = False,
    ) -> None:
        super().__init__(message, permanent=permanent, retry_after=retry_after, needs=needs)
        self.code = code
        self.method = method
        self.alert = alert  # the moderators must be told at once (captcha)


def api_error(code: int, vk_message: str, method: str, *, what: str, user_token: bool) -> VkApiError:
    """The error for VK's answer ``code``/``vk_message`` to ``method``.

    Args:
        code: VK's ``error_code``.
        vk_message: VK's ``error_msg`` (already scrubbed of secrets by the caller).
        method: the VK method, e.g. "wall.deleteComment".
        what: the action in plain words, e.g. "delete comment 5 under post 7".
        user_token: the call was made with the moderator's user token.
    """
    said = f"(VK error {code} in {method}: {vk_message})"
    if code in TRANSIENT_CODES:
        return VkApiError(
            f"cannot {what} yet: VK is busy or failing {said}; will retry", code=code, method=method
        )
    if code in WAIT_SECONDS:
        wait = WAIT_SECONDS[code]
        return VkApiError(
            f"cannot {what} yet: VK's flood control asks to wait {said}; will retry in {wait:.0f} s",
            code=code,
            method=method,
            retry_after=wait,
        )
    if code == CAPTCHA:
        return VkApiError(
            f"cannot {what}: {CAPTCHA_ALERT} {said}", code=code, method=method, permanent=True, alert=True
        )
    if code in _AUTH_CODES and (user_token or method in USER_TOKEN_METHODS):
        return VkApiError(
            f"cannot {what}: VK refused the moderator's user token (missing, expired or not a "
            f"moderator's) {said}; {USER_TOKEN_HINT}",
            code=code,
            method=method,
            needs=NEEDS_USER_TOKEN,
        )
    words = _PERMANENT.get(code)
    if words is not None:
        return VkApiError(f"cannot {what}: {words} {said}", code=code, method=method, permanent=True)
    # Codes not listed are refusals of this particular request; retrying will not change them.
    return VkApiError(f"cannot {what}: VK refused it {said}", code=code, method=method, permanent=True)


def missing_user_token(method: str, what: str) -> ActionFailed:
    """The failure of a user-token-only call when no user token is configured."""
    return ActionFailed(
        f"cannot {what}: VK allows {method} only with a moderator's user token; {USER_TOKEN_HINT}",
        needs=NEEDS_USER_TOKEN,
    )
