"""The lean scoring path gives sklearn's numbers: per n-gram, per text, per batch, per verdict."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from scipy.special import expit
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from moderation import abuse
from moderation.classifier import Classifier, load_default
from moderation.classifier.features import AdditiveTfidfVectorizer, build_vectorizer
from moderation.classifier.linear import MAX_CHARS
from moderation.engine import Engine
from moderation.events import Author, Event, EventKind, MessageRef, Platform
from moderation.features import RecentTexts
from moderation.normalize import normalize
from moderation.policy import Policy
from moderation.rules import parse_rules
from moderation.verdict import Scores

ROOT = Path(__file__).resolve().parents[2]

_BASE = [
    "",
    " ",
    "a",
    "ok",
    "+",
    "Привет всем! Подскажите, где купить хороший велосипед для ребёнка 7 лет?",
    "Hello everyone, does anybody know a good bike shop near the city centre?",
    "Зapaбoтoк oт 5000р в дeнь! Пиши в лс @rich_boss 🔥🔥🔥 t.me/joinchat/abc",
    "к у п и т е курс по трейдингу, доход без вложений!!! bit.ly/xyz",
    "FR33 M0NEY!!! Click https://clck.ru/abc and earn $$$ from home",
    "Казино Вулкан — бонус 100% на первый депозит, звони +7 (900) 123-45-67",
    "Заказ не пришёл уже третью неделю, поддержка молчит. Верните деньги!",
    "заткнись, дебил",
    "Зараб\u200bоток от 5000 в день",
    "ЗАРАБОТОООООК от 5000 в день 💰 пиши в лс",
    "😀😀😀",
    "ёжик в тумане " * 40,
    "слово " * 1000,
    "x" * 5000,
    "a b c d e f g",
    "я",
    "İstanbul ΣΊΣΥΦΟΣ straße ǅemal ﬃ",
    "tab\tseparated\nlines\r\nand\u00a0nbsp\u2003em space",
    "don't stop-believing co-op e-mail 3.14 1,000,000 _under_score_",
    "日本語のテキストと中文文本",
    "مرحبا بالعالم",
    "lone \ud800 surrogates \udfff in text",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈 astral \x00 nul \U0010ffff",
    "\u2028line\x1cseparators\x85and\u3000ideographic space",
]


def _varied_texts(n: int, seed: int = 7) -> list[str]:
    """Mixed Russian/English/emoji/evasion texts from short chat to 5,000 characters."""
    rng = random.Random(seed)
    pieces = [w for t in _BASE for w in t.split()] + [
        "🔥",
        "💰",
        "@user",
        "https://t.me/x",
        "8-900-123-45-67",
    ]
    texts = list(_BASE)
    while len(texts) < n:
        size = rng.choice([1, 2, 3, 5, 8, 13, 40, 120, 900])
        words = [rng.choice(pieces) for _ in range(size)]
        if rng.random() < 0.2:
            words = [w.upper() for w in words]
        if rng.random() < 0.2:
            words = [" ".join(w) if len(w) < 8 else w for w in words]  # spaced-out letters
        texts.append(rng.choice([" ", "  ", "\n", " \t "]).join(words))
    return texts


@pytest.fixture(scope="module")
def default(trained: Classifier) -> Classifier:
    return trained  # trained in memory: it keeps the vectorizer the reference path needs


def _reference(clf: Classifier, normalized: list[str]) -> np.ndarray:
    texts = [t[:MAX_CHARS] for t in normalized]
    p = expit(np.asarray(clf.vectorizer.transform(texts) @ clf.weights) + clf.intercepts)
    p[:, 1] = [abuse.lift(v, t) for v, t in zip(p[:, 1], texts, strict=True)]  # the abuse lexicon's floor
    return p


def _single(clf: Classifier, normalized: list[str]) -> np.ndarray:
    return np.array([[s.spam, s.toxicity, s.negativity] for s in map(clf.score, normalized)])


@pytest.mark.parametrize("raw", [False, True], ids=["normalised", "raw"])
def test_fast_path_matches_sklearn_on_varied_texts(default: Classifier, raw: bool) -> None:
    texts = _varied_texts(400)
    # raw: the path must not rely on its input being normalised
    inputs = texts if raw else [normalize(t) for t in texts]
    reference = _reference(default, inputs)
    np.testing.assert_allclose(_single(default, inputs), reference, rtol=0, atol=1e-9)
    np.testing.assert_allclose(_single(default, inputs), reference, rtol=0, atol=1e-9)  # cache warm
    np.testing.assert_allclose(default.probabilities(inputs), reference, rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    ("params", "lean"),
    [
        ({}, True),  # char_wb(2, 5) ⊕ word(1, 2) as shipped
        ({"word_ngram": (1, 1), "token_pattern": r"(?u)\b\w\w+\b"}, True),
        ({"word_ngram": (2, 3), "char_ngram": (1, 4), "sublinear": False}, True),
        ({"lowercase": False}, True),
        ({"char_ngram": (4, 6), "word_ngram": (1, 3)}, True),  # words shorter than every char n-gram
        ({"char_ngram": (1, 1)}, True),
        ({"char_l2": True}, True),  # an L2-normalised char block (models before 2026-11-22)
        ({"token_pattern": r"\S+"}, False),  # a pattern the kernel does not reproduce: sklearn
    ],
)
def test_other_vectorizer_settings_match_sklearn(params: dict, lean: bool) -> None:
    texts = [normalize(t) for t in _varied_texts(120, seed=3)]
    char_kind = TfidfVectorizer if params.get("char_l2") else AdditiveTfidfVectorizer
    union = FeatureUnion(
        [
            ("char", char_kind(analyzer="char_wb", ngram_range=params.get("char_ngram", (2, 5)),
                               lowercase=params.get("lowercase", True),
                               norm="l2" if params.get("char_l2") else None)),
            ("word", TfidfVectorizer(analyzer="word", ngram_range=params.get("word_ngram", (1, 2)),
                                     token_pattern=params.get("token_pattern", r"(?u)\b\w+\b"),
                                     lowercase=params.get("lowercase", True),
                                     sublinear_tf=params.get("sublinear", True))),
        ]
    )  # fmt: skip
    union.fit(texts)
    rng = np.random.default_rng(0)
    clf = Classifier(union, rng.normal(size=(sum(len(v.vocabulary_) for _, v in union.transformer_list), 3)),
                     rng.normal(size=3), version="t")  # fmt: skip
    assert (clf._lean is not None) is lean
    reference = _reference(clf, texts)
    np.testing.assert_allclose(_single(clf, texts), reference, rtol=0, atol=1e-9)
    np.testing.assert_allclose(clf.probabilities(texts), reference, rtol=0, atol=1e-9)


def test_additive_rows_add_up_over_words() -> None:
    vec = AdditiveTfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), norm=None)
    vec.fit(["кот спит", "пёс лает", "кот лает громко"])
    texts = ["кот лает", "кот", "лает"]
    counts = CountVectorizer(analyzer="char_wb", ngram_range=(2, 4), vocabulary=vec.vocabulary_)
    c = counts.transform(texts).toarray().astype(float)
    roots = np.sqrt(c @ (vec.idf_**2))
    x = vec.transform(texts).toarray()
    np.testing.assert_allclose(x, c * vec.idf_ / roots[:, None])  # count·idf / sqrt(Σ count·idf²)
    # both the numerator and the sum under the root are sums over the words
    np.testing.assert_allclose(x[0] * roots[0], x[1] * roots[1] + x[2] * roots[2])
    np.testing.assert_allclose(roots[0] ** 2, roots[1] ** 2 + roots[2] ** 2)


def test_additive_vectorizer_refuses_a_norm() -> None:
    vec = AdditiveTfidfVectorizer(analyzer="char_wb", norm="l2")
    with pytest.raises(ValueError, match="norm=None"):
        vec.fit_transform(["кот", "пёс"])


def test_training_vectorizers_take_the_fast_path(default: Classifier) -> None:
    assert default._lean is not None
    assert load_default()._lean is not None
    assert build_vectorizer("tfidf").transformer_list[1][1].token_pattern == r"(?u)\b\w+\b"


def _engine_corpus() -> list[str]:
    return [
        *_varied_texts(300, seed=5),
        "Зарабoток от 5000 в день, пиши в лс",
        "WHY IS NOBODY ANSWERING MY QUESTION ABOUT THE ORDER",
        "Заказ не пришёл, поддержка не отвечает уже месяц, верните деньги",
        "ты идиот",
        "1xbet лучшие ставки",
        "смотри bit.ly/abc и t.me/joinchat/xyz и www.example.org",
    ]


def test_engine_verdicts_identical_with_sklearn_scoring(default: Classifier) -> None:
    class SklearnScorer:  # the reference path: vectorizer.transform + weights
        def score(self, normalized: str) -> Scores:
            p = _reference(default, [normalized])[0]
            return Scores(spam=float(p[0]), toxicity=float(p[1]), negativity=float(p[2]))

    rules = parse_rules((ROOT / "config" / "rules.example.yaml").read_text(encoding="utf-8"))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    policy = Policy()
    rng = random.Random(1)
    authors = [
        Author(f"u{i}", message_count=rng.choice([0, 2, 50]), first_seen=now - timedelta(hours=i))
        for i in range(7)
    ]
    events = [
        Event(
            Platform.TELEGRAM,
            EventKind.TELEGRAM_MESSAGE,
            "c",
            MessageRef("c", str(i)),
            authors[i % 7],
            text,
            now,
        )
        for i, text in enumerate(_engine_corpus())
    ]
    verdicts = []
    for scorer in (default, SklearnScorer()):
        engine, recent = Engine(scorer), RecentTexts()
        verdicts.append(
            [engine.decide(e, rules=rules, policy=policy, recent=recent, now=now) for e in events]
        )
    fast, slow = verdicts
    for a, b in zip(fast, slow, strict=True):
        assert (a.action, a.reasons, a.duration, a.reply) == (b.action, b.reasons, b.duration, b.reply)
        assert a.shadow == b.shadow
        np.testing.assert_allclose(
            [a.scores.spam, a.scores.toxicity, a.scores.negativity],
            [b.scores.spam, b.scores.toxicity, b.scores.negativity], rtol=0, atol=1e-9,
        )  # fmt: skip
    assert {v.action for v in fast} != {fast[0].action}  # the corpus exercises more than one action


def test_scores_without_a_writable_numba_cache() -> None:
    # A read-only file system: numba can write neither beside the source nor in the user's cache.
    code = (
        "import numba.core.caching as c\n"
        "def refuse(self): raise OSError('read-only file system')\n"
        "c._CacheLocator.ensure_cache_path = refuse\n"
        "from moderation.classifier import load_default\n"
        "print(load_default().score('заткнись, дебил').toxicity)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) > 0.5
    assert done.stderr.count("set NUMBA_CACHE_DIR") == 1  # one warning, not one per kernel


def test_word_character_table_covers_every_code_point() -> None:
    import re
    import sys

    from moderation.classifier.lean import _word_chars

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    full = np.zeros(sys.maxunicode + 1, dtype=bool)
    for m in re.finditer(r"\w+", every):
        full[m.start() : m.end()] = True
    np.testing.assert_array_equal(_word_chars(), full)


@pytest.mark.parametrize("which", ["shipped", "trained"])
def test_plain_python_path_gives_the_compiled_numbers(which: str, trained: Classifier) -> None:
    if which == "shipped":
        compiled, plain = load_default(), load_default(compiled=False)
    else:
        plain = Classifier(
            trained.vectorizer, trained.weights, trained.intercepts, version="t", compiled=False
        )
        compiled = trained
    assert plain._lean is not None and not plain._lean.compiled
    texts = [normalize(t) for t in _varied_texts(300, seed=13)] + _varied_texts(100, seed=14)  # raw too
    np.testing.assert_allclose(
        [[s.spam, s.toxicity, s.negativity] for s in map(plain.score, texts)],
        [[s.spam, s.toxicity, s.negativity] for s in map(compiled.score, texts)], rtol=0, atol=1e-12,
    )  # fmt: skip


def test_plain_python_path_matches_sklearn_on_other_settings() -> None:
    texts = [normalize(t) for t in _varied_texts(80, seed=3)]
    for char_ngram, word_ngram, pattern in [
        ((2, 5), (1, 2), r"(?u)\b\w+\b"),
        ((4, 6), (1, 3), r"(?u)\b\w\w+\b"),
    ]:
        union = FeatureUnion(
            [
                ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=char_ngram, norm="l2")),
                ("word", TfidfVectorizer(analyzer="word", ngram_range=word_ngram, token_pattern=pattern,
                                         sublinear_tf=True)),
            ]
        )  # fmt: skip
        union.fit(texts)
        n = sum(len(v.vocabulary_) for _, v in union.transformer_list)
        rng = np.random.default_rng(1)
        clf = Classifier(union, rng.normal(size=(n, 3)), rng.normal(size=3), version="t", compiled=False)
        np.testing.assert_allclose(_single(clf, texts), _reference(clf, texts), rtol=0, atol=1e-9)
