from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from caunoi.feedback.models import CalendarDay, DayKind
from caunoi.feedback.worktime import WorkCalendar

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=HANOI)


def test_eight_working_hours_from_friday_afternoon_end_on_monday_afternoon() -> None:
    friday = at(2025, 3, 14, 15, 0)  # 2 hours left on Friday, 8 per day
    assert WorkCalendar.around(friday).add_hours(friday, 8) == at(2025, 3, 17, 15, 0)


def test_a_report_sent_at_night_counts_from_the_next_morning() -> None:
    night = at(2025, 3, 11, 22, 0)
    assert WorkCalendar.around(night).add_hours(night, 1) == at(2025, 3, 12, 8, 30)


def test_tet_is_preloaded_and_skipped_by_working_days() -> None:
    assert CalendarDay.objects.filter(day=date(2026, 2, 17), kind=DayKind.HOLIDAY).exists()
    before_tet = at(2026, 2, 13, 7, 30)  # Friday before Tết 2026 (holidays 16–20 Feb)
    deadline = WorkCalendar.around(before_tet).add_days(before_tet, 2)
    assert deadline == at(2026, 2, 23, 17, 0)  # Friday and Monday, Tết week skipped


def test_holidays_are_editable_and_a_swapped_saturday_is_a_working_day() -> None:
    saturday = date(2025, 3, 15)
    CalendarDay.objects.create(day=saturday, kind=DayKind.WORKDAY, name="Làm bù")
    CalendarDay.objects.create(day=date(2025, 3, 17), kind=DayKind.HOLIDAY, name="Nghỉ bù")
    friday = at(2025, 3, 14, 17, 0)
    calendar = WorkCalendar.around(friday)
    assert calendar.add_hours(friday, 8) == at(2025, 3, 15, 17, 0)
    assert calendar.days_between(friday, at(2025, 3, 18, 17, 0)) == 2.0


def test_working_hours_come_from_settings(settings: object) -> None:
    settings.CAUNOI_WORK_DAYS = [0, 1, 2, 3, 4, 5]  # type: ignore[attr-defined]
    settings.CAUNOI_WORK_HOURS = ["09:00-17:00"]  # type: ignore[attr-defined]
    friday = at(2025, 3, 14, 16, 0)
    assert WorkCalendar.around(friday).add_hours(friday, 2) == at(2025, 3, 15, 10, 0)
