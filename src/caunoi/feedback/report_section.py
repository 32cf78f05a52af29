"""The feedback section of periodic reports: received, answered, on time, median working days
to answer, by category and by unit of the subtree."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.models import Unit
from caunoi.feedback.models import Report
from caunoi.feedback.stats import Tally, _bounds, figures
from caunoi.reports.sections import Chart, Figure, Period, RawCount, SectionResult, Table

# Fed to the reports roll-ups as reports arrive (services.count_received) and checked by
# `caunoi reports check` against `recount` below.
RECEIVED = "feedback.received"


def _row(name: str, tally: Tally) -> list[object]:
    return [name, tally.received, tally.answered, tally.on_time, tally.median_days]


class FeedbackSection:
    key = "feedback"
    order = 20
    counter_keys = (RECEIVED,)

    def recount(self, *, start: date, end: date) -> list[RawCount]:
        """Every report (complaints and denunciations too) by its unit and day of arrival."""
        low, high = _bounds(start, end)
        zone = timezone.get_current_timezone()
        counted: dict[tuple[int, date], int] = defaultdict(int)
        rows = Report.objects.filter(created_at__gte=low, created_at__lt=high)
        for unit_id, created in rows.values_list("unit_id", "created_at").iterator():
            counted[(unit_id, created.astimezone(zone).date())] += 1
        return [RawCount(u, RECEIVED, day, n) for (u, day), n in counted.items()]

    def title(self) -> str:
        return _("Tiếp nhận và trả lời phản ánh, kiến nghị")

    def build(self, *, unit: Unit, period: Period) -> SectionResult:
        found = figures(unit=unit, start=period.start, end=period.end)
        total = found.total
        columns = [
            _("Tên"),
            _("Đã nhận"),
            _("Đã trả lời"),
            _("Trả lời đúng hạn"),
            _("Trung vị ngày làm việc"),
        ]
        columns_category = [_("Lĩnh vực"), *columns[1:]]
        columns_unit = [_("Đơn vị"), *columns[1:]]
        months = list(found.by_month)
        return SectionResult(
            key=self.key,
            title=self.title(),
            figures=[
                Figure("received", _("Phản ánh đã nhận"), total.received),
                Figure("answered", _("Đã trả lời"), total.answered),
                Figure("on_time", _("Trả lời đúng hạn"), total.on_time),
                Figure("on_time_percent", _("Tỷ lệ trả lời đúng hạn"), total.on_time_percent, "%"),
                Figure(
                    "median_days",
                    _("Trung vị số ngày làm việc để trả lời"),
                    total.median_days,
                    _("ngày"),
                ),
                Figure("complaints", _("Khiếu nại (tính riêng)"), found.complaints),
                Figure("denunciations", _("Tố cáo (tính riêng)"), found.denunciations),
                Figure("reopened", _("Bị người dân mở lại"), found.reopened),
            ],
            tables=[
                Table(
                    "by_category",
                    _("Theo lĩnh vực"),
                    columns_category,
                    [_row(n, t) for n, t in sorted(found.by_category.items())],
                ),
                Table(
                    "by_unit",
                    _("Theo đơn vị"),
                    columns_unit,
                    [_row(n, t) for n, t in sorted(found.by_unit.items())],
                ),
            ],
            charts=[
                Chart(
                    "by_month",
                    _("Phản ánh theo tháng"),
                    "bar",
                    months,
                    {
                        _("Đã nhận"): [float(found.by_month[m].received) for m in months],
                        _("Đã trả lời"): [float(found.by_month[m].answered) for m in months],
                    },
                )
            ],
        )
