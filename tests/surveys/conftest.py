"""Survey fixtures: the corpus of XLSForms and a survey on the test commune."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from pyxform.xls2json_backends import md_table_to_workbook

from caunoi.core.models import RoleName, User
from caunoi.surveys import services
from caunoi.surveys.models import Survey
from tests.conftest import World, make_person

FORMS = Path(__file__).parent / "forms"


def form_bytes(name: str) -> bytes:
    return (FORMS / name).read_bytes()


def as_xlsx(markdown_name: str) -> bytes:
    """The same form as a real .xlsx workbook, written by openpyxl."""
    book = md_table_to_workbook((FORMS / markdown_name).read_text())
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def make_survey(
    world: World, by: User | None, form: str = "all_types.md", *, k: int = 5, **extra: object
) -> Survey:
    today = timezone.localdate()
    survey = services.survey_create(
        unit=world.commune,
        by=by,
        title="Dịch vụ công trực tuyến",
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=10),
        k=k,
        **extra,  # type: ignore[arg-type]
    )
    services.form_upload(survey=survey, by=by, data=form_bytes(form), filename=form)
    return survey


@pytest.fixture
def officer(world: World) -> User:
    """The commune's communication officer (an editor): runs surveys."""
    return make_person("bientap.dong", world.commune, RoleName.EDITOR)


@pytest.fixture
def survey(world: World, officer: User) -> Survey:
    return make_survey(world, officer)


GOOD = {
    "age": ["34"],
    "used": ["yes"],
    "services": ["tax", "land"],
    "score": ["4"],
    "priority": ["roads", "clinics", "schools"],
    "comment": ["Nhanh hơn trước, gọi 0912 345 678 nếu cần"],
    "district": ["north"],
    "commune": ["n2"],
    "km": ["3.5"],
    "visited": ["2026-01-02"],
}


def answer(
    survey: Survey,
    world: World,
    raw: dict[str, list[str]] | None = None,
    *,
    unit: object = None,
    token: str = "",
    day: date | None = None,
) -> object:
    from caunoi.surveys.selectors import latest_version

    version = latest_version(survey=survey)
    assert version is not None
    return services.answer_submit(
        survey=survey,
        version=version,
        unit=unit or world.commune,  # type: ignore[arg-type]
        raw=raw if raw is not None else GOOD,
        today=day or timezone.localdate(),
        language="vi",
        token=token or f"t-{Survey.objects.count()}-{id(raw)}-{timezone.now().timestamp()}",
    )
