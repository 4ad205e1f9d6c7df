"""The engine's shortcuts give exactly what the plain, slower formulations give.

Normalisation feeds the trained classifier, so its output must not move by a single character;
each fast path here is compared with the straightforward version it replaced.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation import features, normalize
from moderation.rules.checks import TextCheck

# The whole-text scans the fast paths replaced.
_MIXED_SPOT_PLAIN = re.compile(r"[a-z](?:(?<=[\u0400-\u04ff][a-z])|(?=[\u0400-\u04ff]))|[\u0370-\u03ff]")
_MENTION_PLAIN = re.compile(
    r"(?<![\w.@])@([a-z0-9_]{3,32})\b|\[((?:id|club|public)\d+)\|[^\]]{0,100}\]", re.IGNORECASE
)


def _fold_words_plain(t: str) -> str:
    out: list[str] = []
    pos = 0
    for m in normalize._TROUBLE.finditer(t):
        if m.start() < pos:
            continue
        start = m.start()
        while start > pos and normalize._is_token_char(t[start - 1]):
            start -= 1
        tm = normalize._TOKEN.match(t, start)
        end = tm.end() if tm is not None else m.end()
        out.append(t[pos:start])
        out.append(normalize._fold_token(t[start:end]))
        pos = end
    out.append(t[pos:])
    return "".join(out)


def _caps_ratio_plain(text: str) -> float:
    upper = len(features._UPPER_CHAR.findall(text))
    if upper == 0:
        return 0.0
    letters = len(text) - len(features._NOT_LETTER.findall(text))
    if letters < 6:
        return 0.0
    return min(1.0, upper / letters)


# Letters of both scripts and their look-alikes, leet characters, separators, and the odd
# characters of the Cyrillic and Greek blocks that are not letters (҂, ϶, ;).
_TRICKY = "acopxz аоря ё 0 1 3 4 @ $ | ! _ . - αεσς ϶ ; ҂ ͵ ² ٣ ⅻ ǅ"
_TRICKY_CHARS = [*sorted(set(_TRICKY) - {" "}), " "]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "3apaбoтoк 5000р в день",
        "fr33 m0ney and c4s1n0!!! @user_1",
        "ка҂x ҂x x҂ a϶b ϶a",
        "hеllo wоrld frεε",
        "a!b a|b |a 1a a1 !a",
        "word-with-3 dashes and 2024 год",
        "@3apa6otok $ale",
    ],
)
def test_fold_words_matches_whole_text_scan(text: str) -> None:
    assert normalize._fold_words(text) == _fold_words_plain(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY_CHARS), max_size=40))
def test_fold_words_matches_whole_text_scan_on_any_mix(text: str) -> None:
    assert normalize._fold_words(text) == _fold_words_plain(text)


def _every_string(alphabet: str, longest: int) -> Iterator[str]:
    for n in range(1, longest + 1):
        for chars in itertools.product(alphabet, repeat=n):
            yield "".join(chars)


def test_mixed_spot_finds_the_same_positions() -> None:
    for s in _every_string("az а\u0400\u04ff\u0482 α\u0370\u03ff\u037e 1!", 3):
        fast = [m.span() for m in normalize._MIXED_SPOT.finditer(s)]
        assert fast == [m.span() for m in _MIXED_SPOT_PLAIN.finditer(s)], s


@pytest.mark.parametrize("ch", [chr(i) for i in range(128)])
def test_ascii_letter_bytes_agree_with_the_regex_classes(ch: str) -> None:
    assert (features._NOT_LETTER.match(ch) is None) == (ch.encode() in features._ASCII_LETTERS)
    assert (features._UPPER_CHAR.match(ch) is not None) == (ch.encode() in features._ASCII_UPPER)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(string.printable + "ЖжЁё"), max_size=60))
def test_caps_ratio_matches_character_counting(text: str) -> None:
    assert features._caps_ratio(text) == _caps_ratio_plain(text)


def test_mention_pattern_finds_the_same_mentions() -> None:
    for s in _every_string("@.a_Z1 [|]éд", 5):
        fast = [(m.span(), m.groups()) for m in features._MENTION.finditer(s)]
        assert fast == [(m.span(), m.groups()) for m in _MENTION_PLAIN.finditer(s)], s


# Letters that ``re`` folds together under IGNORECASE, their capitals, "İ" (lower form "i̇"),
# capital sigma (final "ς" in str.lower), the Kelvin sign and capital sharp s.
_FOLDS = list("оОᲂтТᲄᲅдДᲁσΣςiIİıkKKsSſßẞаАa бв\u0307x")
_PATTERN_SETS = [["идиот", "дебил"], ["ΟΔΟΣ", "σος"], ["kit", "sss"], ["straße"], ["ТОТ", "о т"], ["ıs"]]


def _text_checks() -> list[TextCheck]:
    checks = []
    for patterns in _PATTERN_SETS:
        for field, mode in (("body", "includes-word"), ("link", "includes"), ("mention", "full-exact")):
            for case_sensitive in (False, True):
                checks.append(
                    TextCheck(field, field, mode, patterns, case_sensitive=case_sensitive, negate=False)
                )
    return checks


_CHECKS = _text_checks()


@pytest.mark.parametrize("subject", ["ИДИᲂТ", "идиоТ", "ΟΔΟΣ σοΣ", "KIT", "STRAẞE", "İdiot", "тᲅт", "IS"])
def test_text_prefilter_never_hides_a_match(subject: str) -> None:
    for check in _CHECKS:
        if check._plain.search(subject) is not None:
            assert check._may_match(subject), (check._needles, subject)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_FOLDS), max_size=10))
def test_text_prefilter_never_hides_a_match_on_any_mix(subject: str) -> None:
    for check in _CHECKS:
        if check._plain.search(subject) is not None:
            assert check._may_match(subject), (check._needles, subject)


def test_whitespace_other_than_space_is_unprintable() -> None:
    # normalize() skips collapsing whitespace in printable text with single inner spaces only.
    odd = [chr(i) for i in range(0x110000) if chr(i).isspace() and chr(i).isprintable()]
    assert odd == [" "]


@pytest.mark.parametrize("cyrillic", [True, False])
@pytest.mark.parametrize("leet", [True, False])
def test_fold_tables_follow_the_look_alike_then_leet_order(cyrillic: bool, leet: bool) -> None:
    n = normalize
    if cyrillic:
        homo, greek, leetmap = n._LAT_TO_CYR, n._GREEK_TO_CYR, n._LEET_CYR
    else:
        homo, greek, leetmap = n._CYR_TO_LAT, n._GREEK_TO_LAT, n._LEET_LAT
    for ch in {*n._LAT_TO_CYR, *n._CYR_TO_LAT, *n._GREEK_TO_LAT, *n._GREEK_TO_CYR, *"0123456789@$!|жqλ"}:
        expected = homo.get(ch) or greek.get(ch) or (leetmap.get(ch) if leet else None) or ch
        assert ch.translate(n._FOLD_TABLES[cyrillic, leet]) == expected, ch
