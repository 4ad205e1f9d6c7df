"""Platform payloads at the edge: JSON bodies read safely, and text made storable.

Used by every platform's HTTP entry point (the Telegram webhook, the VK Callback API). Two kinds
of hostile input are handled here, before anything is stored:

- bodies ``json.loads`` cannot take safely: the C decoder recurses once per ``[`` or ``{``, so a
  100k-deep array raises ``RecursionError`` (an HTTP 500) — ``parse_json_object`` measures the
  depth first, without recursion, and answers ``BadPayload`` instead;
- text a database cannot store: PostgreSQL refuses NUL in text and JSON, and neither SQLite nor
  PostgreSQL can encode a lone UTF-16 surrogate (``"\\ud800"`` is valid JSON) — ``scrub``
  replaces both with U+FFFD so the message is still stored and moderated.
"""

from __future__ import annotations

import json
import re
from itertools import islice
from typing import Any

import numpy as np  # the classifier loads it anyway; cumsum is 20x faster than itertools here

__all__ = ["MAX_DEPTH", "BadPayload", "parse_json_object", "scrub"]

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted; Telegram and VK updates use fewer than 10."""

# Opening brackets become +1, closing ones -1 (as signed bytes); every other byte is dropped.
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKET = bytes(set(range(256)) - set(b"[]{}"))
# NUL, and any surrogate code point: in a Python str a surrogate is never part of valid text.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_REPLACEMENT = "\ufffd"


class BadPayload(ValueError):
    """A request body that is not a JSON object Dozor can take; the message says why."""


def parse_json_object(body: bytes, *, max_bytes: int, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """Decode a request body that must be one JSON object.

    Args:
        body: the raw request body.
        max_bytes: the largest body accepted.
        max_depth: the deepest nesting of arrays and objects accepted.

    Returns:
        The decoded object.

    Raises:
        BadPayload: too large, not UTF-8, not JSON, nested too deep, or not an object.
    """
    if len(body) > max_bytes:
        raise BadPayload(f"body is {len(body)} bytes; the limit is {max_bytes}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadPayload(f"body is not UTF-8 (bad byte at offset {exc.start})") from None
    _check_depth(body, max_depth)
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except BadPayload:
        raise
    except RecursionError:  # _check_depth makes this unreachable; a 500 must never be the answer
        raise BadPayload(f"JSON nested deeper than {max_depth} levels") from None
    except ValueError as exc:  # JSONDecodeError, or an integer of more than 4,300 digits
        raise BadPayload(f"body is not JSON ({exc})") from None
    if not isinstance(value, dict):
        raise BadPayload(f"body must be a JSON object, not {type(value).__name__}")
    return value


def _check_depth(body: bytes, max_depth: int) -> None:
    """Refuse nesting deeper than ``max_depth`` without recursing (C-speed passes over the body)."""
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return  # too few brackets to nest that deep: the usual case, decided in microseconds
    steps = _outside_strings(body).translate(_STEP, _NOT_BRACKET)
    # The depth json.loads would recurse to is the largest running sum of the steps; brackets
    # that do not balance only make it fail sooner. A run of openers is the common attack.
    if b"\x01" * (max_depth + 1) in steps or _deepest(steps) > max_depth:
        raise BadPayload(f"JSON nested deeper than {max_depth} levels")


def _deepest(steps: bytes) -> int:
    """The largest running sum of ``steps`` read as signed bytes (+1 / -1)."""
    if not steps:
        return 0
    return int(np.frombuffer(steps, dtype=np.int8).cumsum(dtype=np.int64).max())


def _outside_strings(body: bytes) -> bytes:
    """The bytes of ``body`` that are not inside a JSON string, so brackets in text do not count.

    Escaped backslashes go first, then escaped quotes: backslashes pair up left to right exactly as
    the JSON decoder reads them, so every quote left opens or closes a string. Plain ``bytes``
    methods keep every step linear and in C. Working on UTF-8 bytes is safe: no byte of a
    multi-byte character is an ASCII quote, backslash or bracket.
    """
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    return b"".join(unescaped.split(b'"')[::2])


def _refuse_constant(name: str) -> None:
    # NaN and Infinity are not JSON, and PostgreSQL's json type refuses them when stored.
    raise BadPayload(f"body is not JSON ({name} is not a JSON value)")


def scrub(value: Any) -> Any:
    """A copy of a JSON value whose every string (keys too) can be stored.

    NUL and lone UTF-16 surrogates become U+FFFD; a surrogate pair written as two code points
    becomes the one character it encodes. Containers and strings with nothing to change are
    returned as they are, so a clean payload costs one walk and no copies.

    Args:
        value: a decoded JSON value (dict, list, str, number, bool or None).

    Returns:
        ``value`` itself when nothing needed changing, otherwise a scrubbed copy.
    """
    if isinstance(value, str):
        return _scrub_text(value)
    if isinstance(value, dict):
        return _scrub_dict(value)
    if isinstance(value, list):
        return _scrub_list(value)
    return value


def _scrub_text(text: str) -> str:
    if _UNSTORABLE.search(text) is None:
        return text
    if "\x00" in text:
        text = text.replace("\x00", _REPLACEMENT)
    # UTF-16 round trip: valid pairs join into their character, lone halves decode as U+FFFD.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _scrub_dict(value: dict[Any, Any]) -> dict[Any, Any]:
    copy: dict[Any, Any] | None = None
    for i, (key, item) in enumerate(value.items()):
        new_key = _scrub_text(key) if isinstance(key, str) else key
        new_item = scrub(item)
        if copy is None and (new_key is not key or new_item is not item):
            copy = dict(islice(value.items(), i))
        if copy is not None:
            copy[new_key] = new_item
    return value if copy is None else copy


def _scrub_list(value: list[Any]) -> list[Any]:
    copy: list[Any] | None = None
    for i, item in enumerate(value):
        new_item = scrub(item)
        if copy is None and new_item is not item:
            copy = value[:i]
        if copy is not None:
            copy.append(new_item)
    return value if copy is None else copy
