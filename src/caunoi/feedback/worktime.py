"""Working time: deadlines counted in working hours and working days.

The working week and hours come from settings (CAUNOI_WORK_DAYS, CAUNOI_WORK_HOURS); public
holidays and swapped working days from the editable calendar (CalendarDay). Nothing here knows
which country it is in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from django.conf import settings
from django.utils import timezone

from caunoi.feedback.models import CalendarDay, DayKind

_LOOKAHEAD_DAYS = 400  # the longest deadline fits well within this


def _hours_of_day() -> list[tuple[time, time]]:
    spans = []
    for text in settings.CAUNOI_WORK_HOURS:
        start, _sep, end = text.partition("-")
        spans.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
    return sorted(spans)


@dataclass
class WorkCalendar:
    weekdays: frozenset[int]
    spans: list[tuple[time, time]]
    holidays: frozenset[date]
    workdays: frozenset[date]
    # Each day's working periods, made once: a calendar is remembered per process (memo) and
    # every report's deadlines walk the same days.
    _made: dict[tuple[date, tzinfo], list[tuple[datetime, datetime]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def between(cls, first: date, last: date) -> WorkCalendar:
        """The calendar in force, with the exceptions between two days loaded once."""
        rows = CalendarDay.objects.filter(day__gte=first, day__lte=last).values_list("day", "kind")
        holidays = frozenset(day for day, kind in rows if kind == DayKind.HOLIDAY)
        workdays = frozenset(day for day, kind in rows if kind == DayKind.WORKDAY)
        return cls(frozenset(settings.CAUNOI_WORK_DAYS), _hours_of_day(), holidays, workdays)

    @classmethod
    def around(cls, moment: datetime) -> WorkCalendar:
        day = timezone.localtime(moment).date()
        return cls.between(day - timedelta(days=_LOOKAHEAD_DAYS), day + timedelta(_LOOKAHEAD_DAYS))

    @property
    def hours_per_day(self) -> float:
        return sum(_seconds(a, b) for a, b in self.spans) / 3600

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def _periods(self, day: date, zone: tzinfo) -> list[tuple[datetime, datetime]]:
        found = self._made.get((day, zone))
        if found is None:
            found = (
                [
                    (datetime.combine(day, a, tzinfo=zone), datetime.combine(day, b, tzinfo=zone))
                    for a, b in self.spans
                ]
                if self.is_working_day(day)
                else []
            )
            self._made[(day, zone)] = found
        return found

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` working hours after `start`."""
        left = timedelta(hours=hours)
        zone = timezone.get_current_timezone()
        day = timezone.localtime(start, zone).date()
        for _step in range(_LOOKAHEAD_DAYS * 2):
            for a, b in self._periods(day, zone):
                begin = max(a, start)
                if begin >= b:
                    continue
                if begin + left <= b:
                    return begin + left
                left -= b - begin
            day += timedelta(days=1)
        raise ValueError("no working time in the calendar for two years: check the settings")

    def add_days(self, start: datetime, days: float) -> datetime:
        return self.add_hours(start, days * self.hours_per_day)

    def hours_between(self, start: datetime, end: datetime) -> float:
        if end <= start:
            return 0.0
        total = timedelta()
        zone = timezone.get_current_timezone()
        day, last = timezone.localtime(start, zone).date(), timezone.localtime(end, zone).date()
        while day <= last:
            for a, b in self._periods(day, zone):
                lo, hi = max(a, start), min(b, end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total.total_seconds() / 3600

    def days_between(self, start: datetime, end: datetime) -> float:
        return round(self.hours_between(start, end) / self.hours_per_day, 2)


def _seconds(a: time, b: time) -> float:
    return (datetime.combine(date.min, b) - datetime.combine(date.min, a)).total_seconds()
