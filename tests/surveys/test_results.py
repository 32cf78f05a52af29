"""Results on the staff screen and in exports: counts, cross-tabs, merged small groups."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook  # type: ignore[import-untyped]

from caunoi.core.models import RoleName, User
from caunoi.surveys import results
from caunoi.surveys.models import Survey
from tests.conftest import World, logged_in, make_person
from tests.surveys.conftest import GOOD, answer, make_survey


def _fill(survey: Survey, world: World, many: int, few: int) -> None:
    for _ in range(many):
        answer(survey, world, {**GOOD, "used": ["yes"]}, unit=world.commune)
    for _ in range(few):
        answer(survey, world, {**GOOD, "used": ["no"]}, unit=world.village)


def test_results_wait_until_k_answers_exist(survey: Survey, world: World, officer: User) -> None:
    _fill(survey, world, 3, 1)
    page = logged_in(officer).get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert 'data-testid="too-few"' in page
    assert "Nhanh hơn" not in page


def test_a_small_answer_group_is_merged_and_never_shown_alone(survey: Survey, world: World) -> None:
    _fill(survey, world, 8, 2)
    found = results.survey_results(survey, "vi")
    used = next(q for q in found.questions if q.name == "used")
    counts = {r.label: r.count for r in used.rows}
    assert 2 not in counts.values()
    assert all(n == 0 or n >= 5 for n in counts.values())
    assert sum(counts.values()) == 10


def test_free_text_is_shown_masked_only_from_k_answers(
    survey: Survey, world: World, officer: User
) -> None:
    _fill(survey, world, 6, 0)
    page = logged_in(officer).get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "Nhanh hơn trước" in page
    assert "0912 345 678" not in page
    assert "09…78" in page


def test_a_crosstab_by_unit_merges_a_small_unit_with_another(
    survey: Survey, world: World, officer: User
) -> None:
    _fill(survey, world, 8, 2)
    table = results.crosstab(survey, "used", results.BY_UNIT, "vi")
    assert table is not None
    for row in table.cells:
        assert all(n == 0 or n >= 5 for n in row)
    assert all(n == 0 or n >= 5 for n in table.column_totals)
    page = (
        logged_in(officer)
        .get(f"/staff/surveys/{survey.pk}/results/?q=used&by={results.BY_UNIT}")
        .content.decode()
    )
    assert 'data-testid="crosstab"' in page


def test_the_xlsx_and_csv_exports_carry_the_same_protected_numbers(
    survey: Survey, world: World, officer: User
) -> None:
    _fill(survey, world, 8, 2)
    client = logged_in(officer)
    text = client.get(f"/staff/surveys/{survey.pk}/results.csv?q=used&by=score").content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[1][2] == "10"
    book = load_workbook(io.BytesIO(client.get(f"/staff/surveys/{survey.pk}/results.xlsx").content))
    sheet_rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert sheet_rows[1][2] == 10
    numbers = [r[2] for r in sheet_rows[2:] if isinstance(r[2], int)]
    assert all(n == 0 or n >= 5 for n in numbers)


def test_raw_answers_export_only_closed_questions_and_only_from_k(
    survey: Survey, world: World, officer: User
) -> None:
    client = logged_in(officer)
    _fill(survey, world, 4, 0)
    assert client.get(f"/staff/surveys/{survey.pk}/answers.csv").status_code == 409
    _fill(survey, world, 1, 0)
    body = client.get(f"/staff/surveys/{survey.pk}/answers.csv").content.decode("utf-8-sig")
    header = body.splitlines()[0]
    assert "age" in header
    assert "comment" not in header
    assert "Nhanh" not in body
    survey.free_text_export = True
    survey.save()
    body = client.get(f"/staff/surveys/{survey.pk}/answers.csv").content.decode("utf-8-sig")
    assert "comment" in body.splitlines()[0]
    assert "09…78" in body


def test_a_viewer_cannot_export_raw_answers(survey: Survey, world: World) -> None:
    _fill(survey, world, 5, 0)
    viewer = logged_in(make_person("xem", world.commune, RoleName.VIEWER))
    assert viewer.get(f"/staff/surveys/{survey.pk}/answers.csv").status_code == 403
    assert viewer.get(f"/staff/surveys/{survey.pk}/results.csv").status_code == 200


def test_every_breakdown_by_unit_uses_the_same_merged_units(survey: Survey, world: World) -> None:
    _fill(survey, world, 8, 2)
    tables = [
        results.crosstab(survey, name, results.BY_UNIT, "vi")
        for name, _label in results.options(survey, "vi")
    ]
    assert len(tables) > 2
    assert all(t is not None for t in tables)
    first = tables[0]
    assert first is not None
    for table in tables[1:]:
        assert table is not None
        assert table.columns == first.columns
        assert table.column_totals == first.column_totals


def test_results_per_unit_show_each_child_unit_with_table_and_chart(
    survey: Survey, world: World, officer: User
) -> None:
    _fill(survey, world, 8, 6)
    page = logged_in(officer).get(f"/staff/surveys/{survey.pk}/results/units/").content.decode()
    assert world.village.name in page
    assert 'data-testid="unit-result-used"' in page
    assert "<svg" in page
    assert 'data-testid="merged-note"' not in page
    table = results.results_by_unit(survey, "vi")
    assert table is not None
    assert table.totals == [6, 8]  # the village, then the commune's own answers
    used = next(q for q in table.questions if q.name == "used")
    assert used.cells[used.rows.index("Có")] == [0, 8]


def test_results_per_unit_merge_a_small_unit_and_publish_no_small_number(
    survey: Survey, world: World, officer: User
) -> None:
    _fill(survey, world, 8, 2)
    client = logged_in(officer)
    page = client.get(f"/staff/surveys/{survey.pk}/results/units/").content.decode()
    assert 'data-testid="merged-note"' in page
    table = results.results_by_unit(survey, "vi")
    assert table is not None
    assert len(table.columns) == 1
    for q in table.questions:
        for row in q.cells:
            assert all(n == 0 or n >= 5 for n in row)
    by_unit = results.crosstab(survey, "used", results.BY_UNIT, "vi")
    assert by_unit is not None
    assert by_unit.columns == table.columns
    body = client.get(f"/staff/surveys/{survey.pk}/results-units.csv").content.decode("utf-8-sig")
    counts = [row for row in csv.reader(io.StringIO(body)) if len(row) > 2][1:]
    numbers = [int(x) for row in counts if not row[1].endswith("(%)") for x in row[2:]]
    assert numbers
    assert all(n == 0 or n >= 5 for n in numbers)


def test_results_per_unit_read_in_english(survey: Survey, world: World, officer: User) -> None:
    _fill(survey, world, 8, 6)
    officer.language = "en"
    officer.save()
    client = logged_in(officer)
    page = client.get(f"/staff/surveys/{survey.pk}/results/units/").content.decode()
    assert "Results by unit" in page
    assert "All results" in page


def test_a_crosstab_by_a_several_choice_question_withholds_options_with_small_cells(
    survey: Survey, world: World
) -> None:
    """Options overlap, so they are never merged: an option column with a small cell, or
    whose cell leaves a small rest of its row, is not published at all."""
    south = {"district": ["south"], "commune": ["s1"]}
    for _ in range(5):
        answer(survey, world, {**GOOD, "services": ["tax"]})
    for _ in range(2):
        answer(survey, world, {**GOOD, **south, "services": ["tax"]})
    for _ in range(5):
        answer(survey, world, {**GOOD, **south, "services": ["land"]})
    assert {r.label for r in _question(survey, "services").rows} >= {"Thuế", "Đất đai"}
    table = results.crosstab(survey, "district", "services", "vi")
    assert table is not None
    assert "Thuế" not in table.columns  # north 5, south 2
    assert "Đất đai" not in table.columns  # south 5 of 7: the other 2 would show
    assert table.merged_note.startswith("Không công bố các cột")
    for r in range(len(table.rows)):
        for c, cell in enumerate(table.cells[r]):
            assert cell == 0 or cell >= 5
            rest = table.column_totals[c] - cell
            assert rest == 0 or rest >= 5


def _question(survey: Survey, name: str) -> results.Question:
    found = results.survey_results(survey, "vi")
    return next(q for q in found.questions if q.name == name)


def test_an_option_whose_overlap_with_another_is_small_is_not_shown(
    survey: Survey, world: World, officer: User
) -> None:
    """Tax 12, land 12, 22 answers: both counts and their complements are >= 5, but together
    they would say that 2 people chose both. One of the two is left out, and the screen says
    why."""
    for _ in range(10):
        answer(survey, world, {**GOOD, "services": ["tax"]})
        answer(survey, world, {**GOOD, "services": ["land"]})
    for _ in range(2):
        answer(survey, world, {**GOOD, "services": ["tax", "land"]})
    services = _question(survey, "services")
    shown = {r.label for r in services.rows}
    assert not {"Thuế", "Đất đai"} <= shown
    assert {"Thuế", "Đất đai"} & shown
    assert "Đất đai" in services.hidden_note or "Thuế" in services.hidden_note
    page = logged_in(officer).get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "ít hơn 5 người" in page
    by_unit = results.crosstab(survey, "services", results.BY_UNIT, "vi")
    assert by_unit is not None
    assert not {"Thuế", "Đất đai"} <= set(by_unit.rows)
    exported = logged_in(officer).get(f"/staff/surveys/{survey.pk}/results.csv")
    rows = csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))
    labels = {row[1] for row in rows if len(row) > 2 and row[0] == services.label}
    assert not {"Thuế", "Đất đai"} <= labels


def test_a_crosstab_by_question_merges_what_the_results_per_unit_would_give_away(
    world: World, officer: User
) -> None:
    """k = 3. Merging only on its own cells, score by district would join north and south,
    because "2 and north" has 1 answer; but the results per unit show the village as all
    south and all "2", and every skipped score in the commune, where district is north or
    skipped, so north in the commune minus the skipped scores would give that 1 back. The
    columns merge on the cells within each group of units instead (protection.py, rule 5)."""
    survey = make_survey(world, officer, k=3)
    no_district = {key: value for key, value in GOOD.items() if key not in ("district", "commune")}
    for _ in range(3):
        answer(survey, world, {key: v for key, v in GOOD.items() if key != "score"})
    answer(survey, world, {**GOOD, "score": ["2"]})
    for _ in range(3):
        south = {**GOOD, "score": ["2"], "district": ["south"], "commune": ["s1"]}
        answer(survey, world, south, unit=world.village)
        answer(survey, world, {**no_district, "score": ["2"]})
    by_unit = results.results_by_unit(survey, "vi")
    assert by_unit is not None
    assert len(by_unit.columns) == 2  # the village and the commune stay apart
    table = results.crosstab(survey, "score", "district", "vi")
    assert table is not None
    assert len(table.columns) == 1
    assert table.merged_note.startswith("Các cột có nhóm nhỏ hơn 3")
    assert all(n == 0 or n >= 3 for row in table.cells for n in row)


def test_a_crosstab_by_question_merges_what_a_third_question_would_give_away(
    world: World, officer: User
) -> None:
    """k = 3, one unit, the answers of the three-question case in test_protection.py
    (district, used, commune as Q, B, C), where cross-tabs merged on their own cells let the
    reader's solver get "no and Nam Một" (1 answer) back. Merged on their own cells, used by
    commune keeps "(no answer)" apart; merged also within each group of every other question
    (protection.py, rule 5), its columns all join."""
    survey = make_survey(world, officer, k=3)
    closed = {key: v for key, v in GOOD.items() if key not in ("services", "score", "priority")}
    south = {"district": ["south"], "commune": ["s1"]}
    for _ in range(3):
        answer(survey, world, {**GOOD, **south})
        no_commune = {key: v for key, v in closed.items() if key != "commune"}
        answer(survey, world, {**no_commune, "used": ["no"], "district": ["south"]})
        answer(survey, world, {**closed, "used": ["no"], "district": ["north"], "commune": ["n1"]})
    answer(survey, world, {**closed, "used": ["no"], **south})
    table = results.crosstab(survey, "used", "commune", "vi")
    assert table is not None
    assert len(table.columns) == 1
    assert all(n == 0 or n >= 3 for row in table.cells for n in row)


def test_a_form_version_with_fewer_than_k_answers_is_counted_with_another() -> None:
    """Answers per version are groups too: a version with 1..k-1 answers is merged with the
    smallest other, as a question's small category is."""
    counts = results.version_counts({1: 40, 2: 2, 3: 9}, 5)
    assert [(v.numbers, v.count, v.merged) for v in counts] == [
        ("1", 40, False),
        ("2, 3", 11, True),
    ]
    counts = results.version_counts({1: 6, 2: 5}, 5)
    assert [(v.numbers, v.count, v.merged) for v in counts] == [("1", 6, False), ("2", 5, False)]
