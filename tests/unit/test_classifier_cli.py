"""`dozor model evaluate` / `dozor model train` on small temporary CSVs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bot.cli import main

ROWS = [
    ("Заработок от 5000 в день, пиши в лс", "spam"),
    ("Удалённая работа, 3000 в день, пишите в личку", "spam"),
    ("Подскажите, во сколько собрание?", "ham"),
    ("Спасибо, всё работает", "ham"),
    ("иди нахуй, дебил", "toxic"),
    ("спасибо, друг", "ok"),
    ("Заказ не пришёл уже две недели, поддержка молчит", "negative"),
    ("Как отследить заказ?", "neutral"),
]


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    return path


def test_evaluate_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write(tmp_path / "eval.csv", ROWS)
    assert main(["model", "evaluate", "--data", str(data), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"spam", "toxic", "negative"}
    for label, m in report.items():
        assert {"precision", "recall", "f1", "roc_auc", "fpr", "confusion", "n"} <= set(m), label
        half = 2 if label == "spam" else 1
        assert m["n"] == 2 * half
        assert m["roc_auc"] == 1.0
        assert m["confusion"] == [[half, 0], [0, half]]


def test_evaluate_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write(tmp_path / "eval.csv", ROWS[:4])
    assert main(["model", "evaluate", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "spam" in out and "ROC-AUC" in out


def test_evaluate_rejects_unknown_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write(tmp_path / "eval.csv", [("hello", "maybe")])
    assert main(["model", "evaluate", "--data", str(data)]) == 1
    assert "unknown labels" in capsys.readouterr().err


def test_train_without_seed_writes_a_loadable_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [(f"{text} {suffix}", label) for text, label in ROWS for suffix in ("", "!", "?", "...", ")")]
    data = _write(tmp_path / "train.csv", rows)
    out = tmp_path / "models"
    code = main(["model", "train", "--no-seed", "--data", str(data), "--out", str(out), "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    path = Path(result["path"])
    assert path.parent == out and path.is_file() and path.with_suffix(".json").is_file()
    assert set(result["metrics"]) <= {"spam", "toxicity", "negativity"}
    assert main(["model", "evaluate", "--data", str(data), "--model", str(path), "--json"]) == 0


def test_train_tunes_the_shipped_model_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from moderation.classifier import load, load_default

    data = _write(tmp_path / "labels.csv", [("Кто хочет заработать? Пишите", "ham"), *ROWS])
    out = tmp_path / "models"
    assert main(["model", "train", "--data", str(data), "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    tuned = load(result["path"])
    assert tuned.metadata["tuned_from"] == load_default().version
    assert tuned.metadata["training_data"]["extra_examples"] == len(ROWS) + 1
    assert result["metrics"] == {}


def test_tuning_without_examples_says_what_to_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["model", "train", "--out", str(tmp_path / "models")]) == 1
    assert "--from-history" in capsys.readouterr().err
