"""The shipped model file holds numbers only: no vocabulary, no n-gram, no text of any data set."""

from __future__ import annotations

import collections
import csv
import io
import json
import re
import zipfile

import numpy as np

from moderation.classifier import load_default
from moderation.classifier.model_file import default_model_path
from moderation.classifier.sources import datasets_folder

DATASETS = datasets_folder()
_MEMBER = re.compile(r"(format|intercepts|block\d_(params|hashes|rows))\.npy")


def _members() -> dict[str, bytes]:
    with zipfile.ZipFile(default_model_path()) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _array_bytes(raw: bytes) -> bytes:
    """A member's bytes after its ``.npy`` header: the array's data."""
    fh = io.BytesIO(raw)
    version = np.lib.format.read_magic(fh)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    read(fh)
    return raw[fh.tell() :]


def test_every_byte_after_the_member_headers_is_a_number() -> None:
    members = _members()
    assert "format.npy" in members
    for name, raw in members.items():
        assert _MEMBER.fullmatch(name), name  # member names are the file's own metadata
        fh = io.BytesIO(raw)
        version = np.lib.format.read_magic(fh)
        read = (
            np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        )
        shape, _, dtype = read(fh)
        # the header ({'descr': '<u8', 'fortran_order': False, 'shape': (n,)}) is metadata too;
        # what follows it is exactly shape × itemsize bytes of an integer or float type
        assert dtype.kind in "iuf", (name, dtype)
        assert len(raw) - fh.tell() == int(np.prod(shape)) * dtype.itemsize, name


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (k, *_strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def test_metadata_holds_no_text() -> None:
    meta = json.loads(default_model_path().with_suffix(".json").read_text(encoding="utf-8"))
    for s in _strings(meta):
        # keys, versions, hashes, dates, data-set names: no spaces, nothing a sentence is made of
        assert re.fullmatch(r"[\w.:+\-/]{0,80}", s), s


def test_no_frequent_data_set_word_is_in_the_file() -> None:
    """Where the shared data sets are present: none of their 300 commonest words of 5+ letters
    appears in the arrays' bytes in UTF-8, UTF-16 or UTF-32 (the encodings a string array uses).
    The member names, headers and JSON are the file's own metadata, checked above."""
    if not DATASETS.is_dir():
        import pytest

        pytest.skip(f"shared data sets not found at {DATASETS}")
    counts: collections.Counter[str] = collections.Counter()
    for path in sorted(DATASETS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                counts.update(w for w in re.findall(r"\w{5,}", row["text"].lower()))
    blob = b"".join(_array_bytes(raw) for raw in _members().values())
    for word, _ in counts.most_common(300):
        for encoding in ("utf-8", "utf-16-le", "utf-32-le"):
            assert word.encode(encoding) not in blob, word


def test_shipped_model_loads_and_scores() -> None:
    clf = load_default()
    assert clf.vectorizer is None and clf.weights is None  # hashes and rows only
    assert clf.n_features > 10_000
    assert clf.score("заткнись, дебил").toxicity > 0.5
