"""Russian written in Latin letters or digits, read back as Russian: the normaliser's word lists.

Spammers write ``zarabotok``, ``dengi bez vlozhenii`` or ``3@р@60т0к`` so that word rules and a
model trained on Cyrillic text miss them. Two readings undo that, both checked against a list of
Russian words (``moderation/data/lexicon/ru.txt``, the words of the project's own seed corpus,
most frequent first) so that nothing is rewritten into a word that does not exist:

* **transliteration** (phonetic): every spelling is reduced to a *key* — ``zh``/``kh``/``ts``/
  ``shch``/``ya``/``yu`` variants, ``y``/``j``/``i`` and soft signs collapse — and a key that a
  Russian word also has becomes that word (the commonest one when several share it);
* **look-alikes** (visual): ``3apa6oTok`` is Cyrillic ``заработок`` drawn with Latin letters and
  digits; the candidate counts only if it is a listed word.

English is protected by ``en.txt`` (common English words plus the seed corpus's English words): a
message's Latin words are read as Russian only when the Russian readings outnumber the English
words and the unknown ones (see :func:`detransliterate`). The lists load on first use (a few ms).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

__all__ = ["detransliterate", "is_english_word", "is_russian_word", "russian_for_key", "translit_key"]

# Cyrillic → the key's Latin: one spelling per letter, the ambiguous ones collapsed.
_ROMAN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
})  # fmt: skip
# Digits and symbols spammers use for Cyrillic letters, in key spelling (3 = з, 6 = б, 4 = ч ...).
_LEET_KEY = str.maketrans({"0": "o", "3": "z", "4": "ch", "6": "b", "8": "v", "@": "a", "$": "s"})
# Latin spelling variants → the key's spelling; longest first.
_VARIANTS = re.compile(r"shch|sch|kh|tz|ts|[xwyj]")
_VARIANT_KEY = {"shch": "sh", "sch": "sh", "kh": "h", "tz": "c", "ts": "c", "x": "h", "w": "v",
                "y": "i", "j": "i"}  # fmt: skip
# A Latin word standing on its own: not part of a mention, an e-mail, a domain or a path.
_LATIN_WORD = re.compile(r"(?<![\w@./])[a-z]+(?:'[a-z]+)*'?(?![\w@/]|\.\w)")
_HAS_LATIN = re.compile(r"[a-z]")


@lru_cache(maxsize=1 << 16)  # chat repeats its words; a hit costs a tenth of the computation
def translit_key(word: str) -> str:
    """The spelling-independent key of a word in Latin letters, Cyrillic letters, digits or a mix.

    ``translit_key("vlozheniy") == translit_key("вложений") == "vlozhenii"``.
    """
    # Soft signs and apostrophes go first, so "ts" in "boyat'sya" meets like "тс" in "бояться".
    w = word.translate(_ROMAN).translate(_LEET_KEY).replace("'", "")
    return _VARIANTS.sub(lambda m: _VARIANT_KEY[m.group(0)], w)


@cache
def _lists() -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    folder = resources.files("moderation") / "data" / "lexicon"
    ru = (folder / "ru.txt").read_text(encoding="utf-8").split()
    en = frozenset((folder / "en.txt").read_text(encoding="utf-8").split())
    by_key: dict[str, str] = {}
    for w in ru:  # most frequent first: the first word with a key keeps it
        by_key.setdefault(translit_key(w), w)
    return frozenset(ru), by_key, en


def is_russian_word(word: str) -> bool:
    """Whether ``word`` (lowercase Cyrillic) is in the Russian word list."""
    return word in _lists()[0]


def is_english_word(word: str) -> bool:
    """Whether ``word`` (lowercase Latin) is in the English word list."""
    return word in _lists()[2]


def russian_for_key(key: str) -> str | None:
    """The commonest Russian word whose :func:`translit_key` is ``key``, if any."""
    return _lists()[1].get(key)


def detransliterate(t: str) -> str:
    """Replace the transliterated Russian words of normalised text ``t`` by Cyrillic ones.

    A Latin word (not part of a mention, e-mail, domain or path) has a Russian reading when its
    key is a listed Russian word's. The message's Latin words with a reading are rewritten when
    those of three or more letters that are not English words outnumber the English words without
    a reading plus half the words with neither. Words with both ("bank", "net", "more") and
    loanwords ("instagram") follow the message: in English text they stay English.
    """
    if _HAS_LATIN.search(t) is None:
        return t
    russian = english = unknown = 0
    for w in _LATIN_WORD.findall(t):
        kind = _kind(w)
        if kind is _RUSSIAN:
            russian += 1
        elif kind is _ENGLISH:
            english += 1
        elif kind is _UNKNOWN:
            unknown += 1
    if russian == 0 or russian <= english + unknown / 2:
        return t
    return _LATIN_WORD.sub(lambda m: _reading(m.group(0)) or m.group(0), t)


_RUSSIAN, _ENGLISH, _UNKNOWN, _BOTH = "russian", "english", "unknown", "both"
# Latin letters that look like Cyrillic ones: "bcem" is "всем" drawn in Latin.
_DRAWN = str.maketrans("abcehkmnoprtuxy", "авсенкмпоргтиху")
_DRAWABLE = frozenset("abcehkmnoprtuxy")


@lru_cache(maxsize=1 << 16)
def _reading(word: str) -> str | None:
    """The Russian word a Latin word spells phonetically ("dengi") or draws ("bcem"), if listed."""
    ru, by_key, _ = _lists()
    said = by_key.get(translit_key(word))
    if said is None and len(word) >= 3 and _DRAWABLE.issuperset(word):
        drawn = word.translate(_DRAWN)
        said = drawn if drawn in ru else None
    return said


@lru_cache(maxsize=1 << 16)
def _kind(word: str) -> str:
    """How a Latin word votes: a Russian reading (3+ letters, not English), English, or neither."""
    said = _reading(word) is not None
    english = word.rstrip("'") in _lists()[2]
    if said and not english:
        return _RUSSIAN if len(word) >= 3 else _BOTH
    if said:
        return _BOTH
    return _ENGLISH if english else _UNKNOWN
