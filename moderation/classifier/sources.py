"""The public labelled data sets the shipped model is trained and measured on, and their splits.

The files live beside the project (``../shared/datasets/<stem>.csv``, header ``text,label``), never
in it. Every set keeps a fixed held-out split: a row is held out when the SHA-256 of its text
falls in the first fifth of the hash range, so the split depends on nothing but the text — not on
the file's order, the set's size or a random seed — and a row is held out in every run, on every
machine, for every model. Training uses the other rows only; every figure the benchmark reports
is measured on the held-out rows only.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "HELDOUT_FRACTION", "SOURCES", "Source", "datasets_folder", "is_heldout", "language", "read_source",
    "split",
]  # fmt: skip

HELDOUT_FRACTION = 0.2
# The sets live beside the repository (``<repo>/../shared/datasets``); a checkout elsewhere (a git
# worktree) points at them with this variable.
DATASETS_ENV = "DOZOR_DATASETS"


@dataclass(frozen=True, slots=True)
class Source:
    """One data set.

    Attributes:
        stem: file name without ``.csv``.
        head: the score its labels train and measure (spam, toxicity, negativity).
        train: whether the shipped model may be trained on it (permissive licence and in domain).
        licence: the licence it is used under.
        credit: who made it (the README credits every source).
        note: what it is.
    """

    stem: str
    head: str
    train: bool
    licence: str
    credit: str
    note: str


SOURCES = (
    Source("tg_spam_umputun", "spam", True, "MIT", "umputun/tg-spam (`data/` samples)",
           "Telegram group spam/ham, ru (+en)"),
    Source("tg_chat_ru_monalenka", "spam", True, "MIT", "monalenka/telegram-spam-classifier-bot",
           "Telegram community chat (ham) and spam, ru"),
    Source("sms_spam_uci", "spam", True, "free for any purpose, citing the authors",
           "SMS Spam Collection, T. A. Almeida and J. M. Gómez Hidalgo (UCI Machine Learning Repository)",
           "SMS spam/ham, en"),
    Source("en_offensive_davidson", "toxicity", True, "MIT",
           "Davidson, Warmsley, Macy and Weber, ICWSM 2017 (t-davidson/hate-speech-and-offensive-language)",
           "tweets, hate/offensive vs neither, en"),
    Source("en_convabuse_toxicity", "toxicity", True, "CC BY 4.0",
           "ConvAbuse: Cercas Curry, Abercrombie and Rieser, EMNLP 2021",
           "messages people typed to chatbots, abuse majority vote, en"),
    # Research use only: measured, never trained on.
    Source("ru_toxic_2ch_pikabu", "toxicity", False, "research use only (not trained on)",
           "Russian Language Toxic Comments (Kaggle 2019; Smetanin 2020)", "2ch/pikabu comments, ru"),
    # Permissive, but news sentences are not complaints: an out-of-domain check only.
    Source("ru_rusentne_negativity", "negativity", False, "MIT (not trained on: news, not complaints)",
           "RuSentNE-2023 (Golubev, Rusnachenko and Loukachevitch, Dialogue 2023)",
           "news sentences, sentiment toward an entity, ru"),
)  # fmt: skip


def datasets_folder() -> Path:
    """Where the shared sets are: ``$DOZOR_DATASETS`` if set, else ``../shared/datasets`` beside the repo.

    The folder may not exist (a fresh clone): callers skip or train on the seed corpus alone.
    """
    override = os.environ.get(DATASETS_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "shared" / "datasets"


def language(text: str) -> str:
    """ "ru" when Cyrillic letters outnumber Latin ones, "en" when Latin ones do, else "other"."""
    cyr = lat = 0
    for ch in text:
        if "\u0400" <= ch <= "\u04ff":
            cyr += 1
        elif "a" <= ch <= "z" or "A" <= ch <= "Z":
            lat += 1
    if cyr == lat == 0:
        return "other"
    return "ru" if cyr >= lat else "en"


def is_heldout(text: str) -> bool:
    """Whether a row with this text belongs to its set's fixed held-out split."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") < HELDOUT_FRACTION * 2**64


def read_source(folder: str | Path, stem: str) -> list[tuple[str, str]]:
    """``(text, label)`` rows of ``<folder>/<stem>.csv``."""
    with (Path(folder) / f"{stem}.csv").open(encoding="utf-8", newline="") as fh:
        return [(r["text"], r["label"]) for r in csv.DictReader(fh) if r["text"]]


def split(rows: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(train, held_out)`` by :func:`is_heldout`."""
    train: list[tuple[str, str]] = []
    held: list[tuple[str, str]] = []
    for row in rows:
        (held if is_heldout(row[0]) else train).append(row)
    return train, held
