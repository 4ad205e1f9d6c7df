"""moderation.classifier: training, scoring, the lean path, hashed model files and their safety checks."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from moderation import abuse
from moderation.classifier import Classifier, ModelStore, load, load_default, save, train
from moderation.classifier.model_file import default_model_path
from moderation.errors import ModelError
from moderation.normalize import normalize
from moderation.verdict import Scores

SPAM = [
    "Заработок от 5000 в день, пиши в лс",
    "Удалённая работа 3000 в день, без опыта, пишите в личку",
    "Ищу людей на подработку, доход от 40000 в неделю, подробности в лс",
    "Бонус 500% к депозиту в казино по промокоду WIN, переходи по ссылке",
    "Сигналы по крипте с точностью 90%, пиши в личку",
    "Earn $500 a day from home, DM me",
    "Free crypto signals, join my channel now",
    "Раздаём iPhone подписчикам, переходи по ссылке",
]
HAM = [
    "Привет, как дела?",
    "Спасибо, всё заработало",
    "Кто знает хороший сервис по ремонту ноутбуков?",
    "Во сколько завтра встречаемся у метро?",
    "Посмотри документацию, там есть пример",
    "Thanks, that fixed it",
    "See you at the meetup tomorrow",
    "Купил новый велосипед, пока доволен",
]
TOXIC = [
    "ты дебил",
    "иди нахуй, урод",
    "какой же ты тупой идиот",
    "заткнись, мразь",
    "you stupid idiot",
    "shut up moron",
]
OK = [
    "ты прав",
    "иди домой, уже поздно",
    "какой же ты молодец",
    "спасибо, друг",
    "you are right",
    "good point",
]
NEGATIVE = [
    "заказ не пришёл уже две недели",
    "поддержка не отвечает неделю",
    "товар сломался через день, верните деньги",
    "support never answers",
    "my order never arrived",
    "курьер нахамил, очень неприятно",
]
NEUTRAL = [
    "как отследить заказ?",
    "спасибо, заказ пришёл вовремя",
    "есть ли доставка в область?",
    "how do I track my order?",
    "thanks, it arrived on time",
    "какие у вас часы работы?",
]


def _corpus() -> list[tuple[str, str]]:
    return (
        [(t, "spam") for t in SPAM]
        + [(t, "ham") for t in HAM]
        + [(t, "toxic") for t in TOXIC]
        + [(t, "ok") for t in OK]
        + [(t, "negative") for t in NEGATIVE]
        + [(t, "neutral") for t in NEUTRAL]
    )


@pytest.fixture(scope="module")
def small() -> Classifier:
    clf, _ = train(_corpus(), include_seed=False, holdout=0, example_weight=1.0)
    return clf


@pytest.fixture(scope="module")
def default() -> Classifier:
    return load_default()


def test_small_corpus_learns_each_head(small: Classifier) -> None:
    spam, toxic, negative = small.score_texts(
        [
            "Работа на дому от 3000 в день, пишите в лс",
            "ты тупой дебил",
            "заказ так и не пришёл, поддержка молчит",
        ]
    )
    ham = small.score_texts(["Привет, как дела у вас?"])[0]
    assert spam.spam > ham.spam
    assert toxic.toxicity > ham.toxicity
    assert negative.negativity > ham.negativity


def test_metrics_and_metadata_are_recorded() -> None:
    clf, metrics = train(_corpus() * 3, include_seed=False, holdout=0.3)
    assert set(metrics) == {"spam", "toxicity", "negativity"}
    for m in metrics.values():
        assert {"precision", "recall", "f1", "roc_auc", "fpr", "confusion", "n"} <= set(m)
    meta = clf.metadata
    assert meta["libraries"]["scikit-learn"]
    assert len(meta["training_data"]["sha256"]) == 64
    assert clf.version == meta["version"]


@pytest.mark.parametrize(
    "text",
    ["", " ", "😀😀😀", "a" * 5000, "\u200b\u200b", "ё", "1234567890", "http://", "\x00\x01", "€€€ $$$"],
)
def test_scores_are_probabilities_on_odd_input(default: Classifier, text: str) -> None:
    for s in (default.score(normalize(text)), default.score_texts([text])[0]):
        assert isinstance(s, Scores)
        for value in (s.spam, s.toxicity, s.negativity):
            assert 0.0 <= value <= 1.0


def test_lean_paths_match_sklearn_transform(trained: Classifier) -> None:
    texts = [normalize(t) for t in SPAM + HAM + TOXIC + NEGATIVE + ["", "  ", "a", "ёжик в тумане " * 40]]
    reference = expit(np.asarray(trained.vectorizer.transform(texts) @ trained.weights) + trained.intercepts)
    reference[:, 1] = [abuse.lift(v, t) for v, t in zip(reference[:, 1], texts, strict=True)]
    batch = trained.probabilities(texts)
    single = np.array([[s.spam, s.toxicity, s.negativity] for s in map(trained.score, texts)])
    np.testing.assert_allclose(batch, reference, rtol=0, atol=1e-12)
    np.testing.assert_allclose(single, reference, rtol=0, atol=1e-12)
    again = np.array([[s.spam, s.toxicity, s.negativity] for s in map(trained.score, texts)])
    np.testing.assert_array_equal(again, single)


def test_default_model_separates_obvious_cases(default: Classifier) -> None:
    spam, ham, toxic, complaint = default.score_texts(
        [
            "Всем привет! Ищу людей на удалёнку, 3000 в день, пиши в лс",
            "Подскажите, во сколько завтра собрание?",
            "заткнись, дебил",
            "Заказ не пришёл уже две недели, поддержка не отвечает",
        ]
    )
    assert spam.spam > 0.9 and ham.spam < 0.2
    assert toxic.toxicity > 0.9 and ham.toxicity < 0.2
    assert complaint.negativity > 0.7 and ham.negativity < 0.3


@pytest.mark.parametrize(
    "evasion",
    [
        "Зaрaбoтoк oт 5000 в дeнь, пиши в лc",  # Latin look-alikes inside Russian words
        "З а р а б о т о к от 5000 в день, пиши в лс",  # spaced letters
        "3аработок от 5000 в день, пиши в лс",  # leetspeak
        "Зараб\u200bоток от 5000 в день, пиши в лс",  # zero-width space
        "ЗАРАБОТОООООК от 5000 в день, пиши в лс",  # caps and stretched letters
        "Зараб🔥оток от 5000 в день 💰 пиши в лс",  # emoji inside a word
    ],
)
def test_evasion_tricks_do_not_help(default: Classifier, evasion: str) -> None:
    plain = default.score_texts(["Заработок от 5000 в день, пиши в лс"])[0].spam
    tricked = default.score_texts([evasion])[0].spam
    assert tricked > 0.9
    assert tricked == pytest.approx(plain, abs=0.05)


def test_save_load_round_trip(tmp_path: Path, small: Classifier) -> None:
    path = save(small, tmp_path)
    assert path.name == f"{small.version}.npz" and path.with_suffix(".json").is_file()
    again = load(path)
    texts = [normalize(t) for t in SPAM + TOXIC + NEGATIVE]
    # rows are stored as float32, so equal to ~1e-6, not bit for bit
    np.testing.assert_allclose(again.probabilities(texts), small.probabilities(texts), atol=1e-5)
    assert again.version == small.version
    assert again.metadata["training_data"] == small.metadata["training_data"]


def test_shipped_model_is_small_and_described() -> None:
    path = default_model_path()
    assert path.stat().st_size < 5_000_000
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert {"version", "created_at", "libraries", "training_data", "heldout_metrics"} <= set(meta)


def test_legacy_file_with_an_untrusted_type_is_refused(tmp_path: Path, small: Classifier) -> None:
    good = save(small, tmp_path / "good")
    bad = tmp_path / "bad.skops"
    # A legacy file that *would* load an estimator object: anything outside the allow-list is refused.
    sio.dump(
        {"format": 1, "heads": ["spam", "toxicity", "negativity"], "blocks": [LogisticRegression()]}, bad
    )
    _copy_metadata(good, bad)
    with pytest.raises(
        ModelError, match=r"outside the allow-list: sklearn\.linear_model.*LogisticRegression"
    ):
        load(bad)


def _copy_metadata(source: Path, target: Path) -> None:
    text = source.with_suffix(".json").read_text(encoding="utf-8")
    target.with_suffix(".json").write_text(text, encoding="utf-8")


def test_archive_member_outside_the_allow_list_is_refused(tmp_path: Path, small: Classifier) -> None:
    good = save(small, tmp_path / "good")
    with np.load(good) as npz:
        arrays = {k: npz[k] for k in npz.files}
    bad = tmp_path / "extra.npz"
    np.savez(bad, **arrays, vocabulary=np.array(["заработок", "деньги"]))
    _copy_metadata(good, bad)
    with pytest.raises(ModelError, match="'vocabulary', outside the allow-list"):
        load(bad)


def test_object_array_is_never_unpickled(tmp_path: Path, small: Classifier) -> None:
    good = save(small, tmp_path / "good")
    with np.load(good) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["intercepts"] = np.array([LogisticRegression(), 1, 2], dtype=object)  # a pickled payload
    bad = tmp_path / "pickled.npz"
    np.savez(bad, **arrays)
    _copy_metadata(good, bad)
    with pytest.raises(ModelError, match="not a readable model archive"):
        load(bad)


def test_wrong_dtype_is_refused(tmp_path: Path, small: Classifier) -> None:
    good = save(small, tmp_path / "good")
    with np.load(good) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["block0_rows"] = arrays["block0_rows"].astype("<U8")  # numbers smuggled in as strings
    bad = tmp_path / "strings.npz"
    np.savez(bad, **arrays)
    _copy_metadata(good, bad)
    with pytest.raises(ModelError, match="block0_rows is <U8"):
        load(bad)


@pytest.mark.parametrize("suffix", [".npz", ".skops"])
def test_non_model_file_is_refused(tmp_path: Path, small: Classifier, suffix: str) -> None:
    good = save(small, tmp_path)
    bad = tmp_path / f"pickled{suffix}"
    bad.write_bytes(b"\x80\x04\x95not a zip at all")
    _copy_metadata(good, bad)
    with pytest.raises(ModelError, match="not a readable model"):
        load(bad)


def test_other_format_names_the_fix(tmp_path: Path, small: Classifier) -> None:
    path = save(small, tmp_path)
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["format"] = 1
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match=r"format 1.*dozor model train"):
        load(path)


def test_legacy_scikit_learn_version_mismatch_names_the_fix(tmp_path: Path) -> None:
    from moderation.classifier.model_file import check_versions

    with pytest.raises(ModelError, match=r"dozor model train.*scikit-learn==0\.24\.2"):
        check_versions({"libraries": {"scikit-learn": "0.24.2"}}, tmp_path / "old.skops")


def test_missing_metadata_is_an_error(tmp_path: Path, small: Classifier) -> None:
    path = save(small, tmp_path)
    path.with_suffix(".json").unlink()
    with pytest.raises(ModelError, match="metadata"):
        load(path)


def test_saved_model_holds_numbers_only(small: Classifier, tmp_path: Path) -> None:
    path = save(small, tmp_path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    assert "format.npy" in names and all(n.endswith(".npy") for n in names)
    with np.load(path, allow_pickle=False) as npz:
        assert {npz[k].dtype.kind for k in npz.files} <= {"i", "u", "f"}


def test_store_follows_new_versions(tmp_path: Path, small: Classifier) -> None:
    store = ModelStore(tmp_path / "models")  # empty: the shipped default
    assert store.version == load_default().version
    assert store.reload_if_changed() is False
    save(small, tmp_path / "models")
    assert store.reload_if_changed() is True
    assert store.version == small.version
    assert store.reload_if_changed() is False  # nothing new: cheap no-op
    assert isinstance(store.score(normalize("привет")), Scores)


def test_store_keeps_current_model_when_new_one_is_broken(tmp_path: Path, small: Classifier) -> None:
    directory = tmp_path / "models"
    save(small, directory)
    store = ModelStore(directory)
    broken = directory / "99999999T999999Z-broken.npz"
    broken.write_bytes(b"garbage")
    meta = dict(small.metadata, created_at="9999-01-01T00:00:00+00:00", version="broken")
    broken.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    os.utime(directory, ns=(1, 1))  # force a visible directory change
    assert store.reload_if_changed() is False
    assert store.version == small.version and store.last_error
