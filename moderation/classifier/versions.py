"""A directory of model versions that a running service follows without a restart."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from moderation.classifier.linear import Classifier
from moderation.classifier.model_file import SUFFIXES, load, load_default, read_metadata
from moderation.errors import ModelError
from moderation.verdict import Scores

log = logging.getLogger(__name__)


class ModelStore:
    """The newest model version in ``directory``, falling back to the shipped default.

    ``dozor model train`` writes ``<version>.npz`` + ``<version>.json`` there (older versions
    may be ``<version>.skops``). The newest
    version is the one with the latest ``created_at`` in its metadata (ties broken by name).
    :meth:`reload_if_changed` is cheap enough to call every few seconds: it compares the
    directory's mtime and only lists and loads when that changed.

    The store is itself a ``Scorer``: ``store.score(text)`` uses the current model.
    """

    def __init__(
        self, directory: str | Path, *, fallback_to_default: bool = True, compiled: bool = True
    ) -> None:
        self.directory = Path(directory)
        self._fallback = fallback_to_default
        self._compiled = compiled
        self._lock = threading.Lock()
        self._mtime_ns: int | None = None
        self._path: Path | None = None
        self.last_error: str | None = None
        self._current: Classifier = self._initial()

    @property
    def current(self) -> Classifier:
        """The model in use."""
        return self._current

    @property
    def version(self) -> str:
        return self._current.version

    def score(self, normalized: str) -> Scores:
        return self._current.score(normalized)

    def newest(self) -> Path | None:
        """Path of the newest complete model version in the directory, if any."""
        best: tuple[str, str] | None = None
        best_path: Path | None = None
        paths = [p for suffix in SUFFIXES for p in self.directory.glob(f"*{suffix}")]
        for path in paths:
            if not path.with_suffix(".json").is_file():
                continue  # still being written
            try:
                created = str(read_metadata(path).get("created_at", ""))
            except ModelError:
                continue
            key = (created, path.stem)
            if best is None or key > best:
                best, best_path = key, path
        return best_path

    def reload_if_changed(self) -> bool:
        """Switch to a newer version if one appeared. Returns True when the model changed.

        A version that fails to load is skipped and recorded in :attr:`last_error`; the current
        model stays in use.
        """
        mtime = self._dir_mtime()
        if mtime == self._mtime_ns:
            return False
        with self._lock:
            self._mtime_ns = mtime
            path = self.newest()
            if path is None or path == self._path:
                return False
            try:
                model = load(path, compiled=self._compiled)
            except ModelError as exc:
                self.last_error = str(exc)
                log.warning("model %s not loaded, keeping %s: %s", path, self._current.version, exc)
                return False
            self._current, self._path, self.last_error = model, path, None
            log.info("model switched to %s", model.version)
            return True

    def _dir_mtime(self) -> int | None:
        try:
            return self.directory.stat().st_mtime_ns
        except OSError:
            return None

    def _initial(self) -> Classifier:
        self._mtime_ns = self._dir_mtime()
        path = self.newest() if self._mtime_ns is not None else None
        if path is not None:
            try:
                model = load(path, compiled=self._compiled)
                self._path = path
                return model
            except ModelError as exc:
                if not self._fallback:
                    raise
                self.last_error = str(exc)
                log.warning("model %s not loaded, using the shipped default: %s", path, exc)
        if not self._fallback:
            raise ModelError(f"no model in {self.directory}; run `dozor model train --out {self.directory}`")
        return load_default(compiled=self._compiled)
