"""What the code reads from disk at run time ships in the package (``pip install .``, the Docker
image): every template and static file of the workspace, every message catalogue."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_DIRS = ["bot/web/templates", "bot/web/static", "handlers/locales"]


def _package_data() -> dict[str, list[str]]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["setuptools"]["package-data"]


@pytest.mark.parametrize("folder", SHIPPED_DIRS)
def test_every_file_read_at_run_time_is_package_data(folder: str) -> None:
    package, _, _ = folder.partition("/")
    patterns = _package_data().get(package, [])
    files = [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix not in (".py", ".md")]
    assert files, f"nothing in {folder}?"
    missing = [
        str(p.relative_to(ROOT))
        for p in files
        if not any(p.relative_to(ROOT / package).match(pattern) for pattern in patterns)
    ]
    assert missing == [], f"add to [tool.setuptools.package-data] {package}: {missing}"
