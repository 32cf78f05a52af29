"""Counting reports for the transparency page and the periodic report: received, answered,
answered on time, median working days to answer; by month, category and unit. Complaints and
denunciations are counted apart."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from caunoi.core.models import Unit
from caunoi.feedback.models import Report


@dataclass
class Tally:
    received: int = 0
    answered: int = 0
    on_time: int = 0
    days: list[float] = field(default_factory=list)

    def add(
        self, answered_at: datetime | None, deadline: datetime | None, days: float | None
    ) -> None:
        self.received += 1
        if answered_at is not None:
            self.answered += 1
            if deadline is not None and answered_at <= deadline:
                self.on_time += 1
            if days is not None:
                self.days.append(days)

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.days), 1) if self.days else None

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None


@dataclass
class Figures:
    total: Tally
    by_month: dict[str, Tally]
    by_category: dict[str, Tally]
    by_unit: dict[str, Tally]
    complaints: int = 0
    denunciations: int = 0
    reopened: int = 0
    ratings: list[int] = field(default_factory=list)

    @property
    def average_rating(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 1) if self.ratings else None


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def months(start: date, end: date) -> list[str]:
    keys, cursor = [], date(start.year, start.month, 1)
    while cursor <= end:
        keys.append(f"{cursor:%Y-%m}")
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return keys


def figures(*, unit: Unit, start: date, end: date, by_unit_depth: int | None = None) -> Figures:
    """Everything received in the unit's subtree between two days (both included).

    `by_unit_depth`: count per unit at that depth of the tree (e.g. the children of `unit`)."""
    low, high = _bounds(start, end)
    rows = Report.objects.filter(
        unit__path__startswith=unit.path, created_at__gte=low, created_at__lt=high
    ).values_list(
        "created_at",
        "answered_at",
        "deadline",
        "working_days_to_answer",
        "category__name",
        "legal_kind",
        "reopened",
        "rating",
        "unit__path",
    )
    depth = by_unit_depth or unit.depth + 1
    step = Unit.steplen
    names = dict(
        Unit.objects.filter(path__startswith=unit.path, depth__lte=depth).values_list(
            "path", "name"
        )
    )
    result = Figures(
        Tally(), {m: Tally() for m in months(start, end)}, defaultdict(Tally), defaultdict(Tally)
    )
    zone = timezone.get_current_timezone()
    for created, answered, deadline, days, category, legal, reopened, rating, path in rows:
        if legal == "complaint":
            result.complaints += 1
            continue
        if legal == "denunciation":
            result.denunciations += 1
            continue
        result.total.add(answered, deadline, days)
        month = f"{created.astimezone(zone):%Y-%m}"
        result.by_month.setdefault(month, Tally()).add(answered, deadline, days)
        result.by_category[str(category)].add(answered, deadline, days)
        owner = str(names.get(path[: step * depth]) or unit.name)
        result.by_unit[owner].add(answered, deadline, days)
        result.reopened += 1 if reopened else 0
        if rating:
            result.ratings.append(rating)
    return result
