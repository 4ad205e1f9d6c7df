"""Leave one source out: how the shipped recipe judges traffic it never saw.

For every public set the shipped model may train on, the recipe (``train_default.build``) is
trained *without* that set and scores the set's held-out split at the shipped thresholds (the
engine's defaults, on which the recipe places its operating points — chosen, here, without the
left-out set's rows too). A set the recipe never trains on (research licence, out of domain) is
scored by the full recipe. Then every *benign* held-out row (ham, ok, neutral) of every set is
scored by the model that never saw its set, on every head, and the share each head flags is
reported per language: ordinary English must not read as toxic, a Russian chat message must not
read as spam.

These are the figures a model change is accepted or rejected by (``moderation/classifier/README.md``,
*Decision log*); in-split figures measure how well a set is remembered, not how the next
community will be judged.

Usage::

    python scripts/loso.py                 # trains one model per set (~1.5 min each) + the full one
    python scripts/loso.py --json out.json # also writes the figures
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_default

from moderation.classifier import Classifier
from moderation.classifier.linear import HEADS
from moderation.classifier.metrics import binary_report
from moderation.classifier.sources import SOURCES, language
from moderation.normalize import normalize
from moderation.policy import Policy

_POLICY = Policy()
SHIPPED = {"spam": _POLICY.spam, "toxicity": _POLICY.toxicity, "negativity": _POLICY.negativity}
POSITIVE = {"spam": "spam", "toxicity": "toxic", "negativity": "negative"}
BENIGN = frozenset({"ham", "ok", "neutral"})
LANGUAGES = ("ru", "en")


@dataclass
class Judgement:
    """What leave-one-source-out measured.

    Attributes:
        sources: per set, its head, whether it was left out (else never trained on), the
            ``binary_report`` of its held-out split at the shipped threshold, and training seconds.
        benign: ``{head: {language: {"n", "flagged", "median"}}}`` over benign held-out rows.
        benign_by_source: ``{stem: {head: flagged share}}``.
    """

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    benign: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    benign_by_source: dict[str, dict[str, float]] = field(default_factory=dict)


def judge(
    sets: dict[str, Any],
    folder: Path,
    full: Classifier | None = None,
    log: Any = None,
    only: tuple[str, ...] = (),
    **recipe: Any,
) -> Judgement:
    """Train the recipe without each trainable set and score what it never saw.

    Args:
        sets: ``train_default.load_sets(folder)``.
        folder: the data sets' folder (the recipe reads it again for each model).
        full: the model for sets never trained on (default: the full recipe, trained here).
        log: where to print progress (None: quiet).
        only: leave out only these sets (experiments; default: every trainable one).
        recipe: keyword arguments for ``train_default.build`` (experiments: ``balanced``, ``pipeline``).
    """
    out = Judgement()
    scores: dict[str, np.ndarray] = {}  # stem -> (n, 3) probabilities of its held-out rows
    for s in SOURCES:
        if s.stem not in sets or not s.train or (only and s.stem not in only):
            continue
        t0 = time.perf_counter()
        clf, _ = train_default.build(folder, exclude=(s.stem,), **recipe)
        took = time.perf_counter() - t0
        scores[s.stem] = _probabilities(clf, sets[s.stem][1])
        out.sources[s.stem] = {"head": s.head, "left_out": True, "train_s": round(took)}
        if log:
            print(f"  left out {s.stem}: trained in {took:.0f} s", file=log, flush=True)
    rest = [s for s in SOURCES if s.stem in sets and not s.train and (not only or s.stem in only)]
    if rest:
        if full is None:
            full, _ = train_default.build(folder, **recipe)
        for s in rest:
            scores[s.stem] = _probabilities(full, sets[s.stem][1])
            out.sources[s.stem] = {"head": s.head, "left_out": False, "train_s": 0}
    pooled: dict[str, dict[str, list[float]]] = {h: {lang: [] for lang in LANGUAGES} for h in HEADS}
    for stem, p in scores.items():
        rows = sets[stem][1]
        head = out.sources[stem]["head"]
        y = [1 if label == POSITIVE[head] else 0 for _, label in rows]
        out.sources[stem]["report"] = binary_report(y, p[:, HEADS.index(head)], SHIPPED[head])
        benign = [i for i, (_, label) in enumerate(rows) if label in BENIGN]
        out.benign_by_source[stem] = {
            h: round(float(np.mean(p[benign, j] >= SHIPPED[h])), 5) if benign else 0.0
            for j, h in enumerate(HEADS)
        }
        for i in benign:
            lang = language(rows[i][0])
            if lang in LANGUAGES:
                for j, h in enumerate(HEADS):
                    pooled[h][lang].append(float(p[i, j]))
    for h in HEADS:
        out.benign[h] = {}
        for lang, ps in pooled[h].items():
            flagged = sum(1 for v in ps if v >= SHIPPED[h])
            out.benign[h][lang] = {
                "n": len(ps),
                "flagged": round(flagged / len(ps), 5) if ps else 0.0,
                "median": round(statistics.median(ps), 3) if ps else 0.0,
            }
    return out


def _probabilities(clf: Classifier, rows: list[tuple[str, str]]) -> np.ndarray:
    return clf.probabilities([normalize(t) for t, _ in rows])


def print_tables(j: Judgement, out: Any = sys.stdout) -> None:
    """The two headline tables, as Markdown."""
    print("| set (held-out split) | score | how it was unseen | n (positives) | ROC-AUC "
          "| precision / recall / F1 at the shipped threshold | benign flagged |", file=out)  # fmt: skip
    print("|---|---|---|---|---|---|---|", file=out)
    for stem, r in j.sources.items():
        m = r["report"]
        how = "left out of training" if r["left_out"] else "never trained on"
        auc = "–" if m["roc_auc"] is None else f"{m['roc_auc']:.3f}"
        print(f"| {stem} | {r['head']} | {how} | {m['n']} ({m['positives']}) | {auc} "
              f"| {SHIPPED[r['head']]:.2f}: {m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f} "
              f"| {100 * (m['fpr'] or 0):.2f} % |", file=out)  # fmt: skip
    note = (
        "\nBenign held-out text (ham, ok, neutral of every set), each row scored by the model that\n"
        "never saw its set: the share each head flags at its shipped threshold (median score).\n"
    )
    print(note, file=out)
    print("| head | threshold | ru: n | ru flagged (median) | en: n | en flagged (median) |", file=out)
    print("|---|---|---|---|---|---|", file=out)
    for h, by_lang in j.benign.items():
        ru, en = by_lang["ru"], by_lang["en"]
        print(f"| {h} | {SHIPPED[h]:.2f} | {ru['n']} | {100 * ru['flagged']:.2f} % ({ru['median']:.2f}) "
              f"| {en['n']} | {100 * en['flagged']:.2f} % ({en['median']:.2f}) |", file=out)  # fmt: skip


def summary(j: Judgement) -> dict[str, float]:
    """The few numbers a change is judged by (means over sets; benign flag rates per language)."""
    out: dict[str, float] = {}
    for head, key in (("spam", "f1"), ("toxicity", "roc_auc")):
        vals = [r["report"][key] for r in j.sources.values() if r["head"] == head]
        vals = [v for v in vals if v is not None]
        if vals:
            out[f"{head} mean {key}"] = round(float(np.mean(vals)), 4)
    for h, by_lang in j.benign.items():
        for lang, v in by_lang.items():
            out[f"{h} benign {lang} flagged"] = v["flagged"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=train_default.DATASETS)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--only", default="", help="comma-separated sets to leave out (experiments)")
    parser.add_argument("--pipeline", default="tfidf-lr", help="experiments: e.g. lemma-lr")
    parser.add_argument("--unbalanced", action="store_true", help="experiments: the recipe without balance()")
    args = parser.parse_args(argv)
    if not args.datasets.is_dir():
        print(f"{args.datasets} not found: nothing to leave out (set DOZOR_DATASETS)", file=sys.stderr)
        return 1
    sets = train_default.load_sets(args.datasets)
    only = tuple(x for x in args.only.split(",") if x)
    recipe = {"pipeline": args.pipeline, "balanced": not args.unbalanced}
    j = judge(sets, args.datasets, log=sys.stderr, only=only, **recipe)
    print_tables(j)
    print("\n" + json.dumps(summary(j), indent=1))
    if args.json:
        args.json.write_text(json.dumps(j.__dict__, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
