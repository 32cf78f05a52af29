"""Staff screens: create a survey, upload its form (errors in plain words), versions after
answers, paper answers, permissions."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from caunoi.core.models import AuditEntry, RoleName, User
from caunoi.surveys.models import Answer, AnswerSource, Survey, SurveyVersion
from tests.conftest import World, logged_in, make_person
from tests.surveys.conftest import GOOD, answer, as_xlsx, form_bytes, make_survey


def test_an_officer_creates_a_survey_and_uploads_an_xlsx_form(world: World, officer: User) -> None:
    client = logged_in(officer)
    today = timezone.localdate().isoformat()
    created = client.post(
        f"/staff/units/{world.commune.pk}/surveys/new/",
        {
            "title": "Chuyển đổi số",
            "opens_on": today,
            "closes_on": today,
            "k": "5",
            "one_page": "on",
        },
    )
    assert created.status_code == 302
    survey = Survey.objects.get()
    upload = client.post(
        f"/staff/surveys/{survey.pk}/",
        {"file": SimpleUploadedFile("khao-sat.xlsx", as_xlsx("all_types.md"))},
    )
    assert upload.status_code == 302
    assert SurveyVersion.objects.get(survey=survey).number == 1
    page = client.get(f"/staff/surveys/{survey.pk}/").content.decode()
    assert "Tuổi của bạn" in page
    assert AuditEntry.objects.filter(action="caunoi.survey.form_uploaded").exists()


def test_k_below_three_is_refused(world: World, officer: User) -> None:
    today = timezone.localdate().isoformat()
    response = logged_in(officer).post(
        f"/staff/units/{world.commune.pk}/surveys/new/",
        {"title": "X", "opens_on": today, "closes_on": today, "k": "2"},
    )
    assert response.status_code == 400
    assert "k không được nhỏ hơn 3" in response.content.decode()
    assert not Survey.objects.exists()


def test_a_broken_form_is_refused_with_sheet_row_and_column_on_the_screen(
    world: World, officer: User
) -> None:
    survey = make_survey(world, officer)
    response = logged_in(officer).post(
        f"/staff/surveys/{survey.pk}/",
        {"file": SimpleUploadedFile("x.md", form_bytes("unsupported_type.md"))},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "dòng 3" in body
    assert "cột A (type)" in body
    assert "geopoint" in body


def test_a_new_form_after_answers_makes_a_new_version_and_answers_keep_theirs(
    world: World, officer: User
) -> None:
    survey = make_survey(world, officer)
    client = logged_in(officer)
    client.post(
        f"/staff/surveys/{survey.pk}/",
        {"file": SimpleUploadedFile("a.md", form_bytes("all_types.md"))},
    )
    assert SurveyVersion.objects.filter(survey=survey).count() == 1  # no answers yet: replaced
    first = answer(survey, world)
    client.post(
        f"/staff/surveys/{survey.pk}/",
        {"file": SimpleUploadedFile("b.md", form_bytes("all_types.md"))},
    )
    assert list(SurveyVersion.objects.filter(survey=survey).values_list("number", flat=True)) == [
        2,
        1,
    ]
    assert isinstance(first, Answer)
    first.refresh_from_db()
    assert first.version.number == 1
    second = answer(survey, world)
    assert isinstance(second, Answer)
    assert second.version.number == 2
    results = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "các phiên bản 1, 2: 2" in results  # one answer each: never shown alone
    assert "phiên bản 2: 1" not in results


def test_staff_enter_a_paper_answer_checked_like_a_portal_answer(
    world: World, officer: User
) -> None:
    survey = make_survey(world, officer)
    client = logged_in(officer)
    url = f"/staff/surveys/{survey.pk}/paper/"
    assert client.get(url).status_code == 200
    day = survey.opens_on.isoformat()
    bad = client.post(url, {**GOOD, "age": "3", "_unit": world.village.pk, "_day": day})
    assert bad.status_code == 400
    assert Answer.objects.count() == 0
    good = client.post(url, {**GOOD, "_unit": world.village.pk, "_day": day})
    assert good.status_code == 302
    stored = Answer.objects.get()
    assert stored.source == AnswerSource.PAPER
    assert stored.unit == world.village
    assert stored.day == survey.opens_on
    entry = AuditEntry.objects.get(action="caunoi.survey.paper_answer_entered")
    assert entry.object_id == str(survey.pk)


def test_a_viewer_sees_results_but_cannot_upload_or_enter_answers(
    world: World, officer: User
) -> None:
    survey = make_survey(world, officer)
    viewer = logged_in(make_person("xem", world.commune, RoleName.VIEWER))
    assert viewer.get(f"/staff/surveys/{survey.pk}/results/").status_code == 200
    assert viewer.get(f"/staff/surveys/{survey.pk}/paper/").status_code == 403
    refused = viewer.post(
        f"/staff/surveys/{survey.pk}/",
        {"file": SimpleUploadedFile("a.md", form_bytes("all_types.md"))},
    )
    assert refused.status_code == 403


def test_staff_of_another_commune_cannot_see_the_survey(world: World, officer: User) -> None:
    survey = make_survey(world, officer)
    outsider = logged_in(make_person("tay", world.sibling, RoleName.UNIT_ADMIN))
    assert outsider.get(f"/staff/surveys/{survey.pk}/").status_code == 403
    assert outsider.get(f"/staff/surveys/{survey.pk}/results/").status_code == 403


def test_the_survey_list_shows_surveys_of_the_subtree_with_answer_counts(
    world: World, province_admin: User, officer: User
) -> None:
    survey = make_survey(world, officer)
    answer(survey, world)
    page = (
        logged_in(province_admin).get(f"/staff/units/{world.province.pk}/surveys/").content.decode()
    )
    assert survey.title in page


def test_only_the_unit_admin_turns_on_free_text_export(
    world: World, officer: User, commune_admin: User
) -> None:
    survey = make_survey(world, officer)
    fields = {
        "title": survey.title,
        "opens_on": survey.opens_on.isoformat(),
        "closes_on": survey.closes_on.isoformat(),
        "k": "5",
        "one_page": "on",
        "free_text_export": "on",
    }
    logged_in(officer).post(f"/staff/surveys/{survey.pk}/edit/", fields)
    survey.refresh_from_db()
    assert survey.free_text_export is False
    assert (
        logged_in(commune_admin).post(f"/staff/surveys/{survey.pk}/edit/", fields).status_code
        == 302
    )
    survey.refresh_from_db()
    assert survey.free_text_export is True
