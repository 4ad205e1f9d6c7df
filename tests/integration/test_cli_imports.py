"""The CLI imports only what the command being run needs, so `dozor --help` starts fast."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("aiogram", "aiohttp", "alembic", "numba", "numpy", "pydantic", "scipy", "sklearn", "sqlalchemy")

SCRIPT = """
import json, sys
from bot.cli import build_parser, main

def loaded(names):
    return sorted(n for n in names if n in sys.modules)

names = json.loads(sys.argv[1])
build_parser()
after_parser = loaded([*names, "yaml", "config", "models", "handlers", "bot.scoring"])
code = main(["rules", "validate", sys.argv[2]])
after_validate = loaded(names)
print(json.dumps({"parser": after_parser, "validate": after_validate, "code": code}))
"""


def test_building_the_parser_and_validating_rules_import_no_heavy_library() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOZOR_")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(HEAVY), str(ROOT / "config" / "rules.example.yaml")],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["code"] == 0
    assert report["parser"] == []
    assert report["validate"] == []


CHECK = """
import json, sys
from bot.cli import main

code = main(["check", "заработок без вложений"])
print(json.dumps({"code": code, "loaded": sorted(n for n in json.loads(sys.argv[1]) if n in sys.modules)}))
"""


def test_dozor_check_needs_neither_the_database_nor_the_compiler_nor_training_libraries() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOZOR_")}
    result = subprocess.run(
        [sys.executable, "-c", CHECK, json.dumps(HEAVY)],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert not {"sqlalchemy", "alembic", "numba", "sklearn", "scipy", "aiogram"} & set(report["loaded"])
