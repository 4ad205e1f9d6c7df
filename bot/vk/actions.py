"""``VkActions``: Dozor's ``Actions`` port carried out through the VK API.

Which token each call takes is VK's rule (vk-api-schema 5.199), kept in
``bot.vk.errors.USER_TOKEN_METHODS`` and applied by the client:

- moderator's **user** token: ``wall/photos/video/market.deleteComment``, ``groups.ban``,
  ``groups.unban``, and answering as the community under photos, videos, items and in topics
  (``photos/video/market/board.createComment`` with ``from_group``);
- **community** token: ``messages.*`` (send, edit, delete, removeChatUser,
  getConversationMembers, sendMessageEventAnswer), ``board.deleteComment``,
  ``wall.createComment`` (``from_group``), ``groups.getMembers``, ``docs.*``.

A user-token call without a (valid) user token fails with ``needs="vk_user_token"``: the
executor keeps it until the operator sets the token. On VK a mute is a timed community ban
(``groups.ban`` with ``end_date``): the user cannot comment or write to the community until then.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot import perform
from bot.vk.client import MAX_EXECUTE, Token, VkClient
from bot.vk.content import CHAT_PEER_BASE
from bot.vk.documents import send_document
from bot.vk.errors import NOT_FOUND, VkApiError, api_error
from bot.vk.keyboard import keyboard
from bot.vk.messages import clip, is_chat, random_id, sent_cmid
from bot.vk.roles import ROLE_TTL, VkRoles
from moderation.actions import Action, Ban, Delete, Restrict, Unban, Unrestrict
from moderation.errors import ActionFailed
from moderation.events import EventKind
from moderation.ports import Button, Capabilities, ChatRole, Done, Outcome

log = logging.getLogger(__name__)

MAX_SNACKBAR = 90  # sendMessageEventAnswer show_snackbar text
BATCH = 100  # messages.delete takes up to 100 cmids
CAPABILITIES = Capabilities(
    batch=MAX_EXECUTE,  # removals and bans, through execute
    mute=False,  # a mute is a timed community ban
    join_check=False,  # no way to hold a newcomer on a wall, and no button to press there
    greets_newcomers=False,  # a join happens on the community's page: nowhere to post a greeting
    comment_buttons=False,
    comment_files=False,
    dedup_messages=True,  # random_id / guid
    banned_can_write=False,  # a banned member cannot comment or write to the community
)

# comment surface → (delete method, create method, thread parameter)
_SURFACES: dict[str, tuple[str, str, str]] = {
    EventKind.VK_WALL_COMMENT.value: ("wall.deleteComment", "wall.createComment", "post_id"),
    EventKind.VK_PHOTO_COMMENT.value: ("photos.deleteComment", "photos.createComment", "photo_id"),
    EventKind.VK_VIDEO_COMMENT.value: ("video.deleteComment", "video.createComment", "video_id"),
    EventKind.VK_MARKET_COMMENT.value: ("market.deleteComment", "market.createComment", "item_id"),
}
_BOARD = EventKind.VK_BOARD_COMMENT.value


class VkActions:
    """Carries out actions in one VK community; every refusal becomes ``ActionFailed``.

    Args:
        client: the VK client (community token, optional user token).
        group_id: the community's id (positive).
    """

    capabilities = CAPABILITIES

    def __init__(self, client: VkClient, group_id: int, *, role_ttl: float = ROLE_TTL) -> None:
        self.client = client
        self.group_id = group_id
        self.roles = VkRoles(client, group_id, ttl=role_ttl)

    def batch_key(self, action: Action) -> Token | None:
        """Removals and bans go together through ``execute``, by the token they need (VK counts an
        ``execute`` of 25 calls as one request against the token's limit)."""
        call = self._call_of(action)
        return call.token if call is not None else None

    async def perform(self, actions: Sequence[Action], keys: Sequence[str | None]) -> list[Outcome]:
        calls = [self._call_of(a) for a in actions]
        if len(actions) == 1 or any(c is None for c in calls):
            return await perform.each(self, actions, keys)
        batch = [c for c in calls if c is not None]
        what = f"carry out {len(batch)} actions in community {self.group_id} in one request"
        answers = await self.client.execute(
            [(c.method, c.params) for c in batch], token=batch[0].token, what=what
        )
        outcomes: list[Outcome] = []
        for call, answer in zip(batch, answers, strict=True):
            if isinstance(answer, VkApiError) and answer.code == NOT_FOUND and call.removes:
                outcomes.append(Done(already_gone=True))  # someone deleted it first: the wanted state
            elif isinstance(answer, ActionFailed):
                outcomes.append(answer)
            else:
                outcomes.append(Done())
        return outcomes

    def _call_of(self, action: Action) -> _Call | None:
        """The one API call an action is, when it can go in an ``execute`` batch."""
        match action:
            case Delete(message_ids=(comment,)) if action.surface in _SURFACES:
                params = {"owner_id": action.chat_id, "comment_id": comment}
                return _Call(_SURFACES[action.surface][0], params, "user", removes=True)
            case Delete(message_ids=(comment,)) if action.surface == _BOARD:
                group = abs(int(action.chat_id))
                params = {"group_id": group, "topic_id": action.thread_id, "comment_id": comment}
                return _Call("board.deleteComment", params, "group", removes=True)
            case Ban() | Restrict() if not is_chat(action.chat_id):
                params = {"group_id": self._group(action.chat_id), "owner_id": action.user_id, "reason": 0}
                if action.until is not None:
                    params["end_date"] = int(action.until.timestamp())
                if action.comment:  # shown to the banned member (the appeal link)
                    params.update(comment=clip(action.comment, 500), comment_visible=1)
                return _Call("groups.ban", params, "user")
            case Unban() | Unrestrict() if not is_chat(action.chat_id):
                params = {"group_id": self._group(action.chat_id), "owner_id": action.user_id}
                return _Call("groups.unban", params, "user")
        return None

    # ------------------------------------------------------------------ removing
    async def delete_messages(
        self, chat_id: str, message_ids: Sequence[str], *, kind: str = "", thread_id: str | None = None
    ) -> Done | None:
        """Delete comments (``kind`` names the surface) or chat messages (peer + cmids)."""
        if kind in _SURFACES or kind == _BOARD:
            gone = 0
            for comment_id in message_ids:
                if kind == _BOARD:
                    method = "board.deleteComment"
                    params: dict[str, Any] = {
                        "group_id": abs(int(chat_id)),
                        "topic_id": thread_id,
                        "comment_id": comment_id,
                    }
                    what = f"delete post {comment_id} in topic {thread_id}"
                else:
                    method = _SURFACES[kind][0]
                    params = {"owner_id": chat_id, "comment_id": comment_id}
                    what = f"delete comment {comment_id} of {chat_id}"
                gone += not await self._delete_comment(method, params, what)
            return Done(already_gone=True) if gone == len(message_ids) else None
        if is_chat(chat_id):  # a peer id above 2e9 is a chat whatever the case's kind says
            await self._delete_chat_messages(chat_id, message_ids)
            return None
        raise ActionFailed(
            f"cannot delete {list(message_ids)} in {chat_id}: VK needs to know the surface "
            f"(comment kind {kind!r} is not one Dozor knows)",
            permanent=True,
        )

    async def _delete_comment(self, method: str, params: dict[str, Any], what: str) -> bool:
        """True when deleted now, False when it was already gone."""
        try:
            await self.client.call(method, params, what=what)
        except VkApiError as exc:
            # Already gone (deleted by a person, or by an earlier attempt that crashed before it
            # was recorded): the wanted state is there, so a repeated delete is done, not failed.
            if exc.code != NOT_FOUND:
                raise
            log.info("vk: %s: already gone", what)
            return False
        return True

    async def _delete_chat_messages(self, peer: str, cmids: Sequence[str]) -> None:
        for start in range(0, len(cmids), BATCH):
            batch = list(cmids[start : start + BATCH])
            what = f"delete messages {batch} in chat {peer}"
            answer = await self.client.call(
                "messages.delete",
                {"peer_id": peer, "cmids": batch, "delete_for_all": True, "group_id": self.group_id},
                what=what,
            )
            for item in answer if isinstance(answer, list) else ():
                error = item.get("error") if isinstance(item, dict) else None
                if error:  # one message of the batch refused (e.g. older than 24 h: code 924)
                    code = int(error.get("code") or error.get("error_code") or 0)
                    raise api_error(
                        code,
                        str(error.get("description") or error),
                        "messages.delete",
                        what=what,
                        user_token=False,
                    )

    # ------------------------------------------------------------------ people
    async def ban(
        self,
        chat_id: str,
        user_id: str,
        until: datetime | None,
        *,
        sender_chat: bool = False,
        reason: int = 0,
        comment: str = "",
    ) -> None:
        """Ban from the community (until ``until``; None is for good) or remove from a chat.

        ``reason`` is VK's code (0 other, 1 spam, 2 verbal abuse, 3 strong language, 4 flood);
        ``comment`` is shown to the banned user.
        """
        if is_chat(chat_id):
            await self.client.call(
                "messages.removeChatUser",
                {"chat_id": int(chat_id) - CHAT_PEER_BASE, "member_id": user_id},
                what=f"remove {user_id} from chat {chat_id}",
            )
            return
        params: dict[str, Any] = {"group_id": self._group(chat_id), "owner_id": user_id, "reason": reason}
        if until is not None:
            params["end_date"] = int(until.timestamp())
        if comment:
            params.update(comment=clip(comment, 500), comment_visible=True)
        await self.client.call("groups.ban", params, what=f"ban {user_id} in community {chat_id}")

    async def restrict(
        self, chat_id: str, user_id: str, until: datetime | None, *, comment: str = ""
    ) -> None:
        """Mute: on VK a timed community ban (the community of a chat peer is Dozor's own)."""
        target = str(self.group_id) if is_chat(chat_id) else chat_id
        await self.ban(target, user_id, until, comment=comment)

    async def unban(self, chat_id: str, user_id: str, *, sender_chat: bool = False) -> None:
        if is_chat(chat_id):
            log.info("vk: %s was removed from chat %s; only a member can invite them back", user_id, chat_id)
            return
        await self.client.call(
            "groups.unban",
            {"group_id": self._group(chat_id), "owner_id": user_id},
            what=f"unban {user_id} in community {chat_id}",
        )

    async def unrestrict(self, chat_id: str, user_id: str) -> None:
        await self.unban(str(self.group_id) if is_chat(chat_id) else chat_id, user_id)

    def _group(self, chat_id: str) -> int:
        return abs(int(chat_id)) if chat_id else self.group_id

    # ------------------------------------------------------------------ messages
    async def send_message(
        self,
        chat_id: str,
        text: str,
        *,
        reply_to: str | None = None,
        thread_id: str | None = None,
        buttons: Sequence[Sequence[Button]] = (),
        kind: str = "",
        dedup_key: str | None = None,
    ) -> str:
        """A comment as the community (comment kinds) or a chat message; returns its id.

        Chat messages return their ``conversation_message_id`` (what ``edit_message`` and
        ``delete_messages`` take). Buttons exist only in chats; comments get the text alone.
        """
        if kind in _SURFACES or kind == _BOARD:
            return await self._comment(
                chat_id, text, kind=kind, thread_id=thread_id, reply_to=reply_to, guid=dedup_key
            )
        if int(chat_id) < 0 or chat_id == str(self.group_id):
            # an answer to a comment (or to a command typed in one) needs the surface and post id
            raise ActionFailed(
                f"cannot answer in {chat_id}: a VK comment answer needs kind= and thread_id= (the "
                "surface and the post, photo, video, item or topic id)",
                permanent=True,
            )
        params: dict[str, Any] = {
            "peer_ids": chat_id,
            "random_id": random_id(dedup_key),
            "message": clip(text),
            "dont_parse_links": True,
            "disable_mentions": True,
            "group_id": self.group_id,
        }
        if buttons:
            params["keyboard"] = keyboard(buttons)
        if reply_to:
            params["forward"] = {
                "peer_id": int(chat_id),
                "conversation_message_ids": [int(reply_to)],
                "is_reply": True,
            }
        answer = await self.client.call("messages.send", params, what=f"send a message to {chat_id}")
        return sent_cmid(answer, chat_id)

    async def _comment(
        self,
        owner: str,
        text: str,
        *,
        kind: str,
        thread_id: str | None,
        reply_to: str | None,
        guid: str | None,
    ) -> str:
        if not thread_id:
            raise ActionFailed(
                f"cannot comment in {owner}: no post, photo, video, item or topic id", permanent=True
            )
        if kind == _BOARD:
            method = "board.createComment"
            params: dict[str, Any] = {"group_id": abs(int(owner)), "topic_id": thread_id, "from_group": True}
        else:
            _, method, thread_param = _SURFACES[kind]
            params = {"owner_id": owner, thread_param: thread_id}
            # wall.createComment takes the community id; the others a flag (schema 5.199)
            params["from_group"] = self.group_id if method == "wall.createComment" else True
            if reply_to:
                params["reply_to_comment"] = reply_to
        params.update(message=clip(text), guid=guid)
        answer = await self.client.call(method, params, what=f"comment under {thread_id} of {owner}")
        comment_id = answer.get("comment_id") if isinstance(answer, dict) else answer
        return str(comment_id)

    async def edit_message(
        self, chat_id: str, message_id: str, text: str, *, buttons: Sequence[Sequence[Button]] = ()
    ) -> None:
        """Replace the text and buttons (none removes them) of one of Dozor's chat messages."""
        await self.client.call(
            "messages.edit",
            {
                "peer_id": chat_id,
                # the schema (5.199) names it ``cmid``, the method's page ``conversation_message_id``
                "cmid": message_id,
                "conversation_message_id": message_id,
                "message": clip(text),
                "keyboard": keyboard(buttons),
                "dont_parse_links": True,
                "disable_mentions": True,
                "keep_forward_messages": True,
                "group_id": self.group_id,
            },
            what=f"edit message {message_id} in chat {chat_id}",
        )

    async def answer_callback(self, callback_id: str, text: str, *, alert: bool = False) -> None:
        """Answer a button press with a snackbar (VK has no alerts; the text is the same)."""
        event_id, user_id, peer_id = _callback_parts(callback_id)
        data = {"type": "show_snackbar", "text": clip(text, MAX_SNACKBAR)}
        await self.client.call(
            "messages.sendMessageEventAnswer",
            {"event_id": event_id, "user_id": user_id, "peer_id": peer_id, "event_data": data},
            what="answer a button press",
        )

    async def send_document(
        self,
        chat_id: str,
        filename: str,
        data: bytes,
        *,
        caption: str = "",
        reply_to: str | None = None,
        dedup_key: str | None = None,
    ) -> str:
        """Upload a file to a chat (``/export``) and send it; returns the conversation message id."""
        return await send_document(
            self.client, self.group_id, chat_id, filename, data, caption=caption, dedup_key=dedup_key
        )

    # ------------------------------------------------------------------ roles
    async def get_role(self, chat_id: str, user_id: str) -> ChatRole:
        """A manager of the community (cached), or an admin of a community chat."""
        return await self.roles.get_role(chat_id, user_id)

    async def refresh_managers(self) -> None:
        """Read the managers again (call on ``group_officers_edit``)."""
        await self.roles.refresh()


@dataclass(frozen=True, slots=True)
class _Call:
    """One VK API call that carries out an action (``VkActions._call_of``)."""

    method: str
    params: dict[str, Any]
    token: Token
    removes: bool = False  # a delete: "not found" means it is already gone


def _callback_parts(callback_id: str) -> tuple[str, str, str]:
    parts = callback_id.rsplit(":", 2)
    if len(parts) != 3:
        raise ActionFailed(f"not a VK button press id: {callback_id!r}", permanent=True)
    return parts[0], parts[1], parts[2]
