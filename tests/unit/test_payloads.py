"""Request bodies at the edge: ``parse_json_object`` refuses with a reason, ``scrub`` makes text storable."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.payloads import MAX_DEPTH, BadPayload, parse_json_object, scrub
from tests import hostile

LIMIT = 1024 * 1024


def _nest(levels: int) -> bytes:
    """An object whose ``a`` is ``levels - 1`` nested arrays: ``levels`` levels in all."""
    return b'{"a":' + b"[" * (levels - 1) + b"]" * (levels - 1) + b"}"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"text": "caf\xe9"}', "not UTF-8"),
        (b"", "not JSON"),
        (b"{'single': 'quotes'}", "not JSON"),
        (b'{"a": 1', "not JSON"),
        (b'{"a": NaN}', "NaN is not a JSON value"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON value"),
        (b'{"a": ' + b"9" * 5000 + b"}", "not JSON"),
        (b"[1, 2]", "not list"),
        (b'"text"', "not str"),
        (b"null", "not NoneType"),
        (b'{"a": "' + b"x" * LIMIT + b'"}', "the limit is 1048576"),
        (hostile.deeply_nested_json(), f"deeper than {MAX_DEPTH} levels"),
        (b'{"a": ' + b"[" * 100_000 + b"}", f"deeper than {MAX_DEPTH} levels"),
        (b'{"a": [' + b"[1]," * 5000 + b"[" * 65 + b"]" * 65 + b"]}", f"deeper than {MAX_DEPTH} levels"),
        (b'{"a": [' + b"[[]" * 100_000 + b"]" * 100_000 + b"]}", f"deeper than {MAX_DEPTH} levels"),
        (_nest(MAX_DEPTH + 1), f"deeper than {MAX_DEPTH} levels"),
        (b'{"a": "' + b'\\"' * 100_000 + b"[" * 100, "not JSON"),
    ],
    ids=[
        "bad-utf8",
        "latin1",
        "empty",
        "single-quotes",
        "truncated",
        "nan",
        "infinity",
        "5000-digit-int",
        "array",
        "string",
        "null",
        "too-large",
        "100k-deep-array",
        "100k-unclosed",
        "deep-after-shallow",
        "deep-staircase",
        "one-level-too-deep",
        "unterminated-escapes",
    ],
)
def test_bad_bodies_are_refused_with_the_reason(body: bytes, reason: str) -> None:
    with pytest.raises(BadPayload, match=re.escape(reason)):
        parse_json_object(body, max_bytes=LIMIT)


@pytest.mark.parametrize(
    "body",
    [
        b'{"update_id": 1, "message": {"text": "hi", "chat": {"id": -100}}}',
        _nest(MAX_DEPTH),
        b'{"text": "' + b"[" * 10_000 + b'{{{ \\" [[["}',  # brackets inside a string are text
        b'{"t": "\\\\", "u": "\\\\\\"' + b"[" * 100 + b'"}',  # escaped backslash, then quote
        b'{"text": "\\u0000 \\ud800 \xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82"}',
        b'{"list": [' + b"[1], " * 10_000 + b"[2]]}",
    ],
    ids=["update", "deepest-allowed", "brackets-in-text", "backslashes", "escapes-and-cyrillic", "wide"],
)
def test_good_bodies_decode_as_json_does(body: bytes) -> None:
    assert parse_json_object(body, max_bytes=LIMIT) == json.loads(body)


def test_bad_payload_is_a_value_error() -> None:
    assert issubclass(BadPayload, ValueError)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a\x00b", "a\ufffdb"),
        ("\ud800", "\ufffd"),
        ("x\udfffy", "x\ufffdy"),
        ("\ud83d\ude00", "😀"),  # a pair written as two code points is the character it encodes
        ("\ude00\ud83d", "\ufffd\ufffd"),  # the wrong order is no pair
        ({"n\x00ame": ["ok", "\ud800", 1, None, True]}, {"n\ufffdame": ["ok", "\ufffd", 1, None, True]}),
        ({"a": {"b": {"c": "\x00"}}, "d": "clean"}, {"a": {"b": {"c": "\ufffd"}}, "d": "clean"}),
        (3.5, 3.5),
    ],
)
def test_scrub_replaces_nul_and_lone_surrogates(value: Any, expected: Any) -> None:
    assert scrub(value) == expected


def test_scrub_returns_clean_values_themselves_and_leaves_the_input_alone() -> None:
    clean = {"update_id": 1, "message": {"text": "привет 😀", "entities": [{"type": "bold"}]}}
    assert scrub(clean) is clean
    dirty = {"keep": {"x": [1]}, "text": "a\x00", "after": ["b"]}
    out = scrub(dirty)
    assert dirty["text"] == "a\x00"  # the input is not modified
    assert out["keep"] is dirty["keep"] and out["after"] is dirty["after"]  # clean parts are shared
    assert list(out) == ["keep", "text", "after"]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@given(_json)
def test_scrubbed_values_encode_to_utf8_without_nul(value: Any) -> None:
    out = scrub(value)
    for text in _strings(out):
        assert "\x00" not in text
        text.encode("utf-8")  # raises on any surrogate left
    assert scrub(out) is out  # scrubbing is idempotent and the second pass copies nothing


@given(_json)
def test_storable_text_comes_through_unchanged(value: Any) -> None:
    storable = all("\x00" not in s and not re.search("[\ud800-\udfff]", s) for s in _strings(value))
    if storable:
        assert scrub(value) is value


@given(_json)
def test_any_shallow_json_object_round_trips(value: Any) -> None:
    body = json.dumps({"v": value}).encode()
    assert parse_json_object(body, max_bytes=LIMIT) == {"v": value}


@given(st.binary(max_size=300) | st.text(alphabet='[]{}"\\:,1a ', max_size=300).map(str.encode))
def test_any_body_decodes_as_json_does_or_is_refused(body: bytes) -> None:
    try:
        value = parse_json_object(body, max_bytes=LIMIT)
    except BadPayload:
        return
    assert value == json.loads(body)
