"""Every form of the corpus (tests/surveys/forms/) uploads to its expected outcome: converted
with the right fields, pages and languages, or refused naming the sheet, row and column."""

from __future__ import annotations

import json
from typing import Any

import pytest

from caunoi.core.errors import ImportRejected
from caunoi.core.models import User
from caunoi.surveys import form as forms
from caunoi.surveys import services
from caunoi.surveys.models import Survey, SurveyVersion
from caunoi.surveys.xlsform import FormError, convert
from tests.conftest import World
from tests.surveys.conftest import FORMS, as_xlsx, form_bytes, make_survey

EXPECTED: dict[str, dict[str, Any]] = json.loads((FORMS / "expected.json").read_text())["forms"]


def _data(name: str) -> bytes:
    if name == "all_types.xlsx":
        return as_xlsx("all_types.md")
    if name == "not_a_form.xlsx":
        return b"PK\x03\x04 this is not a workbook"
    if name == "form.pdf":
        return b"%PDF-1.4"
    return form_bytes(name)


def test_every_file_in_the_corpus_has_an_expected_outcome() -> None:
    on_disk = {p.name for p in FORMS.iterdir() if p.suffix in (".md", ".csv", ".xlsx")}
    assert on_disk <= set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_form_in_the_corpus_gives_its_expected_outcome(name: str) -> None:
    expected = EXPECTED[name]
    if expected.get("ok"):
        loaded = forms.load(convert(_data(name), name))
        assert len(loaded.fields) == expected["fields"]
        assert loaded.pages == expected["pages"]
        assert loaded.languages == expected["languages"]
        return
    with pytest.raises(ImportRejected) as rejected:
        convert(_data(name), name)
    first = rejected.value.errors[0]
    assert isinstance(first, FormError)
    assert (first.sheet, first.line, first.column) == (
        expected["sheet"],
        expected["row"],
        expected["column"],
    ), str(first)
    assert expected["words"] in str(first)


def test_the_all_types_form_uses_every_supported_type_and_column() -> None:
    loaded = forms.load(convert(form_bytes("all_types.md"), "all_types.md"))
    kinds = {f.kind for f in loaded.fields}
    assert kinds >= {
        "text",
        "integer",
        "decimal",
        "select_one",
        "select_multiple",
        "note",
        "date",
        "range",
        "rank",
        "calculate",
        "hidden",
    }
    text = form_bytes("all_types.md").decode()
    for column in [
        "required",
        "relevant",
        "constraint",
        "constraint_message",
        "choice_filter",
        "default",
        "appearance",
        "label::English (en)",
        "hint::Tiếng Việt (vi)",
        "or_other",
        "begin_group",
        "end_group",
        "minimal",
        "likert",
        "multiline",
    ]:
        assert column in text, column


def test_a_problem_reads_as_plain_words_with_sheet_row_and_column() -> None:
    with pytest.raises(ImportRejected) as rejected:
        convert(form_bytes("unsupported_type.md"), "unsupported_type.md")
    assert str(rejected.value.errors[0]).startswith("Trang tính “survey”, dòng 3, cột A (type): ")


def test_a_refused_upload_stores_nothing(world: World, officer: User) -> None:
    survey = make_survey(world, officer)
    before = SurveyVersion.objects.get(survey=survey).form
    with pytest.raises(ImportRejected):
        services.form_upload(
            survey=survey,
            by=officer,
            data=form_bytes("missing_choices.md"),
            filename="missing_choices.md",
        )
    assert SurveyVersion.objects.get(survey=survey).form == before
    assert Survey.objects.count() == 1
