"""The layers keep their imports: the domain is pure, use cases and storage know no platform.

- ``moderation/``: no platform or database framework (aiogram, aiohttp, vk, sqlalchemy).
- ``handlers/`` and ``models/``: no platform code (aiogram, aiohttp, vk, nor ``bot``, where the
  adapters live); they reach platforms only through the ``Actions`` port.
- ``models/``: never ``migrations/`` (migrations import models, not the other way round).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLATFORM = {"aiogram", "aiohttp", "vk_api", "vk", "bot"}
FORBIDDEN = {
    "moderation": {"aiogram", "aiohttp", "vk_api", "vk", "sqlalchemy", "bot", "handlers", "models"},
    "handlers": PLATFORM,
    "models": PLATFORM | {"migrations", "handlers"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


MODULES = [(layer, path) for layer in FORBIDDEN for path in sorted((ROOT / layer).rglob("*.py"))]


def test_there_are_modules_to_check() -> None:
    assert {layer for layer, _ in MODULES} == set(FORBIDDEN)
    assert len(MODULES) > 40


@pytest.mark.parametrize(
    ("layer", "path"), MODULES, ids=lambda p: str(p.relative_to(ROOT)) if isinstance(p, Path) else p
)
def test_layer_imports(layer: str, path: Path) -> None:
    bad = _imports(path) & FORBIDDEN[layer]
    assert not bad, (
        f"{path.relative_to(ROOT)} imports {sorted(bad)}; {layer}/ must not (see this test's docstring)"
    )
