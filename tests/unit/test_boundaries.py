"""``moderation/`` stays pure: no platform or database framework imports anywhere in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MODERATION = Path(__file__).resolve().parents[2] / "moderation"
FORBIDDEN = {"aiogram", "aiohttp", "vk_api", "vk", "sqlalchemy"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


MODULES = sorted(MODERATION.rglob("*.py"))


def test_there_are_modules_to_check() -> None:
    assert len(MODULES) > 5


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(MODERATION)))
def test_no_framework_imports(path: Path) -> None:
    bad = _imports(path) & FORBIDDEN
    assert not bad, f"{path} imports {sorted(bad)}; moderation/ must stay free of platform and DB code"
