"""Rebuild the shipped model, ``moderation/data/model/default.skops``, from the seed corpus alone.

Run after changing the seed corpus (``scripts/seed_corpus/generate.py``), the normaliser or the
pipeline: ``python scripts/train_default.py``. Prints the held-out metrics; measure the result on
the public sets with ``python benchmarks/classifier_bench.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation.classifier import default_model_path, save, train


def main() -> int:
    classifier, metrics = train()
    path = default_model_path()
    save(classifier, path.parent, name=path.stem)
    print(f"{path}: {classifier.version}")
    print(json.dumps(metrics, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
