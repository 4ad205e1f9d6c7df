"""The VK methods the fake server answers, each a function of (server, form params)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.e2e.fake_vk import FakeVk

GROUP_ID = 200100
GROUP_TOKEN = "vk1.a.GroupTokenGroupTokenGroupTokenGroupTokenGroupTokenGroup"
USER_TOKEN = "vk1.a.UserTokenUserTokenUserTokenUserTokenUserTokenUserTokenU"
CHAT_PEER = 2000000001

USER_ONLY = frozenset(
    {
        "wall.deleteComment",
        "photos.deleteComment",
        "video.deleteComment",
        "market.deleteComment",
        "groups.ban",
        "groups.unban",
        "photos.createComment",
        "video.createComment",
        "market.createComment",
        "board.createComment",
    }
)

ERROR_TEXT = {
    5: "User authorization failed: invalid access_token (4).",
    6: "Too many requests per second",
    9: "Flood control",
    10: "Internal server error",
    14: "Captcha needed",
    15: "Access denied",
    17: "Validation required",
    27: "Group authorization failed: method is unavailable with group auth.",
    29: "Rate limit reached",
    100: "One of the parameters specified was missing or invalid",
    917: "You don't have access to this chat",
    924: "Can't delete this message for everybody",
    925: "You are not admin of this chat",
}


_EXECUTE = re.compile(r"API\.([A-Za-z]+\.[A-Za-z]+)\((\{.*?\})\)(?=[,\]])")


def parse_execute(code: str) -> list[tuple[str, dict[str, str]]]:
    """The calls of Dozor's ``execute`` code, ``return [API.wall.deleteComment({...}),...];``, with
    their parameters as VK would receive them (strings)."""
    body = code.strip()
    if not (body.startswith("return [") and body.endswith("];")):
        raise ApiError(12, "Unable to compile code")
    calls = []
    for method, raw in _EXECUTE.findall(body):
        try:
            args = json.loads(raw)
        except ValueError as exc:
            raise ApiError(12, "Unable to compile code") from exc
        calls.append((method, {k: _form(v) for k, v in args.items()}))
    return calls


def _form(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return json.dumps(value) if isinstance(value, dict) else str(value)


class ApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _need(params: dict[str, str], *names: str) -> None:
    for name in names:
        if not params.get(name):
            raise ApiError(
                100, f"One of the parameters specified was missing or invalid: {name} is undefined"
            )


def _get_by_id(vk: FakeVk, params: dict[str, str]) -> Any:
    """The community the token belongs to (another community's token: that one)."""
    gid = vk.caller_group or vk.group_id
    name = "Test community" if gid == vk.group_id else f"Community {gid}"
    return {"groups": [{"id": gid, "name": name, "screen_name": f"club{gid}"}]}


def _long_poll_server(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "group_id")
    return {"server": f"{vk.base_url}/lp/{params['group_id']}", "key": vk.new_lp_key(), "ts": str(vk.ts)}


def _get_members(vk: FakeVk, params: dict[str, str]) -> Any:
    if params.get("filter") != "managers":
        return {"count": 0, "items": []}
    items = [{"id": uid, "role": role} for uid, role in vk.managers.items()]
    return {"count": len(items), "items": items}


def _ban(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "group_id", "owner_id")
    vk.bans[int(params["owner_id"])] = params
    return 1


def _unban(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "group_id", "owner_id")
    vk.bans.pop(int(params["owner_id"]), None)
    return 1


def _delete_comment(method: str) -> Callable[[FakeVk, dict[str, str]], Any]:
    def handler(vk: FakeVk, params: dict[str, str]) -> Any:
        _need(params, "comment_id")
        owner = params.get("owner_id") or params.get("group_id") or "0"
        vk.deleted.append((method, int(owner), int(params["comment_id"])))
        return 1

    return handler


def _create_comment(method: str, thread: str) -> Callable[[FakeVk, dict[str, str]], Any]:
    def handler(vk: FakeVk, params: dict[str, str]) -> Any:
        _need(params, thread)
        key = (method, params.get("guid")) if params.get("guid") else None
        if key is not None and key in vk.dedup:  # VK answers a repeated guid with the first comment
            return vk.dedup[key]
        comment_id = next(vk.ids)
        vk.comments.append({"id": comment_id, "method": method, **params})
        answer: Any = (
            {"comment_id": comment_id, "parents_stack": []} if method == "wall.createComment" else comment_id
        )
        if key is not None:
            vk.dedup[key] = answer
        return answer

    return handler


def _send(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "random_id")
    peers = params.get("peer_ids") or params.get("peer_id")
    if not peers:
        raise ApiError(100, "One of the parameters specified was missing or invalid: peer_id is undefined")
    answers = []
    for peer in (int(p) for p in peers.split(",")):
        if peer > 2_000_000_000 and peer not in vk.chats:
            raise ApiError(917, ERROR_TEXT[917])
        key = ("messages.send", peer, params["random_id"])
        if key in vk.dedup:  # a repeated random_id is not sent again
            answers.append(vk.dedup[key])
            continue
        cmid = next(vk.cmids[peer])
        item = {"peer_id": peer, "message_id": 0, "conversation_message_id": cmid}
        vk.messages[(peer, cmid)] = {
            "text": params.get("message", ""),
            "keyboard": params.get("keyboard"),
            **params,
        }
        vk.dedup[key] = item
        answers.append(item)
    if "peer_ids" in params:
        return answers
    return next(vk.ids)  # the old single-peer answer: a message id, useless in community chats


def _edit(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "peer_id")
    cmid = int(params.get("conversation_message_id") or params.get("cmid") or 0)
    found = vk.messages.get((int(params["peer_id"]), cmid))
    if found is None:
        raise ApiError(100, "One of the parameters specified was missing or invalid: message not found")
    found.update({"text": params.get("message", ""), "keyboard": params.get("keyboard")})
    return 1


def _delete(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "peer_id", "cmids")
    peer = int(params["peer_id"])
    answers = []
    for cmid in (int(c) for c in params["cmids"].split(",")):
        vk.deleted.append(("messages.delete", peer, cmid))
        answers.append({"peer_id": peer, "conversation_message_id": cmid, "response": 1})
    return answers


def _event_answer(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "event_id", "user_id", "peer_id")
    vk.event_answers.append(params)
    return 1


def _conversation_members(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "peer_id")
    members = vk.chats.get(int(params["peer_id"]))
    if members is None:
        raise ApiError(917, ERROR_TEXT[917])
    items = [
        {"member_id": uid, "invited_by": uid, "join_date": 1700000000, **facts}
        for uid, facts in members.items()
    ]
    return {"count": len(items), "items": items, "profiles": [], "groups": []}


def _remove_chat_user(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "chat_id")
    peer = 2_000_000_000 + int(params["chat_id"])
    member = int(params.get("member_id") or params.get("user_id") or 0)
    if vk.chats.get(peer, {}).pop(member, None) is None:
        raise ApiError(935, "User not found in chat")
    return 1


def _token_permissions(vk: FakeVk, params: dict[str, str]) -> Any:
    return {"mask": 0, "permissions": [{"name": n, "setting": 0} for n in vk.token_rights]}


def _docs_upload_server(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "peer_id")
    return {"upload_url": f"{vk.base_url}/upload/doc"}


def _docs_save(vk: FakeVk, params: dict[str, str]) -> Any:
    _need(params, "file")
    if params["file"] not in vk.uploads:
        raise ApiError(105, "Couldn't save file")
    doc_id = next(vk.ids)
    return {"type": "doc", "doc": {"id": doc_id, "owner_id": -vk.group_id, "title": params.get("title", "")}}


def _long_poll_settings(vk: FakeVk, params: dict[str, str]) -> Any:
    return vk.lp_settings


def _callback_servers(vk: FakeVk, params: dict[str, str]) -> Any:
    return {"count": len(vk.callback_servers), "items": vk.callback_servers}


def _callback_settings(vk: FakeVk, params: dict[str, str]) -> Any:
    return {"api_version": vk.lp_settings["api_version"], "events": vk.lp_settings["events"]}


def _users_get(vk: FakeVk, params: dict[str, str]) -> Any:
    if not params.get("user_ids"):  # the token's own user
        return [{"id": vk.user_token_owner, "first_name": "Moder", "last_name": "Ator"}]
    ids = [int(i) for i in params["user_ids"].split(",")]
    if len(ids) > 1000:
        raise ApiError(100, "One of the parameters specified was missing or invalid: too many user_ids")
    # like VK, ids it knows nothing of are left out of the answer
    return [
        {"id": uid, "first_name": vk.names[uid][0], "last_name": vk.names[uid][1]}
        for uid in ids
        if uid in vk.names
    ]


HANDLERS: dict[str, Callable[[FakeVk, dict[str, str]], Any]] = {
    "groups.getById": _get_by_id,
    "groups.getLongPollServer": _long_poll_server,
    "groups.getMembers": _get_members,
    "groups.getTokenPermissions": _token_permissions,
    "groups.getLongPollSettings": _long_poll_settings,
    "groups.getCallbackServers": _callback_servers,
    "groups.getCallbackSettings": _callback_settings,
    "users.get": _users_get,
    "groups.ban": _ban,
    "groups.unban": _unban,
    "wall.deleteComment": _delete_comment("wall.deleteComment"),
    "photos.deleteComment": _delete_comment("photos.deleteComment"),
    "video.deleteComment": _delete_comment("video.deleteComment"),
    "market.deleteComment": _delete_comment("market.deleteComment"),
    "board.deleteComment": _delete_comment("board.deleteComment"),
    "wall.createComment": _create_comment("wall.createComment", "post_id"),
    "photos.createComment": _create_comment("photos.createComment", "photo_id"),
    "video.createComment": _create_comment("video.createComment", "video_id"),
    "market.createComment": _create_comment("market.createComment", "item_id"),
    "board.createComment": _create_comment("board.createComment", "topic_id"),
    "messages.send": _send,
    "messages.edit": _edit,
    "messages.delete": _delete,
    "messages.sendMessageEventAnswer": _event_answer,
    "messages.getConversationMembers": _conversation_members,
    "messages.removeChatUser": _remove_chat_user,
    "docs.getMessagesUploadServer": _docs_upload_server,
    "docs.save": _docs_save,
}
