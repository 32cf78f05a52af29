"""Reads for surveys."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from caunoi.core.models import Unit, UnitKind
from caunoi.surveys.models import Answer, AnsweredToken, Survey, SurveyVersion

ANSWER_UNITS_LIMIT = 400


def surveys_in(*, unit: Unit) -> QuerySet[Survey]:
    """Surveys of `unit` and of the units below it, with their number of answers."""
    return (
        Survey.objects.filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .annotate(answer_count=Count("answers"))
    )


def surveys_on_portal(*, unit: Unit, today: date) -> QuerySet[Survey]:
    """Open surveys shown on `unit`'s portal: those of the unit and of the units above it."""
    paths = [unit.path[: i * Unit.steplen] for i in range(1, unit.depth + 1)]
    return (
        Survey.objects.filter(unit__path__in=paths, opens_on__lte=today, closes_on__gte=today)
        .filter(versions__isnull=False)
        .distinct()
        .select_related("unit")
        .order_by("closes_on", "pk")
    )


def latest_version(*, survey: Survey) -> SurveyVersion | None:
    return SurveyVersion.objects.filter(survey=survey).order_by("-number").first()


def answer_count(*, survey: Survey) -> int:
    return Answer.objects.filter(survey=survey).count()


def version_counts(*, survey: Survey) -> dict[int, int]:
    rows = (
        Answer.objects.filter(survey=survey)
        .values_list("version__number")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def answer_units(*, unit: Unit) -> list[Unit]:
    """Where a person may say they answer for: the unit and the places below it."""
    return list(
        Unit.objects.filter(path__startswith=unit.path)
        .filter(~Q(kind=UnitKind.ORGANIZATION))
        .order_by("path")[:ANSWER_UNITS_LIMIT]
    )


def has_answered(*, digest: str) -> bool:
    return AnsweredToken.objects.filter(digest=digest).exists()
