"""Facts about one Telegram message: who wrote it and what it carries besides its text."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiogram.types import Chat, Message, MessageEntity, User

from moderation.events import Author, Content, Link

ANONYMOUS_ADMIN_ID = 1087968824  # GroupAnonymousBot: an admin posting as the group itself
SERVICE_USER_ID = 777000  # "Telegram": posts auto-forwarded from a linked channel

# Message fields that carry media, in the order reported; ``animation`` messages also carry
# ``document`` (Telegram's backwards compatibility), so a document is reported only without one.
_MEDIA_FIELDS: tuple[str, ...] = (
    "photo",
    "video",
    "animation",
    "sticker",
    "document",
    "voice",
    "audio",
    "video_note",
    "poll",
    "location",
    "venue",
    "story",
    "game",
    "paid_media",
    "dice",
)


def message_text(message: Message) -> str:
    """The text a person sees: the message text, or a media caption."""
    return message.text or message.caption or ""


def message_entities(message: Message) -> list[MessageEntity]:
    return list(message.entities or message.caption_entities or [])


def author_of(message: Message) -> Author:
    """The author as Dozor sees it.

    An anonymous admin (GroupAnonymousBot with ``sender_chat`` equal to the chat) is an admin.
    A message posted as another channel or chat is authored by that chat (``is_sender_chat``),
    so that a ban bans the sender chat. A linked channel answering under its own post (a reply
    to its automatic forward) is treated as an admin.
    """
    sender_chat = message.sender_chat
    if sender_chat is not None and sender_chat.id == message.chat.id:
        user = message.from_user
        return Author(
            id=str(user.id if user else ANONYMOUS_ADMIN_ID),
            name=message.author_signature or sender_chat.title or "Anonymous admin",
            is_admin=True,
            is_anonymous_admin=True,
            is_bot=False,
        )
    if sender_chat is not None:
        replied = message.reply_to_message
        own_channel = bool(
            replied is not None
            and replied.is_automatic_forward
            and replied.sender_chat is not None
            and replied.sender_chat.id == sender_chat.id
        )
        return Author(
            id=str(sender_chat.id),
            name=chat_name(sender_chat),
            is_admin=own_channel,
            is_sender_chat=True,
        )
    user = message.from_user
    if user is None:  # not expected in groups; keeps the translator total
        return Author(id=str(message.chat.id), name=chat_name(message.chat))
    return user_author(user)


def user_author(user: User) -> Author:
    return Author(id=str(user.id), name=user_name(user), is_bot=user.is_bot)


def user_name(user: User) -> str:
    name = user.full_name
    return f"{name} (@{user.username})" if user.username else name


def chat_name(chat: Chat) -> str:
    if chat.title:
        return chat.title
    if chat.username:
        return f"@{chat.username}"
    return " ".join(p for p in (chat.first_name, chat.last_name) if p) or str(chat.id)


def content_of(message: Message) -> Content:
    """Links, mentions, media kinds and other facts the platform reported."""
    text = message_text(message)
    links: list[Link] = []
    mentions: list[str] = []
    for entity in message_entities(message):
        if entity.type == "url":
            links.append(make_link(entity.extract_from(text)))
        elif entity.type == "text_link" and entity.url:
            links.append(make_link(entity.url))
        elif entity.type == "mention":
            mentions.append(entity.extract_from(text))
        elif entity.type == "text_mention" and entity.user is not None:
            mentions.append(str(entity.user.id))
    media = [name for name in _MEDIA_FIELDS if getattr(message, name, None) is not None]
    if "animation" in media and "document" in media:
        media.remove("document")
    return Content(
        links=tuple(links),
        mentions=tuple(mentions),
        media=tuple(media),
        forwarded=message.forward_origin is not None,
        has_keyboard=message.reply_markup is not None,
        has_contact=message.contact is not None,
    )


def make_link(url: str) -> Link:
    """A link with its domain: lower-case host without ``www.``; bare ``example.com/x`` works."""
    url = url.strip()
    target = url if "://" in url else f"http://{url}"
    try:
        host = urlsplit(target).hostname or ""
    except ValueError:  # malformed (e.g. a bad IPv6 literal): keep the link, no domain
        host = ""
    host = host.lower().rstrip(".")
    return Link(url=url, domain=host.removeprefix("www."))
