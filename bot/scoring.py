"""The classifier that the service and every command use.

The newest version trained into ``DOZOR_MODERATION_MODEL_DIR`` (``dozor model train``), or the
model shipped with the package when there is none. One way to load it, so that `dozor check`,
`dozor shell`, `dozor rules backtest` and the running service judge alike.
"""

from __future__ import annotations

import logging
from pathlib import Path

from moderation.classifier.versions import ModelStore
from moderation.errors import ModelError

log = logging.getLogger(__name__)


def load_scorer(model_dir: Path, *, compiled: bool = True) -> tuple[ModelStore | None, str]:
    """The model store, and a line saying which model it is (or why there is none).

    ``compiled=False`` scores in plain Python: the same numbers without loading numba's loops,
    for a command that scores a single text (`dozor check`).

    A model that cannot be loaded (e.g. saved by another scikit-learn version) leaves Dozor
    deciding on rules alone, with the reason logged and returned, rather than not starting.
    """
    try:
        store = ModelStore(model_dir, compiled=compiled)
    except ModelError as exc:
        log.warning("classifier unavailable, deciding on rules only: %s", exc)
        return None, f"no classifier ({exc}); rules only"
    return store, f"classifier {store.version}"
