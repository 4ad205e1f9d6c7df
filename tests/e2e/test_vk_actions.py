"""``VkActions`` against the fake VK API: the right method, token and parameters for each action."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.vk.actions import VkActions
from bot.vk.client import VkClient
from bot.vk.messages import random_id
from moderation.actions import Ban, Delete, Restrict
from moderation.errors import ActionFailed
from moderation.events import EventKind
from moderation.ports import Button, ChatRole, Done
from tests.e2e.fake_vk import GROUP_ID, GROUP_TOKEN, FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER

WALL = str(-GROUP_ID)
G = str(GROUP_ID)
CHAT = str(CHAT_PEER)


@pytest.fixture
def actions(vk_client: VkClient) -> VkActions:
    return VkActions(vk_client, GROUP_ID)


@pytest.mark.parametrize(
    ("kind", "method"),
    [
        (EventKind.VK_WALL_COMMENT, "wall.deleteComment"),
        (EventKind.VK_PHOTO_COMMENT, "photos.deleteComment"),
        (EventKind.VK_VIDEO_COMMENT, "video.deleteComment"),
        (EventKind.VK_MARKET_COMMENT, "market.deleteComment"),
    ],
)
async def test_a_comment_is_deleted_on_its_own_surface_with_the_user_token(
    vk: FakeVk, actions: VkActions, kind: EventKind, method: str
) -> None:
    await actions.delete_messages(WALL, ["501"], kind=kind.value, thread_id="77")
    assert vk.deleted == [(method, -GROUP_ID, 501)]
    [call] = vk.call_log(method)
    assert call.token == "user" and call.params["owner_id"] == WALL


async def test_a_board_post_is_deleted_with_the_community_token(vk: FakeVk, actions: VkActions) -> None:
    await actions.delete_messages(WALL, ["12"], kind=EventKind.VK_BOARD_COMMENT.value, thread_id="39000001")
    [call] = vk.call_log("board.deleteComment")
    assert call.token == "group"
    assert (call.params["group_id"], call.params["topic_id"], call.params["comment_id"]) == (
        G,
        "39000001",
        "12",
    )


async def test_chat_messages_are_deleted_for_all_by_conversation_message_id(
    vk: FakeVk, actions: VkActions
) -> None:
    await actions.delete_messages(CHAT, ["41", "42"], kind=EventKind.VK_CHAT_MESSAGE.value)
    [call] = vk.call_log("messages.delete")
    assert call.token == "group"
    assert (call.params["peer_id"], call.params["cmids"], call.params["delete_for_all"]) == (
        CHAT,
        "41,42",
        "1",
    )
    assert vk.deleted == [("messages.delete", CHAT_PEER, 41), ("messages.delete", CHAT_PEER, 42)]


async def test_a_delete_without_a_surface_is_refused(actions: VkActions) -> None:
    with pytest.raises(ActionFailed) as err:
        await actions.delete_messages(WALL, ["1"])
    assert err.value.permanent


async def test_a_too_old_chat_message_is_a_permanent_failure(vk: FakeVk, actions: VkActions) -> None:
    vk.fail_next("messages.delete", 924)
    with pytest.raises(ActionFailed) as err:
        await actions.delete_messages(CHAT, ["41"], kind=EventKind.VK_CHAT_MESSAGE.value)
    assert err.value.permanent and "delete it by hand" in str(err.value)


async def test_without_a_user_token_a_comment_delete_waits_for_one(vk: FakeVk) -> None:
    client = VkClient(GROUP_TOKEN, api_url=vk.api_url)
    try:
        with pytest.raises(ActionFailed) as err:
            await VkActions(client, GROUP_ID).delete_messages(
                WALL, ["1"], kind=EventKind.VK_WALL_COMMENT.value
            )
        assert err.value.needs == "vk_user_token" and vk.deleted == []
        client.set_user_token(vk.user_token)  # the operator sets it; the kept action now runs
        await VkActions(client, GROUP_ID).delete_messages(WALL, ["1"], kind=EventKind.VK_WALL_COMMENT.value)
    finally:
        await client.close()
    assert vk.deleted == [("wall.deleteComment", -GROUP_ID, 1)]


async def test_an_expired_user_token_is_error_5_and_waits_for_a_new_one(
    vk: FakeVk, actions: VkActions
) -> None:
    vk.fail_next("wall.deleteComment", 5)
    with pytest.raises(ActionFailed) as err:
        await actions.delete_messages(WALL, ["1"], kind=EventKind.VK_WALL_COMMENT.value)
    assert err.value.needs == "vk_user_token" and not err.value.permanent


async def test_a_timed_ban_is_vks_mute_and_a_ban_for_good_has_no_end(vk: FakeVk, actions: VkActions) -> None:
    until = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    await actions.restrict(G, "5550001", until)
    assert vk.bans[5550001]["end_date"] == str(int(until.timestamp()))
    await actions.ban(G, "5550002", None, reason=1, comment="spam links")
    ban = vk.bans[5550002]
    assert "end_date" not in ban and (ban["reason"], ban["comment"], ban["comment_visible"]) == (
        "1",
        "spam links",
        "1",
    )
    assert {c.token for c in vk.call_log("groups.ban")} == {"user"}
    await actions.unrestrict(G, "5550001")
    await actions.unban(G, "5550002")
    assert vk.bans == {}


async def test_a_ban_in_a_chat_removes_the_user_from_it(vk: FakeVk, actions: VkActions) -> None:
    vk.add_chat(CHAT_PEER, {5550001: False, 5550009: True})
    await actions.ban(CHAT, "5550001", None)
    assert vk.calls("messages.removeChatUser") == [{"chat_id": "1", "member_id": "5550001", "v": "5.199"}]
    assert 5550001 not in vk.chats[CHAT_PEER]


async def test_a_reply_under_a_wall_post_is_a_comment_as_the_community_posted_once(
    vk: FakeVk, actions: VkActions
) -> None:
    kind = EventKind.VK_WALL_COMMENT.value
    first = await actions.send_message(
        WALL, "removed: spam", reply_to="501", thread_id="77", kind=kind, dedup_key="dozor-outbox-7"
    )
    again = await actions.send_message(
        WALL, "removed: spam", reply_to="501", thread_id="77", kind=kind, dedup_key="dozor-outbox-7"
    )
    assert first == again and len(vk.comments) == 1
    [call, _] = vk.call_log("wall.createComment")
    assert call.token == "group"
    assert call.params["from_group"] == G and call.params["reply_to_comment"] == "501"
    assert (call.params["owner_id"], call.params["post_id"], call.params["guid"]) == (
        WALL,
        "77",
        "dozor-outbox-7",
    )


async def test_a_reply_under_a_photo_goes_with_the_user_token_as_the_community(
    vk: FakeVk, actions: VkActions
) -> None:
    await actions.send_message(WALL, "hi", thread_id="457239017", kind=EventKind.VK_PHOTO_COMMENT.value)
    [call] = vk.call_log("photos.createComment")
    assert (
        call.token == "user" and call.params["from_group"] == "1" and call.params["photo_id"] == "457239017"
    )


async def test_a_card_in_a_chat_has_callback_buttons_and_is_sent_once(vk: FakeVk, actions: VkActions) -> None:
    vk.add_chat(CHAT_PEER, {5550009: True})
    buttons = [[Button("Delete", "esc:1:delete"), Button("Keep", "esc:1:keep")]]
    cmid = await actions.send_message(CHAT, "a complaint", buttons=buttons, dedup_key="dozor-outbox-9")
    again = await actions.send_message(CHAT, "a complaint", buttons=buttons, dedup_key="dozor-outbox-9")
    assert cmid == again == "1" and len(vk.messages) == 1
    params = vk.calls("messages.send")[0]
    assert params["random_id"] == str(random_id("dozor-outbox-9")) and params["peer_ids"] == CHAT
    board = json.loads(params["keyboard"])
    assert board["inline"] is True
    assert [json.loads(b["action"]["payload"]) for b in board["buttons"][0]] == [
        {"d": "esc:1:delete"},
        {"d": "esc:1:keep"},
    ]
    assert {b["action"]["type"] for b in board["buttons"][0]} == {"callback"}


async def test_editing_a_card_replaces_text_and_removes_buttons(vk: FakeVk, actions: VkActions) -> None:
    vk.add_chat(CHAT_PEER, {5550009: True})
    cmid = await actions.send_message(CHAT, "a complaint", buttons=[[Button("Delete", "esc:1:delete")]])
    await actions.edit_message(CHAT, cmid, "deleted by id5550009")
    message = vk.messages[(CHAT_PEER, int(cmid))]
    assert message["text"] == "deleted by id5550009" and json.loads(message["keyboard"])["buttons"] == []
    assert vk.calls("messages.edit")[0]["cmid"] == cmid


async def test_a_button_press_is_answered_with_a_snackbar(vk: FakeVk, actions: VkActions) -> None:
    await actions.answer_callback(f"abc123:5550009:{CHAT}", "Done", alert=True)
    [answer] = vk.event_answers
    assert (answer["event_id"], answer["user_id"], answer["peer_id"]) == ("abc123", "5550009", CHAT)
    assert json.loads(answer["event_data"]) == {"type": "show_snackbar", "text": "Done"}


async def test_roles_of_managers_are_cached_and_refreshed(vk: FakeVk, actions: VkActions) -> None:
    vk.managers = {5550009: "moderator", 1: "creator", 2: "editor"}
    assert await actions.get_role(G, "5550009") == ChatRole(is_admin=True, can_delete=True, can_restrict=True)
    assert (await actions.get_role(G, "1")).is_owner
    assert (await actions.get_role(G, "2")).can_restrict is False
    assert await actions.get_role(G, "5550001") == ChatRole()
    assert len(vk.calls("groups.getMembers")) == 1  # cached
    vk.managers[5550001] = "moderator"
    await actions.refresh_managers()  # on group_officers_edit
    assert (await actions.get_role(G, "5550001")).is_admin
    assert vk.calls("groups.getMembers")[0]["filter"] == "managers"


async def test_chat_admins_come_from_the_chat_members(vk: FakeVk, actions: VkActions) -> None:
    vk.add_chat(CHAT_PEER, {5550009: True, 5550001: False})
    assert (await actions.get_role(CHAT, "5550009")).is_admin
    assert not (await actions.get_role(CHAT, "5550001")).is_admin
    assert await actions.get_role(CHAT, "42") == ChatRole()


async def test_a_document_is_uploaded_to_a_chat(vk: FakeVk, actions: VkActions) -> None:
    vk.add_chat(CHAT_PEER, {5550009: True})
    cmid = await actions.send_document(CHAT, "export.csv", b"id,text\n1,spam\n", caption="cases")
    assert cmid == "1"
    [upload] = vk.uploads.values()
    assert upload == {"filename": "export.csv", "content": b"id,text\n1,spam\n"}
    assert vk.calls("messages.send")[0]["attachment"].startswith(f"doc{-GROUP_ID}_")


@pytest.mark.parametrize("chat_id", [WALL, G])
async def test_an_answer_without_its_comment_surface_is_refused_not_sent_to_a_user(
    vk: FakeVk, actions: VkActions, chat_id: str
) -> None:
    with pytest.raises(ActionFailed) as err:
        await actions.send_message(chat_id, "thanks for the report", reply_to="501")
    assert err.value.permanent and "kind=" in str(err.value)
    assert vk.calls("messages.send") == []


async def test_deleting_a_comment_that_is_already_gone_is_done(vk: FakeVk, actions: VkActions) -> None:
    vk.fail_next("wall.deleteComment", 104, "Not found")
    await actions.delete_messages(WALL, ["501"], kind=EventKind.VK_WALL_COMMENT.value, thread_id="77")
    vk.fail_next("wall.deleteComment", 211, "Access to wall's comment denied")
    with pytest.raises(ActionFailed) as err:
        await actions.delete_messages(WALL, ["502"], kind=EventKind.VK_WALL_COMMENT.value, thread_id="77")
    assert err.value.permanent


# --- execute: up to 25 removals and bans in one request ---------------------------------------
async def test_removals_and_bans_of_one_token_go_together_through_execute(
    vk: FakeVk, actions: VkActions
) -> None:
    wall, photo = EventKind.VK_WALL_COMMENT.value, EventKind.VK_PHOTO_COMMENT.value
    batch = [Delete(WALL, (str(700 + n),), wall, "77") for n in range(20)] + [
        Delete(WALL, ("801",), photo, "457"),
        Ban(G, "5550001"),
        Restrict(G, "5550002", datetime(2030, 1, 1, tzinfo=UTC)),
    ]
    assert {actions.batch_key(a) for a in batch} == {("user", True), ("user", False)}
    assert actions.batch_key(Delete(CHAT, ("5",))) is None  # chat messages: messages.delete of its own
    vk.fail_next("wall.deleteComment", 15)  # one of them refused: only it fails
    outcomes = await actions.perform(batch, [None] * len(batch))
    [request] = vk.call_log("execute")
    assert request.token == "user"
    inner = [c for c in vk.call_log() if c.execute == 1]
    assert [c.method for c in inner] == ["wall.deleteComment"] * 20 + [
        "photos.deleteComment",
        "groups.ban",
        "groups.ban",
    ]
    assert isinstance(outcomes[0], ActionFailed) and "15" in str(outcomes[0])
    assert outcomes[1:] == [Done()] * (len(batch) - 1)
    assert inner[-1].params["end_date"] == str(int(datetime(2030, 1, 1, tzinfo=UTC).timestamp()))
    assert vk.bans[5550001]["group_id"] == G


async def test_a_batch_without_the_moderators_token_waits_for_it(vk: FakeVk, vk_client: VkClient) -> None:
    vk_client.set_user_token(None)
    actions = VkActions(vk_client, GROUP_ID)
    batch = [Delete(WALL, (str(n),), EventKind.VK_WALL_COMMENT.value, "77") for n in (1, 2)]
    with pytest.raises(ActionFailed) as info:
        await actions.perform(batch, [None, None])
    assert info.value.needs == "vk_user_token" and vk.call_log("execute") == []
