"""`dozor model …`: train a new classifier version, evaluate a model on labelled CSV, show one."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from moderation.errors import ModelError

_HEAD_ORDER = ("spam", "toxicity", "negativity")


def register(sub: argparse._SubParsersAction) -> None:
    model = sub.add_parser("model", help="classifier: train a new version, evaluate, show info")
    model_sub = model.add_subparsers(title="model commands", metavar="ACTION", required=True)

    tr = model_sub.add_parser(
        "train", help="tune the shipped model on CSVs / moderator history (or retrain); write a new version"
    )
    tr.add_argument(
        "--data", action="append", default=[], metavar="CSV", help="extra text,label CSV (repeatable)"
    )
    tr.add_argument("--out", type=Path, help="model directory (default: DOZOR_MODERATION_MODEL_DIR)")
    tr.add_argument("--from-history", action="store_true", help="add labelled examples from the database")
    tr.add_argument(
        "--community",
        help="with --from-history: only this community's examples "
        "(its title, chat or group id, or Dozor's number)",
    )
    tr.add_argument(
        "--from-seed", action="store_true",
        help="train from the seed corpus plus the examples instead of tuning the shipped model "
        "(the public data sets the shipped model learnt from are then not included)",
    )  # fmt: skip
    tr.add_argument("--no-seed", action="store_true", help="with --from-seed: leave the seed corpus out")
    tr.add_argument("--base", type=Path, help="the model to tune (default: the shipped model)")
    tr.add_argument("--weight", type=float, default=3.0, help="weight of --data/history rows vs seed rows")
    tr.add_argument("--pipeline", default=None, help="advanced: tfidf-lr (default), tfidf-svc, tfidf-cnb, …")
    tr.add_argument("--json", action="store_true", help="print the metrics as JSON")
    tr.set_defaults(func=_train)

    ev = model_sub.add_parser("evaluate", help="precision/recall/F1/ROC-AUC/FPR of a model on a labelled CSV")
    ev.add_argument(
        "--data", action="append", required=True, metavar="CSV", help="text,label CSV (repeatable)"
    )
    ev.add_argument("--model", type=Path, help="a model file (default: the shipped model)")
    ev.add_argument(
        "--threshold", type=float, default=0.5, help="score at or above which a text counts as positive"
    )
    ev.add_argument("--json", action="store_true", help="print one JSON object keyed by label")
    ev.set_defaults(func=_evaluate)

    info = model_sub.add_parser("info", help="print a model's metadata")
    info.add_argument("--model", type=Path, help="a model file (default: the shipped model)")
    info.set_defaults(func=_info)


def _train(args: argparse.Namespace) -> int:
    from moderation.classifier import read_csv, save, train
    from moderation.classifier.training import DEFAULT_PIPELINE

    examples: list[tuple[str, str]] = []
    for path in args.data:
        examples += read_csv(path)
    if args.from_history:
        examples += _history(args.community)
    out = args.out or _model_dir()
    if args.from_seed or args.no_seed or args.pipeline:
        classifier, metrics = train(
            examples,
            include_seed=not args.no_seed,
            example_weight=args.weight,
            pipeline=args.pipeline or DEFAULT_PIPELINE,
        )
    else:
        from moderation.classifier import load, load_default
        from moderation.classifier.tuning import tune

        if not examples:
            raise ModelError("no labelled examples to tune on; pass --data CSV or --from-history")
        base = load(args.base) if args.base else load_default()
        classifier, metrics = tune(base, examples, example_weight=args.weight), {}
    path = save(classifier, out)
    if args.json:
        print(json.dumps({"version": classifier.version, "path": str(path), "metrics": metrics}, indent=2))
    else:
        print(f"trained {classifier.version} on {classifier.metadata['training_data']['rows']} rows "
              f"({len(examples)} extra); written to {path}")  # fmt: skip
        if metrics:
            print("held-out metrics (20% split, threshold 0.5):")
            _print_table({_label_of(h): m for h, m in metrics.items()})
        else:
            print(f"tuned from {classifier.metadata.get('tuned_from')}: {classifier.metadata.get('tuning')}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from moderation.classifier import load, load_default, read_csv
    from moderation.classifier.metrics import POSITIVE, binary_report, split_by_head

    classifier = load(args.model) if args.model else load_default()
    examples: list[tuple[str, str]] = []
    for path in args.data:
        examples += read_csv(path)
    by_head = split_by_head(examples)
    report: dict[str, Any] = {}
    for i, head in enumerate(_HEAD_ORDER):
        if head not in by_head:
            continue
        texts, ys = by_head[head]
        proba = _scores(classifier, texts, i)
        report[POSITIVE[head]] = binary_report(ys, proba, threshold=args.threshold)
    if not report:
        raise ModelError("no rows to evaluate; labels must be spam/ham, toxic/ok or negative/neutral")
    if args.json:
        print(json.dumps(report))
    else:
        print(f"model {classifier.version}, threshold {args.threshold}")
        _print_table(report)
    return 0


def _info(args: argparse.Namespace) -> int:
    from moderation.classifier import default_model_path
    from moderation.classifier.model_file import read_metadata

    print(json.dumps(read_metadata(args.model or default_model_path()), indent=2, ensure_ascii=False))
    return 0


def _scores(classifier: Any, texts: list[str], column: int) -> list[float]:
    from moderation.normalize import normalize

    return classifier.probabilities([normalize(t) for t in texts])[:, column].tolist()


def _label_of(head: str) -> str:
    from moderation.classifier.metrics import POSITIVE

    return POSITIVE[head]


def _print_table(report: dict[str, dict[str, Any]]) -> None:
    head = f"{'label':10} {'n':>6} {'prec':>6} {'recall':>6} {'F1':>6} {'ROC-AUC':>7} {'FPR':>6}"
    print(f"{head}  confusion [[tn fp] [fn tp]]")
    for label, m in report.items():
        auc = "-" if m["roc_auc"] is None else f"{m['roc_auc']:.3f}"
        fpr = "-" if m["fpr"] is None else f"{m['fpr']:.3f}"
        print(f"{label:10} {m['n']:>6} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {auc:>7} "
              f"{fpr:>6}  {m['confusion']}")  # fmt: skip


def _model_dir() -> Path:
    from config import load_settings

    return load_settings().moderation.model_dir


def _history(community: str | None) -> list[tuple[str, str]]:
    """Moderator-labelled examples from the database (of one community, when named), as
    (text, label) pairs."""
    from bot.cli._community import resolve
    from config import load_settings
    from models.db import Database
    from models.examples import list_examples

    async def fetch() -> list[tuple[str, str]]:
        db = Database(load_settings().database.url)
        try:
            community_id = (await resolve(db, community)).id if community else None
            async with db.transaction() as session:
                records = await list_examples(session, community_id=community_id)
        finally:
            await db.dispose()
        # Seed rows already come from the CSVs shipped with the package.
        return [(r.text, r.label) for r in records if r.source != "seed"]

    rows = asyncio.run(fetch())
    print(f"read {len(rows)} labelled examples from the database", file=sys.stderr)
    return rows
