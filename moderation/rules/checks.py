"""The checks a rule is made of. Each check is a small callable that explains its own result.

Text checks (``body``, ``domain``, ``link``, ``mention``) compare against the *detection form*
(see ``moderation.normalize``); their plain-text patterns are normalised the same way when the
rule set is parsed, so ``"Зaработок"`` in a rule matches ``"3apaбoтoк"`` in a message. Two
modifiers opt out and see exactly what the author typed: ``case-sensitive`` (raw patterns, case
respected) and ``regex`` (admin-written patterns, case-insensitive unless ``case-sensitive``, run
by the ``regex`` module under a per-pattern time limit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import regex

from moderation.events import Event
from moderation.features import Features
from moderation.normalize import normalize
from moderation.rules.values import Comparison, format_duration
from moderation.verdict import Scores

__all__ = [
    "REGEX_TIMEOUT",
    "TEXT_FIELDS",
    "TEXT_MODES",
    "BoolCheck",
    "Check",
    "CheckResult",
    "Facts",
    "MediaCheck",
    "NumberCheck",
    "TextCheck",
]

REGEX_TIMEOUT = 0.05  # seconds per admin pattern per message; a slow pattern yields an error reason
_MAX_MATCH_SHOWN = 80

TEXT_MODES = ("includes-word", "includes", "starts-with", "ends-with", "full-exact", "regex")
# The match mode a text field uses when the rule names none.
TEXT_FIELDS = {"body": "includes-word", "domain": "domain", "link": "includes", "mention": "full-exact"}


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything a check may look at for one event."""

    event: Event
    features: Features
    scores: Scores
    now: datetime


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check.

    Attributes:
        ok: the check holds (negation already applied).
        detail: why, for people, e.g. ``matched "заработок" (includes-word)`` or ``links 3 > 2``.
        matched: the matched text, for text checks.
        error: set when the check could not be decided (e.g. "pattern timed out").
    """

    ok: bool
    detail: str = ""
    matched: str | None = None
    error: str | None = None


# Most checks fail on most events; one shared result spares building a dataclass each time.
_FAILED = CheckResult(False)

# Under IGNORECASE ``re`` also treats a few distinct lower-case letters as equal (i/ı, s/ſ, σ/ς,
# о and the narrow Cyrillic ᲂ …). The literal prefilter of ``TextCheck`` must know them to stay
# exact; without the table every pattern simply runs without the prefilter.
try:
    from re._casefix import _EXTRA_CASES as _CASE_PEERS
except ImportError:  # pragma: no cover - depends on the Python version
    _CASE_PEERS = None


class Check:
    """Base of all checks: ``key`` as written in the rule, ``negate`` for a ``~`` prefix."""

    key: str = ""
    negate: bool = False
    cost: int = 0  # cheap checks run first; a rule stops at its first failing check

    def __call__(self, ctx: Facts) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def test(self, ctx: Facts) -> bool | None:
        """Whether the check holds, without explaining why; None: call the check to decide.

        ``evaluate`` runs this first because most rules fail, and a rule that fails needs no
        explanation. It must agree with ``self(ctx).ok`` whenever it returns a bool.
        """
        return None


class TextCheck(Check):
    """``body``/``domain``/``link``/``mention`` against a list of patterns (any one matches)."""

    def __init__(
        self, key: str, field: str, mode: str, patterns: Sequence[str], *, case_sensitive: bool, negate: bool
    ) -> None:
        """Compile the patterns.

        Raises:
            ValueError: a pattern is empty after normalisation or is not a valid regex.
        """
        self.key, self.field, self.mode, self.negate = key, field, mode, negate
        self.case_sensitive = case_sensitive
        self.raw = not case_sensitive and mode != "regex"  # compare with the detection form
        self.cost = 2 if mode == "regex" else 1
        prepared = [self._prepare(p) for p in patterns]
        if mode == "regex":
            flags = regex.V0 if case_sensitive else regex.V0 | regex.IGNORECASE
            self._regexes = []
            for p in prepared:
                try:
                    self._regexes.append(regex.compile(p, flags))
                except (regex.error, ValueError, OverflowError) as exc:
                    raise ValueError(f"bad regex {p!r}: {exc}; check brackets and escapes") from None
            self._plain = None
        else:
            alts = "|".join(re.escape(p) for p in sorted(set(prepared), key=len, reverse=True))
            shape = {
                "includes-word": r"(?<!\w)(?:{})(?!\w)",
                "includes": r"(?:{})",
                "starts-with": r"\A(?:{})",
                "ends-with": r"(?:{})\Z",
                "full-exact": r"\A(?:{})\Z",
                "domain": r"(?:\A|\.)(?:{})\Z",
            }[mode]
            self._plain = re.compile(shape.format(alts), 0 if case_sensitive else re.IGNORECASE)
            self._regexes = []
            self._needles, self._peers = _literal_prefilter(prepared, case_sensitive=case_sensitive)

    def _prepare(self, pattern: str) -> str:
        p = str(pattern)
        if self.mode == "regex" or self.case_sensitive:
            if not p:
                raise ValueError("empty pattern; remove it or write the text to match")
            return p
        if self.field == "body":
            p = normalize(p)
        elif self.field == "domain":
            p = p.strip().lower().split("://", 1)[-1].removeprefix("www.").rstrip("/")
        elif self.field == "mention":
            p = p.strip().lower().lstrip("@")
        else:
            p = p.strip().lower()
        if not p:
            raise ValueError(
                f"pattern {pattern!r} is empty after normalisation (emoji and symbols are ignored); "
                "add the case-sensitive modifier to match it exactly"
            )
        return p

    def _subjects(self, ctx: Facts) -> Sequence[str]:
        f = ctx.features
        if self.field == "body":
            return (f.normalized,) if self.raw else (ctx.event.text,)
        if self.field == "domain":
            return f.domains
        if self.field == "mention":
            return f.mentions
        return tuple(link.url if self.case_sensitive else link.url.lower() for link in f.links)

    def test(self, ctx: Facts) -> bool | None:
        plain = self._plain
        if plain is None:
            return None  # admin regexes can time out; the full check reports that
        for subject in self._subjects(ctx):
            if self._may_match(subject) and plain.search(subject) is not None:
                return not self.negate
        return self.negate

    def _may_match(self, subject: str) -> bool:
        # Cheap and exact: every match of the plain pattern contains one of the needles, so a
        # subject without any (the usual case) skips the slower case-insensitive regex search.
        needles = self._needles
        if needles is None:
            return True
        if self._peers is not None:
            subject = subject.lower()
            if not subject.isascii():
                for peer in self._peers:
                    if peer in subject:
                        return True  # a letter re folds unlike str.lower(): let the regex decide
        for needle in needles:
            if needle in subject:
                return True
        return False

    def __call__(self, ctx: Facts) -> CheckResult:
        found: str | None = None
        for subject in self._subjects(ctx):
            if self._plain is not None:
                if not self._may_match(subject):
                    continue
                m = self._plain.search(subject)
                if m is not None:
                    found = m.group(0)
                    break
                continue
            for rx in self._regexes:
                try:
                    m = rx.search(subject, timeout=REGEX_TIMEOUT)
                except TimeoutError:
                    return CheckResult(False, f"{self.key}: pattern timed out", error="pattern timed out")
                if m is not None:
                    found = m.group(0)
                    break
            if found is not None:
                break
        where = "" if self.field == "body" else f"{self.field} "
        if self.negate:
            if found is None:
                return CheckResult(True, f"{where}has none of the patterns ({self.mode})")
            return _FAILED
        if found is None:
            return _FAILED
        shown = found if len(found) <= _MAX_MATCH_SHOWN else found[:_MAX_MATCH_SHOWN] + "…"
        return CheckResult(True, f'{where}matched "{shown}" ({self.mode})', matched=shown)


def _literal_prefilter(
    patterns: Sequence[str], *, case_sensitive: bool
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Needles for ``TextCheck._may_match``: one per plain pattern, and the "peer" characters.

    Case-sensitive patterns are their own needles. Case-insensitive ones are lower-cased a
    character at a time, which is exactly how ``re`` compares letters under IGNORECASE
    (``str.lower`` differs only for "İ", whose lower form "i̇" holds U+0307, and for a final "Σ",
    whose "ς" is a peer of "σ") except for the letters ``re`` also folds together: a subject
    containing such a peer of a needle letter is left to the regex.
    """
    if case_sensitive:
        return tuple(patterns), None
    if _CASE_PEERS is None:
        return None, None
    needles: list[str] = []
    peers = {"\u0307"}
    for pattern in patterns:
        lowered = [ch.lower() for ch in pattern]
        if any(len(ch) != 1 for ch in lowered):
            return None, None
        for ch in lowered:
            peers.update(chr(c) for c in _CASE_PEERS.get(ord(ch), ()))
        needles.append("".join(lowered))
    if not all(ch > "\x7f" for ch in peers):
        return None, None  # a pattern with "ı" or "ſ", whose peers "i" and "s" are everywhere
    return tuple(needles), tuple(sorted(peers))


class NumberCheck(Check):
    """A measured quantity against one or more comparisons (any one holds)."""

    def __init__(
        self,
        key: str,
        label: str,
        getter: Callable[[Facts], float | None],
        comparisons: Sequence[Comparison],
        *,
        negate: bool,
        duration: bool = False,
    ) -> None:
        self.key, self.label, self.getter, self.negate = key, label, getter, negate
        self.comparisons = tuple(comparisons)
        self.duration = duration
        # (operator, threshold) pairs: ``test`` runs on every event, so skip the per-call lookup.
        self._tests = tuple((c.function, c.value) for c in self.comparisons)

    def test(self, ctx: Facts) -> bool | None:
        actual = self.getter(ctx)
        if actual is None:
            return False
        for op, value in self._tests:
            if op(actual, value):
                return not self.negate
        return self.negate

    def __call__(self, ctx: Facts) -> CheckResult:
        actual = self.getter(ctx)
        if actual is None:  # unknown data never fires a check, negated or not
            return _FAILED
        hit = next((c for c in self.comparisons if c(actual)), None)
        if (hit is not None) == self.negate:
            return _FAILED
        shown = self._show(actual)
        if hit is not None:
            return CheckResult(True, f"{self.label} {shown} {hit.text}")
        return CheckResult(True, f"{self.label} {shown}, not {' or '.join(c.text for c in self.comparisons)}")

    def _show(self, actual: float) -> str:
        if self.duration:
            from datetime import timedelta

            return format_duration(timedelta(seconds=max(0, int(actual))))
        if float(actual).is_integer():
            return str(int(actual))
        return f"{actual:.2f}"


class BoolCheck(Check):
    """A yes/no fact (``forwarded``, ``has_invite``, ``author.is_admin`` …) against true/false."""

    def __init__(
        self, key: str, label: str, getter: Callable[[Facts], bool], expected: bool, *, negate: bool
    ):
        self.key, self.label, self.getter, self.negate = key, label, getter, negate
        self.expected = expected

    def test(self, ctx: Facts) -> bool | None:
        return (bool(self.getter(ctx)) == self.expected) != self.negate

    def __call__(self, ctx: Facts) -> CheckResult:
        actual = bool(self.getter(ctx))
        if (actual == self.expected) == self.negate:
            return _FAILED
        return CheckResult(True, f"{self.label} is {'true' if actual else 'false'}")


class MediaCheck(Check):
    """``media: [photo, video]`` (any listed kind attached) or ``media: true`` (anything attached)."""

    def __init__(self, key: str, kinds: frozenset[str] | None, *, negate: bool) -> None:
        self.key, self.kinds, self.negate = key, kinds, negate

    def test(self, ctx: Facts) -> bool | None:
        media = ctx.features.media
        if not media:
            return self.negate
        present = any(self.kinds is None or m in self.kinds for m in media)
        return present != self.negate

    def __call__(self, ctx: Facts) -> CheckResult:
        media = ctx.features.media
        present = [m for m in media if self.kinds is None or m in self.kinds]
        if bool(present) == self.negate:
            return _FAILED
        if present:
            return CheckResult(True, f"media {', '.join(present)}", matched=present[0])
        return CheckResult(True, "no such media")
