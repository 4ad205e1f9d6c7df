"""Saving and loading models with skops (never pickle), and a store that follows new versions.

A model version is two files side by side: ``<version>.skops`` (the vectorizer and the weights)
and ``<version>.json`` (provenance, library versions, held-out metrics). Loading checks the JSON
first, then refuses any type in the skops file outside :data:`TRUSTED_TYPES`.
"""

from __future__ import annotations

import json
import os
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
import skops
import skops.io as sio
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from moderation.classifier.features import AdditiveTfidfVectorizer
from moderation.classifier.model import HEADS, Classifier
from moderation.errors import ModelError

# Every type a Dozor model file may contain; anything else is refused before it is loaded. The
# vectorizers are stored as their parameters plus vocabulary/IDF arrays (not as sklearn objects),
# which keeps this list to plain containers and numpy arrays — and the file small: skops writes
# a dict-valued ``vocabulary_`` as one archive member per term.
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
SUFFIX = ".skops"
_DEFAULT_NAME = "default"


def save(classifier: Classifier, directory: str | Path, name: str | None = None) -> Path:
    """Write ``<name or version>.skops`` and its ``.json`` metadata into ``directory``.

    The JSON is written last (atomically), so a store polling the directory never sees a model
    without its metadata.

    Returns:
        The path of the ``.skops`` file.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = name or classifier.version
    path = directory / f"{stem}{SUFFIX}"
    payload = {
        "format": 1,
        "heads": list(HEADS),
        "blocks": [_block_payload(name, vec) for name, vec in classifier.vectorizer.transformer_list],
        # float32 halves the file; scoring casts back to float64 the same way on every path.
        "weights": classifier.weights.astype(np.float32),
        "intercepts": classifier.intercepts.astype(np.float64),
    }
    tmp = path.with_suffix(".skops.tmp")
    sio.dump(payload, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    os.replace(tmp, path)
    meta = dict(classifier.metadata)
    meta.setdefault("version", classifier.version)
    meta.setdefault("libraries", {})["skops"] = skops.__version__
    meta["libraries"].setdefault("scikit-learn", sklearn.__version__)
    meta["file_bytes"] = path.stat().st_size
    tmp_json = path.with_suffix(".json.tmp")
    tmp_json.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_json, path.with_suffix(".json"))
    return path


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The JSON metadata beside a ``.skops`` model file."""
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
    """Refuse a model built with another scikit-learn major.minor release.

    Patch releases keep the fitted attributes of the vectorizers we store, so they are accepted.
    """
    built = str(meta.get("libraries", {}).get("scikit-learn", "unknown"))
    if _minor(built) != _minor(sklearn.__version__):
        raise ModelError(
            f"{path} was built with scikit-learn {built}, this environment has {sklearn.__version__}; "
            f"run `dozor model train` to rebuild, or install scikit-learn=={built}"
        )


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def load(path: str | Path) -> Classifier:
    """Load a model saved by :func:`save`.

    Raises:
        ModelError: missing file, incompatible scikit-learn, a type outside the allow-list, or a
            file that is not a Dozor model. The message says how to fix it.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file {path} not found; run `dozor model train` to create one")
    meta = read_metadata(path)
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
    )


def _types_in(path: Path) -> set[str]:
    """Every ``module.class`` named anywhere in the archive's schema, read without loading it."""
    try:
        with zipfile.ZipFile(path) as zf:
            schema = json.loads(zf.read("schema.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{path} is not a readable skops file ({exc}); run `dozor model train`") from exc
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


_TFIDF = {"tfidf": TfidfVectorizer, "additive": AdditiveTfidfVectorizer}
_PARAMS = {
    "tfidf": ("analyzer", "ngram_range", "lowercase", "token_pattern", "min_df", "max_df", "max_features",
              "norm", "use_idf", "smooth_idf", "sublinear_tf", "binary", "strip_accents"),
    "hashing": ("analyzer", "ngram_range", "lowercase", "token_pattern", "n_features", "norm",
                "alternate_sign", "binary", "strip_accents"),
}  # fmt: skip
_PARAMS["additive"] = _PARAMS["tfidf"]


def _block_payload(name: str, vec: Any) -> dict[str, Any]:
    if isinstance(vec, AdditiveTfidfVectorizer):
        kind = "additive"
    elif isinstance(vec, TfidfVectorizer):
        kind = "tfidf"
    elif isinstance(vec, HashingVectorizer):
        kind = "hashing"
    else:
        raise ModelError(f"cannot save a {type(vec).__name__} block; only TF-IDF and hashing vectorizers")
    params = vec.get_params()
    chosen = {k: params[k] for k in _PARAMS[kind]}
    block: dict[str, Any] = {"name": name, "kind": kind, "params": json.dumps(chosen)}
    if kind in _TFIDF:
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        block["terms"] = np.array(terms, dtype=str)
        block["idf"] = np.asarray(vec.idf_, dtype=np.float64)
    return block


def _block_from_payload(block: dict[str, Any]) -> tuple[str, Any]:
    params = json.loads(block["params"])
    params["ngram_range"] = tuple(params["ngram_range"])
    if block["kind"] == "hashing":
        return block["name"], HashingVectorizer(**params)
    if block["kind"] not in _TFIDF:
        raise ValueError(f"unknown block kind {block['kind']!r}")
    vec = _TFIDF[block["kind"]](**params)
    terms = [str(t) for t in block["terms"].tolist()]
    vec.vocabulary_ = {t: i for i, t in enumerate(terms)}
    vec.fixed_vocabulary_ = False
    vec.idf_ = np.asarray(block["idf"], dtype=np.float64)
    if len(vec.idf_) != len(terms):
        raise ValueError("vocabulary and IDF sizes differ")
    return block["name"], vec


def default_model_path() -> Path:
    """The shipped model, ``moderation/data/model/default.skops``."""
    return Path(str(resources.files("moderation") / "data" / "model" / f"{_DEFAULT_NAME}{SUFFIX}"))


def load_default() -> Classifier:
    """The model that ships with the project, trained only on the project's seed corpus."""
    return load(default_model_path())
