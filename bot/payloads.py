"""Untrusted platform payloads at the edge: cleaned before storage."""

from __future__ import annotations

import json
import re
from typing import Any

# NUL cannot be stored in PostgreSQL text; a lone surrogate cannot be encoded as UTF-8 at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def scrub(value: Any) -> Any:
    """``value`` with NUL and lone surrogates replaced by U+FFFD in every string (keys too)."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


class BadPayload(ValueError):
    """A request body that is not a JSON object Dozor can take; the message says why."""


MAX_DEPTH = 64


def parse_json_object(body: bytes, *, max_bytes: int) -> dict[str, Any]:
    """Parse a request body as one JSON object, refusing what would hurt the service.

    Raises:
        BadPayload: too large, not UTF-8, nested deeper than ``MAX_DEPTH``, not JSON, not an object.
    """
    if len(body) > max_bytes:
        raise BadPayload(f"body is {len(body)} bytes; at most {max_bytes} are accepted")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadPayload(f"body is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if _depth(text) > MAX_DEPTH:
        raise BadPayload(f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise BadPayload(f"body is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise BadPayload("body is not a JSON object")
    return value


_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings (before json.loads may recurse on it)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
        elif token in "]}":
            depth -= 1
    return deepest
