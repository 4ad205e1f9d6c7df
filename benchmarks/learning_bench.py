"""Learning from moderators, replayed: recall and false positives before and after each retraining.

A community's real labelled messages (the *training* split of a public set) arrive in rounds. The
engine decides each one (default policy, no rules, established members). Simulated moderators
then act as the real flow lets them, and only there is a label stored (``handlers/decisions.py``):

* an **escalated** message is decided by a moderator: its true label;
* a **missed spam** message (allowed) is reported by a member with probability ``--report``
  (decided by the text's hash, so every run is the same) and the moderator marks it spam;
* a **wrongly deleted** ham message is appealed with probability ``--appeal`` and approved (ham);
* a correctly deleted message produces no label.

After each round the model is retrained the way ``DOZOR_MODERATION_RETRAIN_HOURS`` does it
(``dozor model train --from-history``: the base model tuned on every label so far, weight 3), and
scored on the set's held-out split, which the stream never contains.

The base is the shipped recipe trained *without* the community's set (leave one source out): a
community whose traffic the model has never seen. ``--base shipped`` uses the shipped model.

Run: ``python benchmarks/learning_bench.py [--source tg_chat_ru_monalenka] [--rounds 5]``

``--corrections`` (the README's table) replays *every* shared spam set as a community's stream in
which moderators correct each of the model's mistakes as it happens (a missed spam is marked spam,
a deleted ham is restored): the model is re-tuned every 50 corrections on all corrections so far,
and after 50, 200 and 1,000 corrections its F1 is measured on what follows — the rest of the
stream, which it has not seen — and on the set's held-out split.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_default  # noqa: E402

from moderation.classifier import Classifier, load_default  # noqa: E402
from moderation.classifier.metrics import binary_report  # noqa: E402
from moderation.classifier.tuning import tune  # noqa: E402
from moderation.engine import Engine  # noqa: E402
from moderation.events import Author, Event, EventKind, MessageRef, Platform  # noqa: E402
from moderation.normalize import normalize  # noqa: E402
from moderation.policy import Policy  # noqa: E402

NOW = datetime(2026, 12, 1, tzinfo=UTC)
MEMBER = Author("u", message_count=200, first_seen=datetime(2025, 1, 1, tzinfo=UTC))


def _chance(text: str, salt: str) -> float:
    digest = hashlib.sha256(f"{salt}\0{text}".encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def moderate(
    clf: Classifier, rows: list[tuple[str, str]], report: float, appeal: float
) -> list[tuple[str, str]]:
    """The labels moderators store while the engine, with ``clf``, handles ``rows``."""
    engine, policy = Engine(clf), Policy()
    labels = []
    for i, (text, label) in enumerate(rows):
        event = Event(
            Platform.TELEGRAM, EventKind.TELEGRAM_MESSAGE, "c", MessageRef("c", str(i)), MEMBER, text, NOW
        )
        v = engine.decide(event, rules=None, policy=policy, now=NOW)
        if v.alert_moderators:
            labels.append((text, label))
        elif not v.delete_message and label == "spam" and _chance(text, "report") < report:
            labels.append((text, "spam"))
        elif v.delete_message and label == "ham" and _chance(text, "appeal") < appeal:
            labels.append((text, "ham"))
    return labels


def measure(clf: Classifier, rows: list[tuple[str, str]]) -> dict:
    y = [1 if label == "spam" else 0 for _, label in rows]
    p = clf.probabilities([normalize(t) for t, _ in rows])[:, 0]
    return binary_report(y, p, Policy().spam)


CHECKPOINTS = (50, 200, 1000)
RETUNE_EVERY = 50


def corrections(source: str, stream: list[tuple[str, str]], heldout: list[tuple[str, str]]) -> list[str]:
    """Markdown rows: F1 on what follows after 50, 200 and 1,000 corrections of one set's stream."""
    base, _ = train_default.build(train_default.DATASETS, exclude=(source,), heads=("spam",))
    threshold = Policy().spam
    clf, labels, pos = base, [], 0
    rows = []
    m = measure(base, stream)
    h = measure(base, heldout)
    first = f"{m['f1']:.3f} ({len(stream)})"
    rows.append(f"| {source} | 0 (base) | 0 | {first} | {h['f1']:.3f} | {100 * h['fpr']:.2f} % |")
    texts = [normalize(t) for t, _ in stream]
    while pos < len(stream) and len(labels) < CHECKPOINTS[-1]:
        # The current model decides the stream until the next RETUNE_EVERY mistakes are corrected.
        p = clf.probabilities(texts[pos:])[:, 0]
        want = RETUNE_EVERY - len(labels) % RETUNE_EVERY
        for offset, score in enumerate(p):
            text, label = stream[pos + offset]
            if (score >= threshold) != (label == "spam"):
                labels.append((text, label))
                want -= 1
                if want == 0:
                    break
        pos += offset + 1
        clf = tune(base, labels, example_weight=3.0)
        if len(labels) in CHECKPOINTS:
            rest = stream[pos:]
            m = measure(clf, rest) if rest else None
            h = measure(clf, heldout)
            follows = f"{m['f1']:.3f} ({len(rest)})" if m else "– (stream ended)"
            rows.append(
                f"| {source} | {len(labels)} | {pos} | {follows} | {h['f1']:.3f} | {100 * h['fpr']:.2f} % |"
            )
    if len(labels) < CHECKPOINTS[-1]:  # fewer mistakes than the last checkpoint in the whole stream
        h = measure(clf, heldout)
        ended = f"{len(labels)} (all the stream's mistakes)"
        rows.append(f"| {source} | {ended} | {pos} | – | {h['f1']:.3f} | {100 * h['fpr']:.2f} % |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", default="tg_chat_ru_monalenka", help="a spam/ham set in ../shared/datasets"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--report", type=float, default=0.3, help="share of missed spam members report")
    parser.add_argument("--appeal", type=float, default=0.5, help="share of wrongly deleted ham appealed")
    parser.add_argument("--base", choices=["loso", "shipped"], default="loso")
    parser.add_argument("--C", type=float, default=None, help="tuning's inverse penalty for spam")
    parser.add_argument("--weight", type=float, default=3.0, help="weight of a label (the CLI's --weight)")
    parser.add_argument(
        "--corrections", action="store_true", help="every spam set, moderators correct each mistake"
    )
    args = parser.parse_args()
    sets = train_default.load_sets(train_default.DATASETS)
    if args.corrections:
        print("# Moderators correct each mistake as it happens: F1 on what follows\n")
        print(f"Base: the recipe trained without the set; re-tuned every {RETUNE_EVERY} corrections")
        print(f"(weight 3); spam threshold {Policy().spam}. 'What follows' = the rest of the shuffled")
        print("training split, never seen.\n")
        print("| set | corrections | messages seen | F1 on what follows (n) | F1 held-out | FPR held-out |")
        print("|---|---|---|---|---|---|")
        for stem in train_default.SPAM_SETS:
            if stem in sets:
                stream = sets[stem][0][:]
                random.Random(0).shuffle(stream)
                for row in corrections(stem, stream, sets[stem][1]):
                    print(row, flush=True)
        return 0
    if args.source not in sets:
        print(f"{args.source} not found in {train_default.DATASETS}; nothing to replay", file=sys.stderr)
        return 1
    stream, heldout = sets[args.source]
    stream = stream[:]
    random.Random(0).shuffle(stream)  # the file groups its labels; traffic mixes them
    t0 = time.perf_counter()
    if args.base == "loso":
        base, _ = train_default.build(train_default.DATASETS, exclude=(args.source,), heads=("spam",))
    else:
        base = load_default()
    print(
        f"# Learning from moderators: {args.source}, base = {args.base} ({time.perf_counter() - t0:.0f} s)\n"
    )
    print(f"Stream: the set's training split, shuffled, {len(stream)} messages in {args.rounds} rounds;")
    print("scored on its")
    print(f"held-out split ({len(heldout)} messages) at the spam threshold {Policy().spam}. Members report")
    shares = f"{100 * args.report:.0f} % of missed spam; {100 * args.appeal:.0f} %"
    print(f"{shares} of wrongly deleted ham is appealed.\n")
    print("| after round | labels stored (total) | precision | recall | F1 | false positives | ROC-AUC |")
    print("|---|---|---|---|---|---|---|")
    size = -(-len(stream) // args.rounds)
    clf, labels = base, []
    m = measure(clf, heldout)
    print(f"| 0 (base) | 0 | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
          f"| {100 * m['fpr']:.2f} % | {m['roc_auc']:.3f} |")  # fmt: skip
    for k in range(args.rounds):
        labels += moderate(clf, stream[k * size : (k + 1) * size], args.report, args.appeal)
        clf = tune(base, labels, example_weight=args.weight, C=None if args.C is None else {"spam": args.C})
        m = measure(clf, heldout)
        print(f"| {k + 1} | {len(labels)} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
              f"| {100 * m['fpr']:.2f} % | {m['roc_auc']:.3f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
