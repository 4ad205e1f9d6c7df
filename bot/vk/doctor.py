"""The VK set-up checks behind `dozor doctor`, each problem said in plain words.

Checks that the community token works and belongs to DOZOR_VK_GROUP_ID, its rights
(``groups.getTokenPermissions``), the moderator's user token (valid, and a manager of the
community), and the receiving mode: Long Poll switched on, or a confirmed Callback server, with
API version 5.199 and every event type Dozor uses.
"""

from __future__ import annotations

from typing import Any

from bot.doctor import Report
from bot.vk import EVENT_TYPES
from bot.vk.client import VkClient
from config.settings import VK_API_VERSION, VkMode, VkSettings
from moderation.errors import ActionFailed

NEEDED_RIGHTS = ("manage", "messages")
USEFUL_RIGHTS = {
    "docs": "send /export files to a chat",
    "wall": "answer under posts",
    "photos": "read photos",
}


async def diagnose(settings: VkSettings, client: VkClient | None = None) -> Report:
    """Run every VK check. ``client`` defaults to one built from ``settings`` (closed after)."""
    report = Report(f"VK community {settings.group_id}" if settings.group_id else "VK")
    if not settings.configured or settings.group_id is None:
        report.problems.append("VK is not configured; set DOZOR_VK_GROUP_ID and DOZOR_VK_GROUP_TOKEN")
        return report
    own = client is None
    client = client or VkClient.from_settings(settings, retries=1)
    try:
        if not await _check_group_token(client, settings.group_id, report):
            return report
        await _check_rights(client, report)
        await _check_user_token(client, settings.group_id, report)
        if settings.mode is VkMode.LONGPOLL:
            await _check_long_poll(client, settings.group_id, report)
        else:
            await _check_callback(client, settings, report)
    finally:
        if own:
            await client.close()
    return report


async def _check_group_token(client: VkClient, group_id: int, report: Report) -> bool:
    try:
        answer = await client.call("groups.getById", what="check the community token")
    except ActionFailed as exc:
        report.problems.append(
            f"the community token does not work ({exc}); create a new one in the community's "
            "settings → API usage → access tokens and set DOZOR_VK_GROUP_TOKEN"
        )
        return False
    groups = answer.get("groups", []) if isinstance(answer, dict) else answer
    own = groups[0] if groups else {}
    if int(own.get("id") or 0) != group_id:
        report.problems.append(
            f"DOZOR_VK_GROUP_TOKEN belongs to community {own.get('id')}, not to "
            f"DOZOR_VK_GROUP_ID={group_id}; set the token of the community Dozor should moderate"
        )
        return False
    report.ok.append(f"community token works: {own.get('name', '')} (id {group_id})")
    return True


async def _check_rights(client: VkClient, report: Report) -> None:
    try:
        answer = await client.call("groups.getTokenPermissions", what="read the token's rights")
    except ActionFailed as exc:
        report.problems.append(f"cannot read the community token's rights ({exc})")
        return
    granted = {str(p.get("name")) for p in answer.get("permissions", [])}
    missing = [r for r in NEEDED_RIGHTS if r not in granted]
    if missing:
        report.problems.append(
            f"the community token lacks the rights {', '.join(missing)}; issue a new token with "
            "'community management' and 'community messages' allowed"
        )
    else:
        report.ok.append("community token has the 'manage' and 'messages' rights")
    for right, why in USEFUL_RIGHTS.items():
        if right not in granted:
            report.notes.append(f"the community token has no '{right}' right (needed to {why})")


async def _check_user_token(client: VkClient, group_id: int, report: Report) -> None:
    if not client.has_user_token:
        report.notes.append(
            "DOZOR_VK_USER_TOKEN is not set: VK lets only a moderator's user token delete comments and "
            "ban; those actions wait until it is set"
        )
        return
    try:
        users = await client.call("users.get", token="user", what="check the user token")
    except ActionFailed as exc:
        report.problems.append(
            f"the user token does not work ({exc}); log in as a community moderator and issue a new "
            "token with the wall, photos, video, market, groups and offline rights"
        )
        return
    user_id = str(users[0]["id"]) if users else "?"
    try:
        managers = await client.call(
            "groups.getMembers", {"group_id": group_id, "filter": "managers"}, what="read the managers"
        )
    except ActionFailed as exc:
        report.problems.append(f"cannot read the community's managers ({exc})")
        return
    roles = {str(m.get("id")): m.get("role") for m in managers.get("items", [])}
    if user_id not in roles:
        report.problems.append(
            f"the user token belongs to id{user_id}, who is not a manager of the community; make them a "
            "moderator (community → management → managers) or use a moderator's token"
        )
    else:
        report.ok.append(f"user token works: id{user_id}, {roles[user_id]} of the community")


def _check_events(where: str, api_version: Any, events: dict[str, Any], report: Report) -> None:
    if str(api_version) != VK_API_VERSION:
        report.problems.append(
            f"{where} sends events in API version {api_version}; set it to {VK_API_VERSION}"
        )
    else:
        report.ok.append(f"{where} uses API version {VK_API_VERSION}")
    off = [name for name in EVENT_TYPES if name in events and not events[name]]
    if off:
        report.problems.append(
            f"{where} does not send these event types Dozor needs; switch them on: {', '.join(off)}"
        )
    else:
        report.ok.append(f"{where} sends every event type Dozor needs")


async def _check_long_poll(client: VkClient, group_id: int, report: Report) -> None:
    try:
        found = await client.call("groups.getLongPollSettings", {"group_id": group_id}, what="read Long Poll")
    except ActionFailed as exc:
        report.problems.append(f"cannot read the Long Poll settings ({exc})")
        return
    if not found.get("is_enabled"):
        report.problems.append(
            "Bots Long Poll is off; switch it on in the community's settings → API usage → Long Poll API"
        )
        return
    report.ok.append("Bots Long Poll is on")
    _check_events("Long Poll", found.get("api_version"), found.get("events") or {}, report)


async def _check_callback(client: VkClient, settings: VkSettings, report: Report) -> None:
    group_id = settings.group_id
    try:
        servers = await client.call("groups.getCallbackServers", {"group_id": group_id}, what="read Callback")
    except ActionFailed as exc:
        report.problems.append(f"cannot read the Callback API servers ({exc})")
        return
    mine = [s for s in servers.get("items", []) if str(s.get("url", "")).endswith(settings.callback_path)]
    if not mine:
        report.problems.append(
            f"no Callback API server points at a URL ending in {settings.callback_path}; add Dozor's public "
            "https:// address in the community's settings → API usage → Callback API"
        )
        return
    server = mine[0]
    if server.get("status") != "ok":
        report.problems.append(
            f"the Callback server {server.get('url')} is '{server.get('status')}', not confirmed; "
            "start Dozor and press 'Confirm' on the Callback API page"
        )
    else:
        report.ok.append(f"Callback server {server.get('url')} is confirmed")
    if settings.secret is not None and server.get("secret_key") not in (
        "",
        None,
        settings.secret.get_secret_value(),
    ):
        report.problems.append(
            "the Callback server's secret key differs from DOZOR_VK_SECRET; set the same on both"
        )
    found = await client.call(
        "groups.getCallbackSettings",
        {"group_id": group_id, "server_id": server.get("id")},
        what="read Callback",
    )
    _check_events("the Callback server", found.get("api_version"), found.get("events") or {}, report)
