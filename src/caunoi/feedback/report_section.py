"""The feedback section of periodic reports: received, answered, on time, median working days
to answer, by category and by unit of the subtree.

Every number is read from the reports roll-up counters that `caunoi.feedback.counting` keeps
current as reports arrive and change, never from the reports table: a province's quarter is a
few thousand counter rows whatever the number of reports. `recount` counts the raw reports
again the same way, for `caunoi reports check`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.models import Unit
from caunoi.feedback.counting import (
    ANSWERED,
    CATEGORY,
    COMPLAINTS,
    DAYS,
    DENUNCIATIONS,
    FIELDS,
    ON_TIME,
    PREFIX,
    RECEIVED,
    REOPENED,
    contribution,
)
from caunoi.feedback.models import Category, Report
from caunoi.feedback.stats import _bounds, months
from caunoi.reports import counters
from caunoi.reports.sections import Chart, Figure, Period, RawCount, SectionResult, Table

__all__ = ["RECEIVED", "FeedbackSection"]


@dataclass
class _Tally:
    """The figures of one subtree (or one category) read from its counters."""

    received: int
    answered: int
    on_time: int
    days: dict[int, int]  # tenths of a working day -> reports answered in that time

    @classmethod
    def of(cls, found: dict[str, int]) -> _Tally:
        return cls(
            received=found.get(RECEIVED, 0)
            - found.get(COMPLAINTS, 0)
            - found.get(DENUNCIATIONS, 0),
            answered=found.get(ANSWERED, 0),
            on_time=found.get(ON_TIME, 0),
            days={int(k[len(DAYS) :]): n for k, n in found.items() if k.startswith(DAYS) and n},
        )

    def minus(self, other: _Tally) -> _Tally:
        days = Counter(self.days)
        days.subtract(other.days)
        return _Tally(
            self.received - other.received,
            self.answered - other.answered,
            self.on_time - other.on_time,
            {k: n for k, n in days.items() if n},
        )

    @property
    def median_days(self) -> float | None:
        """The median of the answer times, as `statistics.median` takes it."""
        total = sum(self.days.values())
        if not total:
            return None
        wanted = (total - 1) // 2, total // 2  # the middle one, or the middle two
        found: list[int] = []
        seen = 0
        for tenth in sorted(self.days):
            seen += self.days[tenth]
            while len(found) < 2 and seen > wanted[len(found)]:
                found.append(tenth)
        return round((found[0] + found[1]) / 20, 1)

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None

    def row(self, name: str) -> list[object]:
        return [name, self.received, self.answered, self.on_time, self.median_days]


def _figures(found: dict[str, int]) -> list[Figure]:
    total = _Tally.of(found)
    return [
        Figure("received", _("Phản ánh đã nhận"), total.received),
        Figure("answered", _("Đã trả lời"), total.answered),
        Figure("on_time", _("Trả lời đúng hạn"), total.on_time),
        Figure("on_time_percent", _("Tỷ lệ trả lời đúng hạn"), total.on_time_percent, "%"),
        Figure(
            "median_days", _("Trung vị số ngày làm việc để trả lời"), total.median_days, _("ngày")
        ),
        Figure("complaints", _("Khiếu nại (tính riêng)"), found.get(COMPLAINTS, 0)),
        Figure("denunciations", _("Tố cáo (tính riêng)"), found.get(DENUNCIATIONS, 0)),
        Figure("reopened", _("Bị người dân mở lại"), found.get(REOPENED, 0)),
    ]


def _by_category(found: dict[str, int]) -> list[list[object]]:
    """Per category: received, answered, on time and the median working days to answer."""
    per: dict[int, Counter[str]] = {}
    days: dict[int, Counter[int]] = {}
    for key, n in found.items():
        if key.startswith(CATEGORY):
            category, what = key[len(CATEGORY) :].split(".", 1)
            if what.startswith("days."):
                days.setdefault(int(category), Counter())[int(what[len("days.") :])] += n
            else:
                per.setdefault(int(category), Counter())[what] += n
    names = dict(Category.objects.filter(pk__in=per).values_list("pk", "name"))
    by_name: dict[str, _Tally] = {}
    for category_id, values in per.items():
        name = names.get(category_id, str(category_id))
        tally = by_name.setdefault(name, _Tally(0, 0, 0, {}))
        tally.received += values["received"]
        tally.answered += values["answered"]
        tally.on_time += values["on_time"]
        merged = Counter(tally.days)
        merged.update(days.get(category_id, Counter()))
        tally.days = {k: n for k, n in merged.items() if n}
    return [tally.row(name) for name, tally in sorted(by_name.items()) if tally.received]


# What the headline figures and the by-unit table need (not the per-category keys).
HEADLINE = (RECEIVED, COMPLAINTS, DENUNCIATIONS, ANSWERED, ON_TIME, REOPENED)


class FeedbackSection:
    key = "feedback"
    order = 20
    counter_keys = (RECEIVED,)
    counter_prefixes = (PREFIX,)

    def recount(
        self, *, start: date, end: date, unit_ids: Collection[int] | None = None
    ) -> list[RawCount]:
        """Every report by its unit and day of arrival, with the keys it counts for."""
        low, high = _bounds(start, end)
        counted: Counter[tuple[int, str, date]] = Counter()
        rows = Report.objects.filter(created_at__gte=low, created_at__lt=high)
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=list(unit_ids))
        rows = rows.values(*FIELDS)
        for row in rows.order_by().iterator(chunk_size=5000):
            unit_id, day, keys = contribution(row)
            counted.update((unit_id, key, day) for key in keys)
        return [RawCount(u, key, day, n) for (u, key, day), n in counted.items()]

    def recount_span(self) -> tuple[date, date] | None:
        found = Report.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
        if found["first"] is None:
            return None
        return timezone.localdate(found["first"]), timezone.localdate(found["last"])

    def title(self) -> str:
        return _("Tiếp nhận và trả lời phản ánh, kiến nghị")

    def figures_by_unit(self, *, units: Sequence[Unit], period: Period) -> dict[int, list[Figure]]:
        """The headline figures of several subtrees in one grouped read of the counters."""
        found = counters.by_key(units=units, period=period, keys=HEADLINE, prefixes=(DAYS,))
        return {pk: _figures(values) for pk, values in found.items()}

    def build(self, *, unit: Unit, period: Period) -> SectionResult:
        children = list(Unit.objects.get_children(unit).only("id", "name", "path"))
        total = counters.by_key(units=[unit], period=period, prefixes=(PREFIX,))[unit.pk]
        found = counters.by_key(units=children, period=period, keys=HEADLINE, prefixes=(DAYS,))
        by_unit: dict[str, _Tally] = {}
        own = _Tally.of(total)
        for child in children:
            tally = _Tally.of(found[child.pk])
            own = own.minus(tally)
            if tally.received:
                by_unit[child.name] = tally
        if own.received:
            by_unit[unit.name] = own
        daily = counters.by_day(
            unit=unit, period=period, keys=(RECEIVED, COMPLAINTS, DENUNCIATIONS, ANSWERED)
        )
        labels = months(period.start, period.end)
        monthly = {m: Counter[str]() for m in labels}
        for key, days in daily.items():
            for day, n in days.items():
                monthly[f"{day:%Y-%m}"][key] += n
        columns = [
            _("Tên"),
            _("Đã nhận"),
            _("Đã trả lời"),
            _("Trả lời đúng hạn"),
            _("Trung vị ngày làm việc"),
        ]
        return SectionResult(
            key=self.key,
            title=self.title(),
            figures=_figures(total),
            tables=[
                Table(
                    "by_category",
                    _("Theo lĩnh vực"),
                    [_("Lĩnh vực"), *columns[1:]],
                    _by_category(total),
                ),
                Table(
                    "by_unit",
                    _("Theo đơn vị"),
                    [_("Đơn vị"), *columns[1:]],
                    [tally.row(name) for name, tally in sorted(by_unit.items())],
                ),
            ],
            charts=[
                Chart(
                    "by_month",
                    _("Phản ánh theo tháng"),
                    "bar",
                    labels,
                    {
                        _("Đã nhận"): [float(_Tally.of(monthly[m]).received) for m in labels],
                        _("Đã trả lời"): [float(monthly[m][ANSWERED]) for m in labels],
                    },
                )
            ],
        )
