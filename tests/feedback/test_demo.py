from __future__ import annotations

import random

import pytest

from caunoi.core.demo import DemoContext
from caunoi.feedback import demo
from caunoi.feedback.models import Report, Status
from caunoi.feedback.stats import figures
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_the_demo_adds_a_year_of_mostly_answered_reports_once(world: World) -> None:
    def context() -> DemoContext:
        return DemoContext(world.province, world.commune, {}, random.Random(7), False)

    demo.load(context())
    count = Report.objects.count()
    assert count >= 250
    demo.load(context())
    assert Report.objects.count() == count
    answered = Report.objects.filter(status__in=[Status.RESOLVED, Status.CLOSED]).count()
    assert answered > 0.7 * count
    assert Report.objects.filter(reopened__gt=0).exists()
    first = min(Report.objects.values_list("created_at", flat=True))
    found = figures(
        unit=world.province, start=first.date(), end=first.date().replace(year=first.year + 1)
    )
    assert 0 < found.total.on_time < found.total.answered  # some were late
