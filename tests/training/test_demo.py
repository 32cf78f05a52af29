"""The demo office's press and training: a year of briefings in Hải Phòng's rhythm, releases
and coverage, and Đình Lập's three classes reaching 100% of the staff concerned."""

from __future__ import annotations

import pytest
from django.utils import timezone

from caunoi.core.demo import DEMO_COMMUNE, load_demo
from caunoi.core.models import Unit
from caunoi.press.models import Attendance, Briefing, CoverageItem, Outlet, ReleaseOutlet
from caunoi.reports.sections import Period
from caunoi.training import selectors
from caunoi.training.demo import COMMUNE_TOPIC
from caunoi.training.models import Course, TrainingSession


@pytest.mark.django_db
def test_the_demo_has_a_year_of_press_work_and_two_courses_and_loads_once() -> None:
    load_demo()
    counts = (
        Outlet.objects.count(),
        Briefing.objects.count(),
        CoverageItem.objects.count(),
        TrainingSession.objects.count(),
    )
    regular = Briefing.objects.filter(series__isnull=False)
    assert regular.count() == 12
    assert all(b.starts_at.hour == 7 for b in regular.exclude(change_note__gt=""))  # 14:00 +07
    assert 8 <= Briefing.objects.filter(urgent=True).count() <= 12
    assert regular.filter(status="cancelled").count() == 1
    assert Attendance.objects.exists()
    assert ReleaseOutlet.objects.filter(sent_at__isnull=False).exists()
    assert Outlet.objects.filter(email="").exists()  # one to show "no e-mail"

    commune = Unit.objects.get(name=DEMO_COMMUNE)
    course = Course.objects.get(topic=COMMUNE_TOPIC)
    assert course.sessions.count() == 3
    year = Period(
        timezone.localdate().replace(year=timezone.localdate().year - 1), timezone.localdate()
    )
    done = selectors.completion(course=course, unit=commune, start=year.start, end=year.end)
    assert done.rows[0].share == 100.0
    assert Course.objects.count() == 2

    load_demo()
    assert counts == (
        Outlet.objects.count(),
        Briefing.objects.count(),
        CoverageItem.objects.count(),
        TrainingSession.objects.count(),
    )
