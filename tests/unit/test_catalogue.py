"""The message catalogue: every key in every language, with the same placeholders, and valid Fluent."""

from __future__ import annotations

from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast, visitor

from handlers.i18n import LANGUAGES, LOCALES, t


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


def _catalogue(language: str) -> dict[str, dict[str, set[str]]]:
    """file → message id → the variables the message uses."""
    found: dict[str, dict[str, set[str]]] = {}
    for path in sorted((LOCALES / language).glob("*.ftl")):
        resource = FluentParser(with_spans=False).parse(path.read_text(encoding="utf-8"))
        junk = [entry.content for entry in resource.body if isinstance(entry, ast.Junk)]
        assert not junk, f"{path}: not valid Fluent: {junk}"
        messages: dict[str, set[str]] = {}
        for entry in resource.body:
            if isinstance(entry, ast.Message):
                assert entry.id.name not in messages, f"{path}: {entry.id.name} twice"
                variables = _Variables()
                variables.visit(entry)
                messages[entry.id.name] = variables.names
        found[path.name] = messages
    return found


def test_every_language_has_the_same_files_keys_and_placeholders() -> None:
    reference, *others = LANGUAGES
    base = _catalogue(reference)
    assert sum(len(m) for m in base.values()) > 200
    for language in others:
        other = _catalogue(language)
        assert other.keys() == base.keys(), f"{language}: files differ from {reference}"
        for file, messages in base.items():
            assert other[file].keys() == messages.keys(), f"{language}/{file}: keys differ"
            for key, variables in messages.items():
                assert other[file][key] == variables, f"{language}/{file}: {key} placeholders differ"


def test_no_key_is_in_two_files() -> None:
    seen: dict[str, str] = {}
    for file, messages in _catalogue("en").items():
        for key in messages:
            assert key not in seen, f"{key} in {seen.get(key)} and {file}"
            seen[key] = file


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_files_are_utf8_without_tabs(language: str) -> None:
    for path in (LOCALES / language).glob("*.ftl"):
        assert "\t" not in path.read_text(encoding="utf-8"), path


def test_an_unknown_key_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        t("ru", "no_such_message")


def test_numbers_keep_no_digit_grouping() -> None:
    assert t("ru", "appeal_sent", case=12345) == "Апелляция по случаю #12345 отправлена модераторам."
    assert Path(LOCALES).is_dir()
