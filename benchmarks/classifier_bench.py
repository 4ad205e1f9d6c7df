"""Classifier benchmark: quality on public data sets, cross-data-set transfer, and speed.

Usage:
    python benchmarks/classifier_bench.py              # default model: quality, transfer, speed
    python benchmarks/classifier_bench.py --compare    # also train and compare every pipeline
    python benchmarks/classifier_bench.py --model PATH # another .skops model instead of the shipped one

Data sets are read from ``../shared/datasets/`` beside the repository when present; without
them only the speed section runs (on the seed corpus). Models trained here on those data sets are
experiments: they are never saved.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from moderation.classifier import Classifier, load, load_default, save, seed_examples, train
from moderation.classifier.metrics import binary_report
from moderation.classifier.storage import default_model_path
from moderation.classifier.training import PIPELINES
from moderation.normalize import normalize
from moderation.policy import Policy

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SETS = {  # file stem → head index scored against it
    "tg_spam_umputun": 0,
    "tg_chat_ru_monalenka": 0,
    "sms_spam_uci": 0,
    "ru_toxic_2ch_pikabu": 1,
    "en_offensive_davidson": 1,
}
HEAD_NAMES = ("spam", "toxicity", "negativity")


def read_set(stem: str) -> list[tuple[str, str]]:
    with (DATASETS / f"{stem}.csv").open(encoding="utf-8", newline="") as fh:
        return [(r["text"], r["label"]) for r in csv.DictReader(fh)]


def quality(
    clf: Classifier, rows: list[tuple[str, str]], head: int, threshold: float = 0.5
) -> dict[str, Any]:
    y = [1 if label in ("spam", "toxic") else 0 for _, label in rows]
    proba = clf.probabilities([normalize(t) for t, _ in rows])[:, head]
    return binary_report(y, proba, threshold=threshold)


# The engine's default thresholds (config: DOZOR_MODERATION_*_THRESHOLD).
_POLICY = Policy()
ENGINE_THRESHOLDS = {0: _POLICY.spam, 1: _POLICY.toxicity}


def _row(name: str, score: str, m: dict[str, Any]) -> str:
    auc = "-" if m["roc_auc"] is None else f"{m['roc_auc']:.3f}"
    return (
        f"| {name} | {score} | {m['n']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
        f"| {auc} | {m['fpr']:.3f} | {m['brier']:.3f} |"
    )


QUALITY_HEAD = (
    "| model / data set | score | n | precision | recall | F1 | ROC-AUC | FPR | Brier |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def section_default(clf: Classifier, data: dict[str, list[tuple[str, str]]]) -> None:
    print(f"\n## (a) Default model `{clf.version}` (seed corpus only) on every data set, threshold 0.5\n")
    print(QUALITY_HEAD)
    for stem, head in SETS.items():
        print(_row(stem, HEAD_NAMES[head], quality(clf, data[stem], head)))
    spam, toxicity = ENGINE_THRESHOLDS.values()
    print(f"\nThe same at the engine's default thresholds (spam {spam}, toxicity {toxicity}):\n")
    print(QUALITY_HEAD)
    for stem, head in SETS.items():
        t = ENGINE_THRESHOLDS[head]
        print(_row(f"{stem} @ {t}", HEAD_NAMES[head], quality(clf, data[stem], head, t)))


def _as_examples(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(t, label) for t, label in rows]


def _split(rows: list[tuple[str, str]], frac: float, seed: int = 0) -> tuple[list, list]:
    rows = rows[:]
    random.Random(seed).shuffle(rows)
    k = int(len(rows) * frac)
    return rows[k:], rows[:k]


def section_transfer(clf: Classifier, data: dict[str, list[tuple[str, str]]]) -> None:
    print("\n## (b) Cross-data-set transfer (experiment models, never saved), threshold 0.5\n")
    print(QUALITY_HEAD)
    experiments = [
        ("train tg_spam_umputun → test tg_chat_ru_monalenka", ["tg_spam_umputun"], "tg_chat_ru_monalenka", 0),
        ("train tg_chat_ru_monalenka → test tg_spam_umputun", ["tg_chat_ru_monalenka"], "tg_spam_umputun", 0),
        ("train tg_spam_umputun → test sms_spam_uci", ["tg_spam_umputun"], "sms_spam_uci", 0),
        (
            "train ru_toxic_2ch_pikabu → test en_offensive_davidson",
            ["ru_toxic_2ch_pikabu"],
            "en_offensive_davidson",
            1,
        ),
        (
            "train en_offensive_davidson → test ru_toxic_2ch_pikabu",
            ["en_offensive_davidson"],
            "ru_toxic_2ch_pikabu",
            1,
        ),
    ]
    for name, sources, target, head in experiments:
        rows = [r for s in sources for r in data[s]]
        exp, _ = train(_as_examples(rows), include_seed=False, holdout=0, heads=(HEAD_NAMES[head],))
        print(_row(name, HEAD_NAMES[head], quality(exp, data[target], head)))
        print(_row(f"  default model on {target}", HEAD_NAMES[head], quality(clf, data[target], head)))
    for stem, head in (("tg_spam_umputun", 0), ("tg_chat_ru_monalenka", 0), ("ru_toxic_2ch_pikabu", 1)):
        tr, te = _split(data[stem], 0.2)
        exp, _ = train(_as_examples(tr), include_seed=False, holdout=0, heads=(HEAD_NAMES[head],))
        print(_row(f"random 80/20 split of {stem}", HEAD_NAMES[head], quality(exp, te, head)))
        print(_row("  default model on the same 20%", HEAD_NAMES[head], quality(clf, te, head)))


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError):
        return float("nan")


def _q(xs: list[float], p: float) -> float:
    return statistics.quantiles(xs, n=1000)[int(p * 1000) - 1] * 1000


def _latencies(fn: Any, items: list[str]) -> list[float]:
    out = []
    for t in items:
        s = time.perf_counter()
        fn(t)
        out.append(time.perf_counter() - s)
    return out


def speed(path: Path, texts: list[str]) -> dict[str, float]:
    """Latency and throughput of a freshly loaded model."""
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    clf = load(path)
    load_s = time.perf_counter() - t0
    model_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    sample = texts[:2000]
    norm = [normalize(t) for t in sample]
    one = _latencies(clf.score, norm)
    full = _latencies(lambda t: clf.score(normalize(t)), sample)
    sk = _latencies(lambda t: clf.vectorizer.transform([t]) @ clf.weights, norm[:500])
    rest = texts[2000:] or texts
    s = time.perf_counter()
    for i in range(0, len(rest), 1000):
        clf.score_texts(rest[i : i + 1000])
    batch = len(rest) / (time.perf_counter() - s)
    return {
        "p50_ms": _q(one, 0.5),
        "p99_ms": _q(one, 0.99),
        "with_normalize_p99_ms": _q(full, 0.99),
        "sklearn_transform_p50_ms": _q(sk, 0.5),
        "batch": batch,
        "load_s": load_s,
        "model_mb": model_mb,
        "rss_total_mb": _rss_mb(),
        "size_mb": path.stat().st_size / 1e6,
        "features": clf.weights.shape[0],
    }


SPEED_HEAD = (
    "| model | one text p50 / p99 ms | normalise+score p99 ms | sklearn transform+dot p50 ms "
    "| batch texts/s incl. normalising | load s | model in RAM MB | process RSS MB | file MB | features |"
    "\n|---|---|---|---|---|---|---|---|---|---|"
)


def _speed_row(name: str, s: dict[str, float]) -> str:
    return (
        f"| {name} | {s['p50_ms']:.3f} / {s['p99_ms']:.3f} | {s['with_normalize_p99_ms']:.3f} "
        f"| {s['sklearn_transform_p50_ms']:.3f} | {s['batch']:,.0f} | {s['load_s']:.2f} "
        f"| {s['model_mb']:.0f} | {s['rss_total_mb']:.0f} | {s['size_mb']:.2f} | {s['features']:,} |"
    )


def section_compare(data: dict[str, list[tuple[str, str]]], texts: list[str], tmp: Path) -> None:
    print("\n## (d) Pipelines compared: each trained on the seed corpus only, scored on the public sets\n")
    print("| pipeline | umputun spam F1 | umputun AUC | monalenka spam F1 | monalenka ham FPR | sms F1 "
          "| ru_toxic AUC | ru_toxic F1 | davidson AUC | train s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    speeds = {}
    for pipeline in PIPELINES:
        t0 = time.perf_counter()
        clf, _ = train(pipeline=pipeline, holdout=0)
        train_s = time.perf_counter() - t0
        path = save(clf, tmp, name=pipeline)
        if data:
            u = quality(clf, data["tg_spam_umputun"], 0)
            m = quality(clf, data["tg_chat_ru_monalenka"], 0)
            s = quality(clf, data["sms_spam_uci"], 0)
            r = quality(clf, data["ru_toxic_2ch_pikabu"], 1)
            d = quality(clf, data["en_offensive_davidson"], 1)
            print(
                f"| {pipeline} | {u['f1']:.3f} | {u['roc_auc']:.3f} | {m['f1']:.3f} | {m['fpr']:.3f} "
                f"| {s['f1']:.3f} | {r['roc_auc']:.3f} | {r['f1']:.3f} | {d['roc_auc']:.3f} | {train_s:.0f} |"
            )
        speeds[pipeline] = speed(path, texts)
        del clf
    print()
    print(SPEED_HEAD)
    for pipeline, s in speeds.items():
        print(_speed_row(pipeline, s))


def main() -> int:
    parser = argparse.ArgumentParser(description="Dozor classifier benchmark")
    parser.add_argument("--model", type=Path, help="a .skops model (default: the shipped one)")
    parser.add_argument("--compare", action="store_true", help="train and compare every pipeline (slow)")
    parser.add_argument("--no-transfer", action="store_true", help="skip the cross-data-set section")
    args = parser.parse_args()

    path = args.model or default_model_path()
    clf = load(path) if args.model else load_default()
    have_data = DATASETS.is_dir() and all((DATASETS / f"{s}.csv").is_file() for s in SETS)
    data = {stem: read_set(stem) for stem in SETS} if have_data else {}
    print(f"# Dozor classifier benchmark\n\nmodel: `{path}`  \ndata sets: `{DATASETS}`"
          f" ({'present' if have_data else 'ABSENT: quality sections skipped'})")  # fmt: skip
    if have_data:
        section_default(clf, data)
        if not args.no_transfer:
            section_transfer(clf, data)
        texts = [t for t, _ in data["tg_chat_ru_monalenka"]] + [t for t, _ in data["tg_spam_umputun"]]
    else:
        texts = [t for t, _ in seed_examples()]
    random.Random(1).shuffle(texts)
    print(
        "\n## (c) Speed: one process, one thread; batch = score_texts in chunks of 1000 incl. normalisation\n"
    )
    print(SPEED_HEAD)
    print(_speed_row(clf.version, speed(path, texts)))
    if args.compare:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            section_compare(data, texts, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
