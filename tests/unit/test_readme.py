"""The README stays true: every setting and every command is documented there."""

from __future__ import annotations

from pathlib import Path

from bot.cli import build_parser
from config.settings import SECTIONS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme() -> None:
    missing = []
    for cls in SECTIONS.values():
        prefix = cls.model_config.get("env_prefix", "")
        for name, field in cls.model_fields.items():
            var = field.alias or f"{prefix}{name.upper()}"
            if f"`{var}`" not in README:
                missing.append(var)
    assert missing == [], f"add these settings to README.md's configuration table: {missing}"


def test_every_cli_command_is_in_the_readme() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    missing = [f"dozor {name}" for name in sub.choices if f"dozor {name}" not in README]
    assert missing == [], f"document these commands in README.md: {missing}"


ROOT = Path(__file__).resolve().parents[2]


def test_every_link_of_the_repositorys_documents_resolves_inside_it() -> None:
    """A relative link must name a file or folder of this repository: a link to ``../shared`` or
    to the lead's notes works on one machine and nowhere else."""
    import re
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    broken = []
    for name in tracked:
        page = ROOT / name
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or a heading of the same page
            path = (page.parent / target.split("#", 1)[0]).resolve()
            if not path.is_relative_to(ROOT) or not path.exists():
                broken.append(f"{name}: {target}")
    assert broken == []
