"""Limits on rule YAML, checked before anything is built from it.

Rule text comes from community admins (``/rule add``) and from files (``dozor rules validate``),
so it is hostile input. Three things make YAML dangerous to load and none of them is needed to
write a rule:

- anchors and aliases (``&x`` / ``*x``): a few hundred bytes of nested aliases ("billion laughs")
  describe a value with billions of elements, which anything walking the value then expands;
- deep nesting: the composer and constructor recurse once per level, so a few kilobytes of
  ``[[[[…`` raise ``RecursionError`` (or overflow the C stack in libyaml's composer);
- sheer size: a megabyte of YAML takes seconds to build.

``check_yaml`` refuses all three by walking libyaml's event stream (flat, in C, a few ms for
64 KB) and stops at the first offending event, so hostile text is rejected in milliseconds
however large its expansion would be. Only text that passes is composed into nodes.
"""

from __future__ import annotations

import yaml

from moderation.errors import RuleError

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_RULE_BYTES", "Loader", "check_size", "check_yaml", "utf8_size"]

MAX_FILE_BYTES = 1024 * 1024
"""Largest rule file (``dozor rules validate``, ``dozor check --rules``): 1 MB of UTF-8."""
MAX_RULE_BYTES = 64 * 1024
"""Largest single rule, and the largest text ``/rule add`` accepts: 64 KB of UTF-8."""
MAX_DEPTH = 20
"""Deepest nesting of lists and mappings; a rule file needs 3 (list → rule → list of values)."""

# libyaml's parser when PyYAML was built with it (the usual wheel); the pure-Python one otherwise.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def utf8_size(text: str) -> int:
    """Bytes ``text`` takes in UTF-8 (lone surrogates count as 3, as Python would write them)."""
    return len(text.encode("utf-8", "surrogatepass"))


def check_size(text: str, limit: int, *, what: str, fix: str, line: int | None = None) -> None:
    """Refuse ``text`` longer than ``limit`` bytes of UTF-8.

    Raises:
        RuleError: saying how large the text is, the limit, and ``fix``.
    """
    # A character is at most 4 bytes: short text needs no encoding to be known small enough.
    if len(text) * 4 <= limit:
        return
    size = utf8_size(text)
    if size > limit:
        raise RuleError(f"{what} is {_kb(size)}; the limit is {_kb(limit)} — {fix}", line=line)


def check_yaml(text: str) -> None:
    """Refuse YAML with anchors, aliases or nesting deeper than ``MAX_DEPTH``.

    Syntax errors are left for the real parse, which reports them with the same marks.

    Raises:
        RuleError: with the line of the first anchor, alias or too-deep level.
    """
    try:
        parser = Loader(text)
    except UnicodeEncodeError:
        raise RuleError("the text contains characters that are not valid Unicode; retype it") from None
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise RuleError(
                    "YAML anchors and aliases (&name, *name, <<: *name) are not allowed in rules; "
                    "write each value out in full",
                    line=event.start_mark.line + 1,
                )
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(event.start_mark.line + 1)
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.YAMLError as exc:
        # PyYAML 6.0.4 and later refuse deep nesting themselves, while scanning ahead of us
        if "nesting depth" in str(exc):
            mark = getattr(exc, "problem_mark", None)
            raise _too_deep(mark.line + 1 if mark is not None else None) from None
        return  # not valid YAML: the parse proper says where and why
    finally:
        parser.dispose()


def _too_deep(line: int | None) -> RuleError:
    return RuleError(
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep; a rule file is a list of "
        "rules, each a mapping of keys to values or lists of values",
        line=line,
    )


def _kb(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 10 * 1024 else f"{size / 1024:.1f} KB"
