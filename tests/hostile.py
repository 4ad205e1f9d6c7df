"""Hostile inputs from issue 11, built here once for the tests and ``benchmarks/hostile_yaml.py``."""

from __future__ import annotations


def billion_laughs() -> str:
    """A rule whose ``comment`` nests 9 levels of 9 aliases: 9**9 "lol"s in under 400 bytes."""
    lines = ["- name: lol", "  action: warn", "  comment:", "   a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"   {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def deeply_nested_yaml(size: int = 9 * 1024) -> str:
    """A rule whose ``comment`` is a flow list nested about ``size / 2`` levels deep."""
    head = "- name: deep\n  action: warn\n  comment: "
    depth = (size - len(head)) // 2
    return head + "[" * depth + "]" * depth + "\n"


def large_rule_file(size: int = 2 * 1024 * 1024) -> str:
    """Valid, ordinary rules repeated until the text reaches ``size`` bytes."""
    parts, total, i = [], 0, 0
    while total < size:
        part = f"- name: rule-{i}\n  body: [casino, free money, 'crypto x{i}']\n  action: delete\n"
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)


def deeply_nested_json(depth: int = 100_000) -> bytes:
    """A JSON array nested ``depth`` levels deep (json.loads raises RecursionError on it)."""
    return b"[" * depth + b"]" * depth
