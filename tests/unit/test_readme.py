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
