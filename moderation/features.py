"""Facts about one event that rules and the policy look at: links, mentions, phones, shape, history.

Everything here is cheap, pure and total: ``extract`` never raises on odd text. Links, mentions and
phones are found in the *original* text (NFKC-folded, invisibles removed), because the detection
form squeezes and re-spells letters and would break URLs.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import regex

from moderation.events import Event, Link
from moderation.normalize import normalize
from moderation.repetition import RecentTexts

__all__ = ["INVITE_DOMAINS", "SHORTENER_DOMAINS", "Features", "RecentTexts", "extract", "find_links"]

INVITE_DOMAINS = frozenset(
    {
        "t.me",
        "telegram.me",
        "telegram.dog",
        "vk.me",
        "wa.me",
        "chat.whatsapp.com",
        "discord.gg",
        "discord.com",
    }
)
SHORTENER_DOMAINS = frozenset(
    {
        "bit.ly", "clck.ru", "goo.su", "tinyurl.com", "vk.cc", "t.co", "cutt.ly", "is.gd", "ow.ly",
        "rebrand.ly", "u.to", "qps.ru", "shorturl.at", "rb.gy", "tiny.cc", "goo.gl", "lnkd.in",
        "surl.li", "v.gd", "clc.to", "to.click",
    }
)  # fmt: skip
# Bare domains ("t.me/x", "casino.xyz") are recognised only with a known top-level domain, so
# "т.е." or "e.g." are not links.
_TLDS = (
    "com|ru|me|net|org|io|su|рф|ly|cc|gg|info|biz|xyz|top|online|site|shop|club|pro|link|to|co|us|uk"
    "|de|ua|by|kz|uz|app|dev|tv|fm|ai|gl|at|li|in|am|ge|live|store|click|fun|space|website|icu|vip"
)
_URL = re.compile(
    r"(?:(?:https?|tg)://[^\s<>\"'«»]+)"
    r"|(?:(?<![\w@.])(?:www\.)?(?:[a-zа-яё0-9](?:[a-zа-яё0-9-]{0,61}[a-zа-яё0-9])?\.)+"
    rf"(?:{_TLDS})(?![\w-])(?:/[^\s<>\"'«»]*)?)",
    re.IGNORECASE,
)
_TRAILING_PUNCT = ".,;:!?)]}»\"'"
# "@" before its look-behind (which then spans two characters) lets ``re`` jump from one "@" or
# "[" to the next instead of trying the look-behind at every position.
_MENTION = re.compile(
    r"@(?<![\w.@]@)([a-z0-9_]{3,32})\b|\[((?:id|club|public)\d+)\|[^\]]{0,100}\]", re.IGNORECASE
)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+7|8|7)[\s\-]?\(?\d{3}\)?[\s\-]?\d{3}[\s\-]?\d{2}[\s\-]?\d{2}(?!\d)"
    r"|(?<![\w+])\+\d{1,3}[\s\-]?\(?\d{2,4}\)?(?:[\s\-]?\d{2,4}){2,4}(?!\d)"
)
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]+")
# Cheap stdlib pre-checks that let ordinary text skip the expensive patterns below.
_MAYBE_URL = re.compile(rf"://|\.(?:{_TLDS})(?![\w-])", re.IGNORECASE)
_MAYBE_PHONE = re.compile(r"\d[\d\s\-()]{8,}\d")
_UPPER_CHAR = re.compile(r"[A-ZА-ЯЁ]")
_NOT_LETTER = re.compile(r"[\W\d_]")
# For ASCII text the two classes above are exactly these bytes, and deleting bytes is far cheaper.
_ASCII_UPPER = string.ascii_uppercase.encode()
_ASCII_LETTERS = string.ascii_letters.encode()
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")
_MAYBE_EMOJI = re.compile(r"[^\x00-\u2000]")
_MIXED = re.compile(r"[a-zA-Z](?:(?<=[а-яёА-ЯЁ][a-zA-Z])|(?=[а-яёА-ЯЁ]))")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_MIN_LETTERS_FOR_CAPS = 6  # "OK" or "СПБ" are not shouting


@dataclass(frozen=True, slots=True)
class Features:
    """What the engine knows about an event besides its scores.

    Attributes:
        normalized: the detection form of the text.
        length: characters in the original text.
        links: platform-reported links plus URLs found in the text, deduplicated.
        domains: lowercase domains of ``links`` without "www.", in order, deduplicated.
        mentions: usernames / VK ids mentioned, lowercase, without "@".
        phones: phone numbers written in the text.
        emoji: pictographic characters in the original text.
        caps_ratio: upper-case share of letters (0.0 for texts with fewer than 6 letters).
        mixed_script_words: words mixing Latin and Cyrillic letters in the original text.
        has_invite: a chat invite or profile link (t.me, vk.me, wa.me, discord.gg …).
        has_shortener: a link through a URL shortener (bit.ly, clck.ru, goo.su …).
        newcomer: few messages or little time in the community (see ``extract``).
        repeated: times this normalised text was seen from this author recently, this one included.
        repeated_any: the same across all authors.
        media: media kinds attached.
        forwarded: the item is a forward.
    """

    normalized: str
    length: int = 0
    links: tuple[Link, ...] = ()
    domains: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emoji: int = 0
    caps_ratio: float = 0.0
    mixed_script_words: int = 0
    has_invite: bool = False
    has_shortener: bool = False
    newcomer: bool = False
    repeated: int = 1
    repeated_any: int = 1
    media: tuple[str, ...] = ()
    forwarded: bool = False


def extract(
    event: Event,
    *,
    normalized: str | None = None,
    recent: RecentTexts | None = None,
    now: datetime | None = None,
    newcomer_messages: int = 5,
    newcomer_period: timedelta = timedelta(days=1),
) -> Features:
    """Compute the features of one event.

    Args:
        event: the incoming item.
        normalized: its detection form if already computed (saves a second ``normalize``).
        recent: the caller's repetition window; the text is recorded in it. None: no history.
        now: the current time (defaults to the event's date).
        newcomer_messages: an author with fewer earlier messages than this is a newcomer.
        newcomer_period: an author first seen less than this long ago is a newcomer.

    Returns:
        The event's ``Features``.
    """
    text = event.text or ""
    norm = normalize(text) if normalized is None else normalized
    now = now or event.date
    link_text = unicodedata.normalize("NFKC", text)
    if not link_text.isascii():  # zero-width characters are never ASCII
        link_text = _ZERO_WIDTH.sub("", link_text)
    links = _merge_links(event.content.links, find_links(link_text))
    domains = tuple(dict.fromkeys(link.domain for link in links if link.domain))
    author = event.author
    newcomer = author.message_count < newcomer_messages
    if not newcomer and author.first_seen is not None:
        newcomer = _age(now, author.first_seen) < newcomer_period
    repeated = repeated_any = 1
    if recent is not None:
        repeated, repeated_any = recent.observe(author.id, norm, now)
    return Features(
        normalized=norm,
        length=len(text),
        links=links,
        domains=domains,
        mentions=_mentions(event.content.mentions, link_text),
        phones=_phones(link_text),
        emoji=0 if text.isascii() or _MAYBE_EMOJI.search(text) is None else len(_EMOJI.findall(text)),
        caps_ratio=_caps_ratio(text),
        mixed_script_words=_mixed_words(link_text),
        has_invite=any(_is_invite(link) for link in links),
        has_shortener=any(d in SHORTENER_DOMAINS for d in domains),
        newcomer=newcomer,
        repeated=repeated,
        repeated_any=repeated_any,
        media=tuple(event.content.media),
        forwarded=event.content.forwarded,
    )


def find_links(text: str) -> tuple[Link, ...]:
    """Find URLs in text: schemes, ``www.`` and bare domains with a known TLD (``t.me/x``).

    Args:
        text: original (not normalised) text.

    Returns:
        Links in order of appearance with their lowercase domain.
    """
    found: list[Link] = []
    if _MAYBE_URL.search(text) is None:
        return ()
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(_TRAILING_PUNCT)
        found.append(Link(url=url, domain=domain_of(url)))
    return tuple(found)


def domain_of(url: str) -> str:
    """The lowercase host of a URL without "www." and port, e.g. ``"bit.ly"``; "" if none."""
    rest = url.split("://", 1)[1] if "://" in url else url
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return host.removeprefix("www.").rstrip(".")


def _merge_links(reported: tuple[Link, ...], found: tuple[Link, ...]) -> tuple[Link, ...]:
    seen: dict[str, Link] = {}
    for link in (*reported, *found):
        key = link.url.lower().rstrip("/").split("://", 1)[-1]
        if key not in seen:
            domain = link.domain.lower().removeprefix("www.") if link.domain else domain_of(link.url)
            seen[key] = Link(url=link.url, domain=domain)
    return tuple(seen.values())


def _is_invite(link: Link) -> bool:
    if link.url.lower().startswith("tg://"):
        return True
    if link.domain == "discord.com":
        return "/invite/" in link.url.lower()
    return link.domain in INVITE_DOMAINS


def _mentions(reported: tuple[str, ...], text: str) -> tuple[str, ...]:
    names = [m.lower().lstrip("@") for m in reported]
    if "@" not in text and "[" not in text:
        return tuple(dict.fromkeys(names))
    for m in _MENTION.finditer(text):
        names.append((m.group(1) or m.group(2)).lower())
    return tuple(dict.fromkeys(names))


def _phones(text: str) -> tuple[str, ...]:
    if _MAYBE_PHONE.search(text) is None:
        return ()
    return tuple(m.group(0) for m in _PHONE.finditer(text))


def _caps_ratio(text: str) -> float:
    if text.isascii():
        raw = text.encode("ascii")
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
        if upper == 0:
            return 0.0
        letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    else:
        upper = len(_UPPER_CHAR.findall(text))
        if upper == 0:
            return 0.0
        letters = len(text) - len(_NOT_LETTER.findall(text))
    if letters < _MIN_LETTERS_FOR_CAPS:
        return 0.0
    return min(1.0, upper / letters)


def _mixed_words(text: str) -> int:
    if text.isascii() or _MIXED.search(text) is None:
        return 0
    return sum(
        1 for w in _WORD.findall(text) if _LATIN.search(w) is not None and _CYRILLIC.search(w) is not None
    )


def _age(now: datetime, then: datetime) -> timedelta:
    # Platforms give aware datetimes; tests and old rows may not. Treat naive as UTC.
    if (now.tzinfo is None) != (then.tzinfo is None):
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
        then = then if then.tzinfo else then.replace(tzinfo=UTC)
    return now - then
