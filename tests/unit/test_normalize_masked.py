"""Abuse that hides: masked obscenity folds to its root, broken spam words are mended, and the
toxicity of an insult (with or without an obscene root) is lifted however much prose surrounds it."""

from __future__ import annotations

import pytest

from moderation import abuse
from moderation.classifier import load_default
from moderation.normalize import normalize


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("х*йня", "хуйня"),
        ("***ло", "хуйло"),
        ("пе?здец", "пиздец"),
        ("п@здец", "пиздец"),
        ("бл*ть", "блять"),
        ("с*ка", "сука"),
        ("е6ать", "ебать"),
        ("ты м*дак", "ты мудак"),
        ("хууууйня", "хуйня"),
        ("f*ck", "fuck"),
        ("f**k you", "fuck you"),
        ("sh*t", "shit"),
        ("b*tch", "bitch"),
    ],
)
def test_masked_obscenity_folds_to_its_root(written: str, folded: str) -> None:
    assert normalize(written) == folded
    assert abuse.obscene(normalize(written)) or abuse.insults(normalize(written))


@pytest.mark.parametrize(
    ("written", "mended"),
    [
        ("з4р4б0т0к", "заработок"),
        ("3арабо7ок", "заработок"),
        ("зар_аботок", "заработок"),
        ("З4Р4Б0Т0К на д0му", "заработок на дому"),
        ("раб0та", "работа"),
    ],
)
def test_evasion_of_spam_words_is_undone(written: str, mended: str) -> None:
    assert normalize(written) == mended


@pytest.mark.parametrize(
    "text",
    [
        "требуется сотрудник на склад",  # "еб" inside an ordinary word
        "сам себя не похвалишь",
        "мудрый совет",
        "хлебать щи",
        "бляшка на зубах",
        "user_123 и snake_case",
        "что? да!",
        "mp3, covid19, 5000р, 3d",
        "по-моему, т.е. так",
    ],
)
def test_ordinary_words_are_left_alone(text: str) -> None:
    assert abuse.obscene(normalize(text)) == [] and abuse.insults(normalize(text)) == []
    assert normalize(text) == " ".join(text.casefold().split())


@pytest.mark.parametrize(
    "text",
    [
        "какой же ты имбецил, если не понимаешь такой простой вещи, я тебе уже три раза объяснял",
        "ну и гнида же ты",
        "автор, вы просто дебил, дальше можно не читать",
        "уроды, опять всё сломали",
        "мразь ты конченая",
        "сволочи, верните деньги",
        "you are a complete moron and everyone here knows it",
        "what an idiot, honestly",
        "shut up, retard",
        "ты м*дак",
        "***ло ты, а не админ",
        "you stupid f*cking a**hole",
    ],
)
def test_insults_score_toxic_however_they_are_written(text: str) -> None:
    assert load_default().score(normalize(text)).toxicity >= 0.80


@pytest.mark.parametrize(
    "text",
    [
        "автор статьи просто дебил, дальше можно не читать",
        "эти уроды опять всё сломали, третий раз за неделю",
        "стендапы конечно еще тот магнит для идиотов",
    ],
)
def test_an_insult_about_others_ranks_as_likely_abuse_but_is_not_removed_by_itself(text: str) -> None:
    """Said of someone not spoken to, in a longer text: above ordinary text, below the threshold
    (ordinary chat talks about "those idiots" far more than it abuses anyone)."""
    assert abuse.ABOUT_OTHERS <= load_default().score(normalize(text)).toxicity < 0.80


@pytest.mark.parametrize(
    ("masked", "plain"),
    [
        ("х*йня полная, не покупайте", "хуйня полная, не покупайте"),
        ("пе?здец какой-то", "пиздец какой-то"),
        ("да пошёл ты на х#й", "да пошёл ты на хуй"),
        ("this is f**king ridiculous", "this is fucking ridiculous"),
    ],
)
def test_masked_obscenity_scores_as_if_written_plainly(masked: str, plain: str) -> None:
    clf = load_default()
    assert clf.score(normalize(masked)) == clf.score(normalize(plain))


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо, всё пришло вовремя, упаковка целая",
        "Подскажите, где посмотреть расписание на завтра?",
        "Требуется помощь с настройкой роутера",
        "This article needs more citations, please add reliable sources.",
        "I reverted the edit because the reference was broken.",
        "Thanks for the quick reply, the issue is fixed now.",
    ],
)
def test_ordinary_text_is_not_lifted(text: str) -> None:
    assert load_default().score(normalize(text)).toxicity < 0.80


def test_lift_keeps_the_models_order_and_never_lowers() -> None:
    assert abuse.lift(0.1, "ты гнида") < abuse.lift(0.5, "ты гнида") < 1.0
    assert abuse.lift(0.1, "ты гнида") >= abuse.FLOOR
    assert abuse.lift(0.95, "ты гнида") == 0.95
    assert abuse.lift(0.3, "хороший день") == 0.3


def test_glued_text_is_not_crawled() -> None:
    assert abuse.unmask("aa!" * 1000) is None


INSULT_FORMS = (
    "мудак мудила пидор пидар пидр гондон гандон шлюха уебок уёбок выебок ёбок ебан еблан хуйло хуило "
    "хуесос cunt asshole arsehole motherfucker fuck fucking shit shitty имбецил гнида дебил идиот кретин "
    "дегенерат олигофрен мразь тварь ублюдок выродок недоумок придурок ничтожество скотина сволочь падла "
    "урод чмо долбоёб тупица сука idiot moron imbecile retard scumbag bastard dumbass jackass whore slut"
).split()


@pytest.mark.parametrize("word", INSULT_FORMS)
def test_every_insult_passes_the_cheap_first_look(word: str) -> None:
    # insults() looks at each word's first three letters before running its regex
    assert abuse.insults(f"ну ты и {word}, конечно") == [word]
