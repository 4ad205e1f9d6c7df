"""Text normalisation: the *detection form* of a message, the one rules and the classifier see.

The original text is kept by the caller; this form exists only to make evasion expensive.
``normalize`` applies, in order:

1. Unicode NFKC (fullwidth, mathematical and circled letters become plain ones) and casefold.
2. Invisible characters removed: zero-width and bidi controls (Cf), combining marks (Mn, Me —
   "з̶а̶р̶а̶б̶о̶т̶о̶к̶" zalgo/strike-through), private-use and control characters.
3. Emoji and decorative symbols (So, Sk) removed between two letters ("куп🔥ите" → "купите"),
   replaced by a space elsewhere. Currency and maths symbols stay: "$" and "+7" carry meaning.
4. Whitespace collapsed to single spaces.
5. Spaced-out letters joined: "к у п и т е" → "купите", "f.r.e.e" → "free" (3+ single characters
   with the same separator; three spaced *real* one-letter words such as "а я и" are left alone).
6. Masked and broken words mended (before leetspeak, which would read "п@здец" as "паздец"): a
   swear word masked with ``*``, ``?``, ``@``, digits or an inserted decoy folds to its root
   (``moderation.abuse.unmask``: "х*йня", "пе?здец", "f**k"), and a word broken by ``_`` or
   another mask character is joined when the joined word is a listed one ("зар_аботок").
6. Per word: homoglyphs folded to the word's dominant script (Latin "c", "o", "p" inside a Russian
   word become Cyrillic and vice versa) and leetspeak undone ("fr33" → "free", "3apaбoтoк" →
   "заработок"). The dominant script is decided by letters that have no look-alike in the other
   script; only words with at least two letters and no more digits than letters are touched, so
   "2024", "100$" and "5000р" stay as they are.
   Digits scattered through a Russian word are letters however many there are ("3@р@60т0к" →
   "заработок"); a word that the rules leave unreadable gets the reading the word lists know
   (``moderation.translit``: "3apa6oTok", "зarabotok", "3arabotok" → "заработок"), and a digit run
   at one end with a short unit stays a number ("100руб", "5ms", "8pm").
   Digits that read as two letters get both readings tried ("з4р4б0т0к", "3арабо7ок" →
   "заработок": 4 is ч or а, 7 is т), the listed word wins.
7. Runs of 3 or more of the same letter squeezed to one ("оооочень" → "очень", "freeee" → "fre").
   Squeezing to one is deterministic and catches stretched vowels; the cost is that stretched
   double letters lose one ("cooool" → "col"), which is harmless because rule patterns are
   normalised by this same function before they are compared.
8. Transliterated Russian read back ("dengi bez vlozhenii" → "деньги без вложений") when the
   message's Latin words read as Russian rather than English (``moderation.translit``).

Every step is a linear regex pass or a per-word fix applied only when a word needs it, so clean
text costs a few microseconds and a 1 MB message is still linear. ``normalize`` never raises.
"""

from __future__ import annotations

import re
import unicodedata

import regex

from moderation import abuse, translit

__all__ = ["normalize", "words"]

# Everything that is not a letter, digit, punctuation, space, maths or currency symbol: format and
# bidi controls, zero-width characters, combining marks, emoji, decorative symbols, private use,
# unassigned code points, control characters.
_EXOTIC = regex.compile(r"[^\p{L}\p{N}\p{P}\p{Zs}\p{Sm}\p{Sc}\s]+")
# A cheap stdlib pre-check: most messages contain only these blocks and skip the pass above.
_PLAIN = re.compile(
    r"[^\t\n\r\x20-\x7e\xc0-\xff\u0400-\u0482\u048a-\u04ff\u2010-\u2027\u2030-\u205e\xab\xbb]"
)
_SEP = r"[ .\-_*·,/|]"
_MAYBE_SPACED = re.compile(_SEP + r"[^\W_]" + _SEP + r"[^\W_]" + _SEP)
# A single character, a separator, then 2+ more "separator + single character" with the same
# separator, not glued to other word characters on either side.
_SPACED = regex.compile(
    r"(?<![\p{L}\p{N}])[\p{L}\p{N}](" + _SEP + r")[\p{L}\p{N}](?:\1[\p{L}\p{N}])+(?![\p{L}\p{N}])"
)
# Explicit ranges with stdlib ``re``, each pattern opening with a class that is rare in ordinary
# text and checking context by look-around: ~10x faster than one alternation of pairs.
_LEET_SPOT = re.compile(
    r"[\d@$|!](?:(?<=[^\W\d_][\d@$])|(?=[^\W\d_])(?<=[\d@$|])|(?<=[^\W\d_][!|])(?=[^\W\d_]))"
)
# One leading class lets ``re`` skip straight to candidate characters.
_MIXED_SPOT = re.compile(
    r"[a-z\u0370-\u03ff](?:(?<=[\u0370-\u03ff])|(?<=[\u0400-\u04ff][a-z])|(?=[\u0400-\u04ff]))"
)
_TROUBLE = re.compile(
    r"[a-z][\u0400-\u04ff]|[\u0400-\u04ff][a-z]|[^\W\d_][\d@$]|[\d@$|][^\W\d_]|[^\W\d_][!|][^\W\d_]"
    r"|[\u0370-\u03ff]"
)
_HAS_LATIN = re.compile(r"[a-z]")
_TOKEN = regex.compile(r"[\p{L}\p{N}@$!|]+")
_MAYBE_REPEAT = re.compile(r"(.)\1\1")
_REPEAT = regex.compile(r"(\p{L})\1{2,}")
_WORD = regex.compile(r"[\p{L}\p{N}]+")
# A mask character between letters, or a run of stars at a word's edge ("***ло", "f***").
_MAYBE_MASKED = re.compile(r"[^\W\d_][*?#%@$_~^+=!\d]+[^\W\d_]|\*+[^\W\d_]|[^\W\d_]\*+")
# A token holding a mask character, or a digit against a letter: the only ones worth mending.
_MASKED_WORD = regex.compile(
    r"[\p{L}\p{N}*?#%@$_~^+=!]*(?:[*?#%@$_~^+=!]|\p{L}\p{N}|\p{N}\p{L})[\p{L}\p{N}*?#%@$_~^+=!]*"
)
_DECOYS = str.maketrans(dict.fromkeys("*?#%_~^+="))
_EDGE_DIGITS = re.compile(r"([0-9]+)[^0-9]*|[^0-9]*?([0-9]+)")

# Look-alikes, lowercase (the text is casefolded first). Latin → Cyrillic for Russian words.
_LAT_TO_CYR = {
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "n": "п", "o": "о",
    "p": "р", "r": "г", "t": "т", "u": "и", "x": "х", "y": "у",
}  # fmt: skip
_CYR_TO_LAT = {
    "а": "a", "в": "b", "с": "c", "е": "e", "н": "h", "к": "k", "м": "m", "п": "n", "о": "o",
    "р": "p", "г": "r", "т": "t", "и": "u", "х": "x", "у": "y", "ь": "b", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ӏ": "l", "ё": "e",
}  # fmt: skip
_GREEK_TO_LAT = {
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "μ": "m", "ω": "w", "σ": "o", "ς": "c",
}  # fmt: skip
_GREEK_TO_CYR = {
    "α": "а", "β": "в", "ε": "е", "η": "п", "κ": "к", "ο": "о", "ρ": "р", "τ": "т", "χ": "х",
    "γ": "у", "μ": "м", "π": "п", "λ": "л", "φ": "ф", "σ": "о", "ς": "с",
}  # fmt: skip
_LEET_LAT = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s",
    "!": "i", "|": "l",
}  # fmt: skip
_LEET_CYR = {"0": "о", "3": "з", "4": "ч", "6": "б", "8": "в", "@": "а", "$": "с"}
_LEET_CHARS = frozenset("0123456789@$!|")

# (to Cyrillic?, undo leetspeak?) → one translation table; look-alikes win over leetspeak.
_FOLD_TABLES = {
    (True, False): str.maketrans({**_GREEK_TO_CYR, **_LAT_TO_CYR}),
    (True, True): str.maketrans({**_LEET_CYR, **_GREEK_TO_CYR, **_LAT_TO_CYR}),
    (False, False): str.maketrans({**_GREEK_TO_LAT, **_CYR_TO_LAT}),
    (False, True): str.maketrans({**_LEET_LAT, **_GREEK_TO_LAT, **_CYR_TO_LAT}),
}

# The second reading of digits that draw two Cyrillic letters: 4 is ч or а, 7 is т, 9 is я, 1 is и.
_LEET_CYR_ALT = {**_LEET_CYR, "4": "а", "7": "т", "9": "я", "1": "и"}
_FOLD_CYR_ALT = str.maketrans({**_LEET_CYR_ALT, **_GREEK_TO_CYR, **_LAT_TO_CYR})

_LAT_AMBIGUOUS = frozenset(_LAT_TO_CYR)
_CYR_AMBIGUOUS = frozenset(_CYR_TO_LAT)

# Real one-letter words: three of them in a row ("а я и") are a sentence, not spacing evasion.
_ONE_LETTER_WORDS = frozenset("авиксуояai")
_SYMBOL_CATEGORIES = frozenset({"So", "Sk"})


def normalize(text: str) -> str:
    """Return the detection form of ``text`` (see the module docstring for every step).

    Args:
        text: any string; arbitrary Unicode, any length.

    Returns:
        The normalised text: lowercase, single-spaced, evasion tricks undone. Never raises.
    """
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text).casefold()
    # Each pass is guarded by a cheap search so clean text skips the expensive ones.
    if _PLAIN.search(t) is not None:
        t = _EXOTIC.sub(_drop_exotic, t)
    # Every whitespace character but " " is unprintable, so this proves the collapse a no-op.
    if not (t.isprintable() and "  " not in t and t[:1] != " " and t[-1:] != " "):
        t = " ".join(t.split())
    if _MAYBE_SPACED.search(f" {t} ") is not None:
        t = _SPACED.sub(_join_spaced, t)
    if _MAYBE_MASKED.search(t) is not None:
        t = _MASKED_WORD.sub(_mend_word, t)
    if _LEET_SPOT.search(t) is not None or (not t.isascii() and _MIXED_SPOT.search(t) is not None):
        t = _fold_words(t)
    if _MAYBE_REPEAT.search(t) is not None:
        t = _REPEAT.sub(r"\1", t)
    if _HAS_LATIN.search(t) is not None:
        t = translit.detransliterate(t)
    return t


def words(normalized: str) -> list[str]:
    """Split normalised text into words (runs of letters and digits).

    Args:
        normalized: text returned by :func:`normalize`.

    Returns:
        The words in order, e.g. ``["купите", "сейчас"]``.
    """
    return _WORD.findall(normalized)


def _mend_word(m: regex.Match[str]) -> str:
    word = m.group(0)
    if len(word) > 40:
        return word  # glued text, not a word
    found = abuse.unmask(word)
    if found is not None and not _drawn_word(word):
        return found
    joined = word.translate(_DECOYS)
    # "зар_аботок": joined only into a listed word; "user_123" and "snake_case" stay.
    if joined != word and len(joined) >= 4 and translit.is_russian_word(joined):
        return joined
    return word


def _drawn_word(word: str) -> bool:
    """Whether ``word`` is an ordinary word drawn with look-alikes ("hапи$@л" is "написал"): then
    its ``$`` and ``@`` are letters, not a mask over an obscene one."""
    core = word.strip(".,!?;:()\"'«»")
    return translit.is_russian_word(core.translate(_FOLD_TABLES[True, True])) or translit.is_russian_word(
        core.translate(_FOLD_CYR_ALT)
    )


def _drop_exotic(m: regex.Match[str]) -> str:
    run = m.group(0)
    if not any(unicodedata.category(ch) in _SYMBOL_CATEGORIES for ch in run):
        return ""  # invisible only: remove, so "ка\u200bзино" stays one word
    s, start, end = m.string, m.start(), m.end()
    # An emoji inside a word is evasion ("куп🔥ите"); elsewhere it separates words.
    if start > 0 and end < len(s) and s[start - 1].isalpha() and s[end].isalpha():
        return ""
    return " "


def _join_spaced(m: regex.Match[str]) -> str:
    s = m.group(0)
    sep = m.group(1)
    chars = s.split(sep)
    if all(c.isdigit() for c in chars):
        return s  # "1 2 3", "8-900-..." are numbers, not a spelled word
    if sep == " " and len(chars) == 3 and all(c in _ONE_LETTER_WORDS for c in chars):
        return s
    return "".join(chars)


def _fold_words(t: str) -> str:
    # Only the words around a trouble spot are rebuilt; a Python callback per word of a clean
    # message would cost more than the rest of normalisation together.
    out: list[str] = []
    pos = 0
    for lo, hi in _chunks_with_spots(t):
        for m in _TROUBLE.finditer(t, lo, hi):
            if m.start() < pos:
                continue  # inside a word already folded
            start = m.start()
            while start > pos and _is_token_char(t[start - 1]):
                start -= 1
            tm = _TOKEN.match(t, start)
            end = tm.end() if tm is not None else m.end()
            out.append(t[pos:start])
            out.append(_fold_token(t[start:end]))
            pos = end
    out.append(t[pos:])
    return "".join(out)


def _chunks_with_spots(t: str) -> list[tuple[int, int]]:
    # ``_TROUBLE`` is slow to scan. No trouble match and no token contains a space, and every
    # trouble match holds a ``_LEET_SPOT`` or ``_MIXED_SPOT`` position, so only the
    # space-separated chunks around those (much faster) spots need the slow scan.
    spots = [m.start() for m in _LEET_SPOT.finditer(t)]
    if not t.isascii():
        spots.extend(m.start() for m in _MIXED_SPOT.finditer(t))
        spots.sort()
    chunks: list[tuple[int, int]] = []
    done = 0
    for spot in spots:
        if spot < done:
            continue
        hi = t.find(" ", spot)
        done = len(t) if hi < 0 else hi
        chunks.append((t.rfind(" ", 0, spot) + 1, done))
    return chunks


def _is_token_char(ch: str) -> bool:
    return ch.isalnum() or ch in "@$!|"


def _fold_token(whole: str) -> str:
    tok = whole
    prefix = ""
    if tok[0] == "@":  # a mention, not leetspeak for "a"
        prefix, tok = "@", tok[1:]
    tok = tok.rstrip("!|")  # trailing "!" is punctuation ("free!!!"), not an "i"
    tail = whole[len(prefix) + len(tok) :]
    if not tok:
        return whole
    lat = cyr = lat_only = cyr_only = letters = leet = 0
    for ch in tok:
        if ch in _LEET_CHARS:
            leet += 1
        elif "a" <= ch <= "z":
            lat += 1
            letters += 1
            if ch not in _LAT_AMBIGUOUS:
                lat_only += 1
        elif "\u0400" <= ch <= "\u04ff":
            cyr += 1
            letters += 1
            if ch not in _CYR_AMBIGUOUS:
                cyr_only += 1
        elif ch.isalpha():
            letters += 1
    if lat == 0 and cyr == 0:
        return whole
    if lat_only != cyr_only:
        cyrillic = cyr_only > lat_only
    elif lat != cyr:
        cyrillic = cyr > lat
    else:
        cyrillic = True  # a tie: Russian is the service's main language
    number = _number_run(tok)  # one run of digits at an end: maybe a number and its unit
    # In a Russian word, digits scattered through it ("3@р@60т0к") are letters whatever their
    # count; in Latin text such tokens are mostly ids and codes ("a1b2c3", "2968zuyw7202").
    scattered = cyrillic and cyr >= 2 and number is None and not prefix
    do_leet = leet > 0 and letters >= 2 and (letters >= leet or scattered)
    folded = tok.translate(_FOLD_TABLES[cyrillic, do_leet])
    if prefix or letters < 2:  # a username, or a number with a letter ("3d", "5000р")
        return prefix + folded + tail
    return _lexicon_reading(tok, folded, cyrillic, number, letters, leet > 0 or cyr > 0) + tail


def _is_word(s: str) -> bool:
    return translit.is_russian_word(s) or translit.is_english_word(s)


def _number_run(tok: str) -> str | None:
    """The token's digits when they are one run at its start or end ("100руб", "mp3"), else None."""
    m = _EDGE_DIGITS.fullmatch(tok)
    if m is None:
        return None
    return m.group(1) or m.group(2)


def _lexicon_reading(
    tok: str, folded: str, cyrillic: bool, number: str | None, letters: int, visual: bool
) -> str:
    """``folded`` unless the word lists know a better reading of ``tok``.

    ``folded`` came from the per-character rules. When it is not a known word, the token may be
    Russian drawn with Latin look-alikes and digits ("3apa6oTok"), transliterated Russian mixed
    with Cyrillic or digits ("зarabotok", "3arabotok"), or a number with a unit that the rules
    should have left alone ("100руб"). A reading is taken only when it is a listed word.
    """
    if translit.is_russian_word(folded) if cyrillic else translit.is_english_word(folded):
        return folded
    if visual:
        for table in (_FOLD_TABLES[True, True], _FOLD_CYR_ALT):
            drawn = tok.translate(table)
            if drawn != folded and translit.is_russian_word(drawn):
                return drawn
    if number is not None and (
        len(number) > 1 or number.strip("03468") or letters <= 3 or _is_word(tok.strip("0123456789"))
    ):
        return tok  # a number and its unit ("100руб", "5ms", "0рублей"), not a spelt word
    for spelling in (tok, folded):
        said = translit.russian_for_key(translit.translit_key(spelling))
        if said is not None:
            return said
    return folded
