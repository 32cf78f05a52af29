"""Demo surveys: digital public services across the province, a road project in Đình Lập, and a
health survey with too few answers in some communes, so results show merged small groups.

Deterministic (the demo's seeded random), idempotent (a survey already there is left alone),
and fast: answers are checked like real ones, then written with bulk_create."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from caunoi.core.demo import DemoContext
from caunoi.core.models import Unit, UnitKind
from caunoi.surveys import form as forms
from caunoi.surveys import services
from caunoi.surveys.demo_answers import digital as _digital
from caunoi.surveys.demo_answers import health as _health
from caunoi.surveys.demo_answers import road as _road
from caunoi.surveys.models import Answer, AnswerSource, Survey, SurveyVersion

FORMS = Path(__file__).parent / "demo_forms"


def _survey(
    context: DemoContext, unit: Unit, title: str, form_file: str, opens: date, closes: date
) -> tuple[Survey, SurveyVersion] | None:
    if Survey.objects.filter(unit=unit, title=title).exists():
        return None
    survey = services.survey_create(
        unit=unit, by=None, title=title, opens_on=opens, closes_on=closes, k=5
    )
    version = services.form_upload(
        survey=survey, by=None, data=(FORMS / form_file).read_bytes(), filename=form_file
    )
    return survey, version


def _answers(
    made: tuple[Survey, SurveyVersion],
    places: list[tuple[Unit, int]],
    make: Any,
    rng: random.Random,
    today: date,
) -> int:
    survey, version = made
    form = forms.load(version.form)
    last = min(today, survey.closes_on)
    span = max(0, (last - survey.opens_on).days)
    rows = []
    for unit, count in places:
        for _ in range(count):
            day = survey.opens_on + timedelta(days=rng.randint(0, span))
            checked = forms.check(form, make(rng), day, "vi")
            if checked.errors:
                raise AssertionError(f"demo answer does not pass its own form: {checked.errors}")
            source = AnswerSource.PAPER if rng.random() < 0.1 else AnswerSource.PORTAL
            rows.append(
                Answer(
                    survey=survey,
                    version=version,
                    unit=unit,
                    day=day,
                    source=source,
                    values=checked.values,
                )
            )
    rng.shuffle(rows)  # ids carry no order of place or day
    Answer.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def load(context: DemoContext) -> None:
    rng = random.Random(2026)  # its own seed: adding surveys never shifts other apps' demo data
    today = timezone.localdate()
    province, commune = context.province, context.commune
    communes = list(
        Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COMMUNE).order_by("path")
    )
    digital = _survey(
        context,
        province,
        "Người dân với dịch vụ công trực tuyến năm 2026",
        "dich_vu_cong.md",
        today - timedelta(days=30),
        today + timedelta(days=15),
    )
    if digital is not None:
        places = [(c, 40 if c == commune else rng.randint(6, 32)) for c in communes]
        n = _answers(digital, places, _digital, rng, today)
        context.say(f"survey on digital public services: {n} answers")
    road = _survey(
        context,
        commune,
        "Ý kiến về dự án nâng cấp đường liên thôn Khe Mò – Pò Khoang",
        "du_an_duong.md",
        today - timedelta(days=12),
        today + timedelta(days=18),
    )
    if road is not None:
        villages = list(
            Unit.objects.filter(path__startswith=commune.path, kind=UnitKind.VILLAGE).order_by(
                "path"
            )
        )
        places = [(v, rng.randint(12, 30)) for v in villages]
        n = _answers(road, places, _road, rng, today)
        context.say(f"survey on the road project: {n} answers")
    health = _survey(
        context,
        province,
        "Tiếp cận dịch vụ y tế cơ sở quý III/2026",
        "y_te.md",
        today - timedelta(days=80),
        today - timedelta(days=20),
    )
    if health is not None:
        # Most communes answered well; a few sent only one to four answers: their figures are
        # merged with others in the results so no small group shows.
        places = [
            (c, rng.choice([1, 2, 3, 4]) if i % 9 == 4 else rng.randint(6, 20))
            for i, c in enumerate(communes)
        ]
        n = _answers(health, places, _health, rng, today)
        context.say(f"survey on primary health care: {n} answers, some communes below k")
