"""``dozor check`` and ``dozor rules validate`` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests import hostile

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "rules.example.yaml"


def test_check_plain_text_without_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "Привет всем", "--no-classifier"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("allow")
    assert "normalised: привет всем" in out


def test_check_json_with_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "Зaр@б0тoк без вложений", "--rules", str(EXAMPLE), "--as", "newcomer", "--json",
                 "--no-classifier"])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["action"] == "ban"
    assert data["reasons"][0]["name"] == "earnings-spam"
    assert data["reasons"][0]["matched"] == "заработок"
    assert set(data) >= {"action", "reasons", "scores", "shadow", "normalized"}


@pytest.mark.parametrize(("role", "action"), [("newcomer", "ban"), ("member", "allow"), ("admin", "allow")])
def test_check_roles(role: str, action: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "заработок", "--rules", str(EXAMPLE), "--as", role, "--json", "--no-classifier"])
    assert json.loads(capsys.readouterr().out)["action"] == action


def test_check_uses_the_shipped_classifier_when_none_was_trained(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from moderation.classifier import load_default

    monkeypatch.setenv("DOZOR_MODERATION_MODEL_DIR", str(tmp_path / "no-models-yet"))
    assert main(["check", "hello", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["classifier"] == f"classifier {load_default().version}"


def test_check_reports_bad_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: x\n  links: lots\n  action: warn\n", encoding="utf-8")
    assert main(["check", "hi", "--rules", str(bad), "--no-classifier"]) == 1
    assert "rule 'x', line 2" in capsys.readouterr().err


def test_rules_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "validate", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "rules OK" in out and "earnings-spam" in out


def test_rules_validate_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: a\n  action: warn\n- name: a\n  action: ban\n", encoding="utf-8")
    assert main(["rules", "validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "rule 'a', line 3" in err and "duplicate" in err


def test_rules_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "validate", str(tmp_path / "nope.yaml")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_check_honours_the_service_wide_threshold(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without a classifier every score is 0: only a threshold of 0 makes "hello" spam.
    assert main(["check", "hello", "--no-classifier", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["action"] == "allow"
    monkeypatch.setenv("DOZOR_MODERATION_SPAM_THRESHOLD", "0")
    assert main(["check", "hello", "--no-classifier", "--json"]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["action"] != "allow" and verdict["reasons"][0]["name"] == "spam"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (hostile.billion_laughs(), "anchors and aliases"),
        (hostile.deeply_nested_yaml(), "levels deep"),
        (hostile.large_rule_file(), "larger than 1024 KB"),
    ],
    ids=["billion-laughs", "9KB-deep", "2MB"],
)
def test_rules_validate_refuses_hostile_files_cleanly(
    text: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["rules", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_rules_validate_refuses_a_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("- name: caf\xe9\n  action: warn\n".encode("latin-1"))
    assert main(["rules", "validate", str(path)]) == 1
    assert "not UTF-8" in capsys.readouterr().err
