"""Saving and loading models: n-gram hashes and weights in a NumPy archive, never pickle.

A model version is two files side by side: ``<version>.npz`` (the feature blocks and
intercepts) and ``<version>.json`` (provenance, library versions, held-out metrics). The archive
holds numeric arrays only — per block its parameters, the 64-bit FNV-1a hashes of its n-grams
and their rows (``idf · w`` per head, ``idf²``) — and no vocabulary: a model trained on
third-party text carries none of it. Loading reads the JSON first, then checks every member of
the archive against :data:`ALLOWED_MEMBERS` (name, dtype, shape) before using it; NumPy reads it
with ``allow_pickle=False``, so an object array is refused rather than unpickled.

Models saved before the hashed format (``<version>.skops``, a vocabulary per block) still load:
their types are checked against :data:`TRUSTED_TYPES` first, and their vocabulary is hashed on
load and dropped.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from moderation.classifier.lean import HashedBlock
from moderation.classifier.linear import HEADS, Classifier
from moderation.errors import ModelError

FORMAT = 2
SUFFIX = ".npz"
LEGACY_SUFFIX = ".skops"
SUFFIXES = (SUFFIX, LEGACY_SUFFIX)
# Every member a model archive may hold: name pattern → (dtype, number of dimensions).
ALLOWED_MEMBERS = {
    r"format": (np.dtype(np.int64), 1),
    r"intercepts": (np.dtype(np.float64), 1),
    r"block\d_params": (np.dtype(np.int64), 1),
    r"block\d_hashes": (np.dtype(np.uint64), 1),
    r"block\d_rows": (np.dtype(np.float32), 2),
}
# Types a legacy ``.skops`` model may contain; anything else is refused before it is loaded.
TRUSTED_TYPES = (
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
    "builtins.str",
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "builtins.NoneType",
    "numpy.ndarray",
)
_DEFAULT_NAME = "default"


def save(classifier: Classifier, directory: str | Path, name: str | None = None) -> Path:
    """Write ``<name or version>.npz`` and its ``.json`` metadata into ``directory``.

    The JSON is written last (atomically), so a store polling the directory never sees a model
    without its metadata.

    Returns:
        The path of the ``.npz`` file.

    Raises:
        ModelError: the classifier's features cannot be stored as hashes (``Classifier.hashed``).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = name or classifier.version
    path = directory / f"{stem}{SUFFIX}"
    arrays: dict[str, np.ndarray] = {
        "format": np.array([FORMAT], dtype=np.int64),
        "intercepts": classifier.intercepts.astype(np.float64),
    }
    for i, block in enumerate(classifier.hashed()):
        arrays[f"block{i}_params"] = np.asarray(block.params, dtype=np.int64)
        arrays[f"block{i}_hashes"] = np.asarray(block.hashes, dtype=np.uint64)
        # float32 halves the file; every path scores the same float32 values cast to float64.
        arrays[f"block{i}_rows"] = np.asarray(block.rows, dtype=np.float32)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    os.replace(tmp, path)
    meta = dict(classifier.metadata)
    meta.setdefault("version", classifier.version)
    meta["format"] = FORMAT
    meta["heads"] = list(HEADS)
    meta["features"] = classifier.n_features
    meta["file_bytes"] = path.stat().st_size
    tmp_json = path.with_name(path.stem + ".json.tmp")
    tmp_json.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_json, path.with_suffix(".json"))
    return path


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The JSON metadata beside a model file."""
    meta_path = Path(path).with_suffix(".json")
    try:
        return json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(
            f"{meta_path} is missing; a model needs its metadata — run `dozor model train` to rebuild"
        ) from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {meta_path}: {exc}; run `dozor model train` to rebuild") from exc


def check_versions(meta: dict[str, Any], path: str | Path) -> None:
    """Refuse a legacy ``.skops`` model built with another scikit-learn major.minor release.

    Patch releases keep the fitted attributes of the vectorizers it stores, so they are accepted.
    A hashed model does not depend on scikit-learn.
    """
    import sklearn

    built = str(meta.get("libraries", {}).get("scikit-learn", "unknown"))
    if _minor(built) != _minor(sklearn.__version__):
        raise ModelError(
            f"{path} was built with scikit-learn {built}, this environment has {sklearn.__version__}; "
            f"run `dozor model train` to rebuild, or install scikit-learn=={built}"
        )


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def load(path: str | Path, *, compiled: bool = True) -> Classifier:
    """Load a model saved by :func:`save` (or a legacy ``.skops`` one).

    ``compiled=False``: score with plain Python, not the numba loops (see ``Classifier``).

    Raises:
        ModelError: missing file, a member outside the allow-list, or a file that is not a Dozor
            model. The message says how to fix it.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file {path} not found; run `dozor model train` to create one")
    meta = read_metadata(path)
    if path.suffix == LEGACY_SUFFIX:
        return _load_legacy(path, meta, compiled)
    if meta.get("format") != FORMAT or list(meta.get("heads", [])) != list(HEADS):
        raise ModelError(
            f"{path} is format {meta.get('format')} scoring {meta.get('heads')}, expected format {FORMAT} "
            f"scoring {list(HEADS)}; run `dozor model train` to rebuild it"
        )
    arrays = _read_archive(path)
    try:
        blocks = []
        for i in range(sum(1 for k in arrays if k.endswith("_params"))):
            blocks.append(HashedBlock(arrays[f"block{i}_params"], arrays[f"block{i}_hashes"],
                                      arrays[f"block{i}_rows"].astype(np.float64)))  # fmt: skip
        if arrays["format"].tolist() != [FORMAT]:
            raise ValueError(f"format {arrays['format'].tolist()}")
        return Classifier(
            None, None, arrays["intercepts"], version=str(meta.get("version", path.stem)), metadata=meta,
            blocks=blocks, compiled=compiled,
        )  # fmt: skip
    except (KeyError, ValueError) as exc:
        raise ModelError(
            f"{path} is not a valid Dozor model ({exc}); run `dozor model train` to rebuild"
        ) from exc


def _read_archive(path: Path) -> dict[str, np.ndarray]:
    """Every array of a model archive, each checked against :data:`ALLOWED_MEMBERS` first."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            out: dict[str, np.ndarray] = {}
            for name in npz.files:
                allowed = next((v for k, v in ALLOWED_MEMBERS.items() if re.fullmatch(k, name)), None)
                if allowed is None:
                    raise ModelError(f"{path} holds {name!r}, outside the allow-list; refusing to load it")
                array = npz[name]  # allow_pickle=False: an object array raises here, unread
                if array.dtype != allowed[0] or array.ndim != allowed[1]:
                    raise ModelError(
                        f"{path}: {name} is {array.dtype} with {array.ndim} dimensions, expected "
                        f"{allowed[0]} with {allowed[1]}; refusing to load it"
                    )
                out[name] = array
            return out
    except ModelError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelError(f"{path} is not a readable model archive ({exc}); run `dozor model train`") from exc


def _load_legacy(path: Path, meta: dict[str, Any], compiled: bool = True) -> Classifier:
    import skops.io as sio
    from sklearn.pipeline import FeatureUnion

    check_versions(meta, path)
    found = _types_in(path)
    refused = sorted(found - set(TRUSTED_TYPES))
    if refused:
        raise ModelError(
            f"{path} contains types outside the allow-list: {', '.join(refused)}; refusing to load it. "
            "Only models written by `dozor model train` are accepted"
        )
    try:
        payload = sio.load(path, trusted=sorted(found))
    except Exception as exc:  # skops raises many types on a damaged archive
        raise ModelError(f"cannot load {path}: {exc}; run `dozor model train` to rebuild") from exc
    if not isinstance(payload, dict) or payload.get("format") != 1 or "blocks" not in payload:
        raise ModelError(f"{path} is not a Dozor model file; run `dozor model train` to rebuild")
    if list(payload.get("heads", [])) != list(HEADS):
        raise ModelError(f"{path} scores {payload.get('heads')}, expected {list(HEADS)}")
    try:
        vectorizer = FeatureUnion([_block_from_payload(b) for b in payload["blocks"]])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path} has a malformed vectorizer ({exc}); run `dozor model train`") from exc
    return Classifier(
        vectorizer,
        np.asarray(payload["weights"], dtype=np.float64),
        np.asarray(payload["intercepts"], dtype=np.float64),
        version=str(meta.get("version", path.stem)),
        metadata=meta,
        compiled=compiled,
    )


def _types_in(path: Path) -> set[str]:
    """Every ``module.class`` named anywhere in the archive's schema, read without loading it."""
    try:
        with zipfile.ZipFile(path) as zf:
            schema = json.loads(zf.read("schema.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{path} is not a readable model file ({exc}); run `dozor model train`") from exc
    found: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _block_from_payload(block: dict[str, Any]) -> tuple[str, Any]:
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer

    from moderation.classifier.features import AdditiveTfidfVectorizer

    tfidf = {"tfidf": TfidfVectorizer, "additive": AdditiveTfidfVectorizer}
    params = json.loads(block["params"])
    params["ngram_range"] = tuple(params["ngram_range"])
    if block["kind"] == "hashing":
        return block["name"], HashingVectorizer(**params)
    if block["kind"] not in tfidf:
        raise ValueError(f"unknown block kind {block['kind']!r}")
    vec = tfidf[block["kind"]](**params)
    terms = [str(t) for t in block["terms"].tolist()]
    vec.vocabulary_ = {t: i for i, t in enumerate(terms)}
    vec.fixed_vocabulary_ = False
    vec.idf_ = np.asarray(block["idf"], dtype=np.float64)
    if len(vec.idf_) != len(terms):
        raise ValueError("vocabulary and IDF sizes differ")
    return block["name"], vec


def default_model_path() -> Path:
    """The shipped model, ``moderation/data/model/default.npz``."""
    return Path(str(resources.files("moderation") / "data" / "model" / f"{_DEFAULT_NAME}{SUFFIX}"))


def load_default(*, compiled: bool = True) -> Classifier:
    """The model that ships with the project (``scripts/train_default.py`` builds it)."""
    return load(default_model_path(), compiled=compiled)
