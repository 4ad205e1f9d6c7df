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


# --- no platform's name where the decision is platform-neutral --------------------------------
# Use cases ask a platform what it can do (``Capabilities``); the executor reads typed actions
# and asks the port. Neither may branch on which platform it is.
NEUTRAL = [ROOT / "bot" / "executor.py", *sorted((ROOT / "handlers").rglob("*.py"))]
PLATFORM_NAMES = {"telegram", "vk", "shell"}


def _platform_mentions(path: Path) -> list[str]:
    """String literals naming a platform and ``Platform.TELEGRAM``-style references."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if node.value.lower() in PLATFORM_NAMES:
                found.append(f"line {node.lineno}: the string {node.value!r}")
        elif isinstance(node, ast.Attribute) and node.attr in {"TELEGRAM", "VK", "SHELL"}:
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


@pytest.mark.parametrize("path", NEUTRAL, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_platform_names_in_use_cases_or_the_executor(path: Path) -> None:
    found = _platform_mentions(path)
    assert not found, f"{path.relative_to(ROOT)} branches on a platform: {found}"


def test_the_executor_asks_the_port_not_getattr() -> None:
    """What a platform can do is in its ``Capabilities``, not found by probing its attributes."""
    path = ROOT / "bot" / "executor.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    probes = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"getattr", "hasattr"}
    ]
    assert not probes, f"bot/executor.py probes attributes on lines {probes}"
