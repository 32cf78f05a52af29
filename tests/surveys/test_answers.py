"""Answering a survey on the portal: checked by the server, stored anonymously, all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from caunoi.core.models import User
from caunoi.surveys import services
from caunoi.surveys.models import Answer, AnsweredToken, Survey
from tests.conftest import World
from tests.surveys.conftest import GOOD, answer, make_survey

URL = "/u/tinh-thu/xa-dong/khao-sat/{pk}/"


def _post(client: Client, survey: Survey, data: dict[str, list[str] | str], **extra: str) -> object:
    payload: dict[str, object] = {"_unit": str(survey.unit.pk), "_js": "1", **data}
    payload.update(extra)
    return client.post(URL.format(pk=survey.pk), payload)


def test_a_valid_answer_is_stored_with_the_day_and_unit_only(survey: Survey, world: World) -> None:
    response = _post(Client(), survey, GOOD)  # type: ignore[arg-type]
    assert response.status_code == 302, response.content.decode()[:2000]  # type: ignore[attr-defined]
    stored = Answer.objects.get()
    assert stored.day == timezone.localdate()
    assert stored.unit == world.commune
    assert stored.values["age"] == "34"
    assert stored.values["services"] == "tax land"
    assert stored.values["priority"] == "roads clinics schools"
    assert stored.values["adult"] == "yes"  # calculate
    assert stored.values["wave"] == "2026"  # hidden default
    names = {f.name for f in Answer._meta.get_fields()}
    assert not names & {"ip", "user", "user_agent", "created_at", "person", "device"}


def test_the_cookie_token_stops_a_second_answer_from_the_same_browser(survey: Survey) -> None:
    client = Client()
    assert _post(client, survey, GOOD).status_code == 302  # type: ignore[arg-type, attr-defined]
    assert client.cookies["caunoi_survey_token"].value
    again = _post(client, survey, GOOD)  # type: ignore[arg-type]
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert "đã gửi câu trả lời" in again.content.decode()  # type: ignore[attr-defined]
    assert Answer.objects.count() == 1
    page = client.get(URL.format(pk=survey.pk))
    assert 'data-testid="already"' in page.content.decode()


def test_the_server_keeps_only_a_hash_of_the_token_unlinked_to_the_answer(survey: Survey) -> None:
    client = Client()
    _post(client, survey, GOOD)  # type: ignore[arg-type]
    token = client.cookies["caunoi_survey_token"].value
    digest = AnsweredToken.objects.get().digest
    assert token not in digest
    assert len(digest) == 64
    assert {f.name for f in AnsweredToken._meta.get_fields()} == {"digest"}


def test_the_page_says_what_is_kept(survey: Survey) -> None:
    page = Client().get(URL.format(pk=survey.pk)).content.decode()
    assert "Những gì được lưu" in page
    assert "caunoi_survey_token" in page
    assert "Không lưu tên, tài khoản, địa chỉ IP" in page


def test_an_answer_breaking_a_constraint_is_refused_with_its_message_and_nothing_is_kept(
    survey: Survey,
) -> None:
    response = _post(Client(), survey, {**GOOD, "age": ["7"]})  # type: ignore[arg-type]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Tuổi từ 15 đến 100" in response.content.decode()  # type: ignore[attr-defined]
    assert Answer.objects.count() == 0
    assert AnsweredToken.objects.count() == 0


def test_a_select_value_not_in_the_list_is_refused(survey: Survey, world: World) -> None:
    with pytest.raises(services.AnswerInvalid) as invalid:
        answer(survey, world, {**GOOD, "used": ["maybe"]})
    assert "không nằm trong các lựa chọn" in invalid.value.checked.errors["used"]
    assert Answer.objects.count() == 0


def test_a_choice_outside_the_choice_filter_is_refused(survey: Survey, world: World) -> None:
    with pytest.raises(services.AnswerInvalid) as invalid:
        answer(survey, world, {**GOOD, "district": ["south"], "commune": ["n1"]})
    assert set(invalid.value.checked.errors) == {"commune"}


def test_a_required_question_left_empty_is_named(survey: Survey, world: World) -> None:
    with pytest.raises(services.AnswerInvalid) as invalid:
        answer(survey, world, {**GOOD, "age": []})
    assert invalid.value.checked.errors == {"age": "Câu này cần được trả lời."}


def test_skipped_questions_are_not_kept_even_if_sent(survey: Survey, world: World) -> None:
    stored = answer(survey, world, {**GOOD, "used": ["no"]})
    assert isinstance(stored, Answer)
    assert "services" not in stored.values
    assert "score" not in stored.values
    assert "comment" not in stored.values


def test_or_other_asks_for_the_other_text_only_when_other_is_chosen(
    survey: Survey, world: World
) -> None:
    stored = answer(survey, world, {**GOOD, "services": ["other"], "services_other": ["Hộ tịch"]})
    assert isinstance(stored, Answer)
    assert stored.values["services_other"] == "Hộ tịch"
    dropped = answer(survey, world, {**GOOD, "services_other": ["ignored"]})
    assert isinstance(dropped, Answer)
    assert "services_other" not in dropped.values


def test_a_rank_must_place_every_choice_once(survey: Survey, world: World) -> None:
    with pytest.raises(services.AnswerInvalid) as invalid:
        answer(survey, world, {**GOOD, "priority": ["roads", "roads", "schools"]})
    assert "priority" in invalid.value.checked.errors


def test_a_range_answer_must_be_one_of_its_steps(survey: Survey, world: World) -> None:
    with pytest.raises(services.AnswerInvalid) as invalid:
        answer(survey, world, {**GOOD, "score": ["9"]})
    assert "score" in invalid.value.checked.errors


def test_a_date_in_the_future_breaks_its_constraint(survey: Survey, world: World) -> None:
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    with pytest.raises(services.AnswerInvalid) as invalid:
        answer(survey, world, {**GOOD, "visited": [future]})
    assert invalid.value.checked.errors == {"visited": "Không ở tương lai"}


def test_an_answer_to_a_closed_survey_is_refused_in_plain_words(
    world: World, officer: User
) -> None:
    survey = make_survey(world, officer)
    survey.closes_on = timezone.localdate() - timedelta(days=1)
    survey.save()
    response = _post(Client(), survey, GOOD)  # type: ignore[arg-type]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "đã đóng" in response.content.decode()  # type: ignore[attr-defined]
    assert Answer.objects.count() == 0
    assert AnsweredToken.objects.count() == 0
    page = Client().get(URL.format(pk=survey.pk)).content.decode()
    assert 'data-testid="closed"' in page


def test_a_unit_outside_the_survey_is_refused(survey: Survey, world: World) -> None:
    with pytest.raises(services.CaunoiError):
        answer(survey, world, unit=world.sibling)
    assert Answer.objects.count() == 0


def test_without_javascript_newly_relevant_questions_are_shown_before_storing(
    survey: Survey,
) -> None:
    shown = ["age", "used", "district", "commune", "km", "visited"]
    response = Client().post(
        URL.format(pk=survey.pk),
        {"_unit": str(survey.unit.pk), "_js": "0", "_shown": shown, "age": "30", "used": "yes"},
    )
    assert response.status_code == 400
    assert "có thêm câu hỏi" in response.content.decode()
    assert Answer.objects.count() == 0


def test_the_form_is_shown_in_english_with_the_english_labels(survey: Survey) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(URL.format(pk=survey.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your age" in page
    assert "Have you used online public services?" in page


def test_a_page_per_group_form_walks_page_by_page_without_javascript(
    world: World, officer: User
) -> None:
    survey = make_survey(world, officer, "groups.md", one_page=False)
    client = Client()
    url = URL.format(pk=survey.pk)
    first = client.post(
        url, {"_unit": str(world.commune.pk), "_page": "0", "_action": "next", "age": "12"}
    )
    assert first.status_code == 200
    body = first.content.decode()
    # Group A applies only from 18: the next page is group B.
    assert 'name="ok"' in body
    assert 'name="job"' not in body
    done = client.post(
        url,
        {
            "_unit": str(world.commune.pk),
            "_page": "2",
            "_action": "send",
            "age": "12",
            "ok": "yes",
            "_shown": ["ok"],
        },
    )
    assert done.status_code == 302
    assert Answer.objects.get().values == {"age": "12", "ok": "yes"}


def test_the_portal_lists_open_surveys_of_the_unit_and_above(survey: Survey, world: World) -> None:
    village = Client().get("/u/tinh-thu/xa-dong/thon-mot/khao-sat/").content.decode()
    assert survey.title in village
    sibling = Client().get("/u/tinh-thu/xa-tay/khao-sat/").content.decode()
    assert survey.title not in sibling


def test_messages_read_in_english_for_an_english_reader(survey: Survey) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    response = _post(client, survey, {**GOOD, "age": []})  # type: ignore[arg-type]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "This question needs an answer." in body
    assert "What is kept" in body
    # The browser's messages for choices and ranks, in the reader's language too.
    assert "Rank every choice, each in one place." in body
    assert "A choice is not in this question" in body


def test_a_portal_answer_outside_the_subtree_keeps_neither_answer_nor_token(
    survey: Survey, world: World
) -> None:
    response = _post(Client(), survey, GOOD, _unit=str(world.sibling.pk))  # type: ignore[arg-type]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "không thuộc phạm vi" in response.content.decode()  # type: ignore[attr-defined]
    assert Answer.objects.count() == 0
    assert AnsweredToken.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_storing_a_portal_answer_takes_one_statement_after_the_lookups_on_postgresql(
    survey: Survey, django_assert_num_queries: object
) -> None:
    """The commune of the address (two queries), the survey with its latest form (one), then
    one statement that checks the place and inserts the token's hash and the answer. SQLite
    does the last in a transaction: a check and two inserts. Run outside a test transaction,
    as the server runs (autocommit)."""
    expected = 4 if connection.vendor == "postgresql" else 8
    with django_assert_num_queries(expected):  # type: ignore[operator]
        response = _post(Client(), survey, GOOD)  # type: ignore[arg-type]
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert Answer.objects.count() == 1
