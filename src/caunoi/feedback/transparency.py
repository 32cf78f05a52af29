"""A unit's transparency page: how many reports it received and answered, how many on time,
and the median working days to answer, by month and by category, with charts and tables."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.charts import bar_chart, line_chart
from caunoi.core.models import Unit
from caunoi.feedback.public import _public, _unit_at
from caunoi.feedback.stats import figures


def _period(request: HttpRequest) -> tuple[date, date, int | None]:
    today = timezone.localdate()
    year = request.GET.get("nam", "")
    if year.isdigit() and 2000 <= int(year) <= today.year:
        chosen = int(year)
        return date(chosen, 1, 1), min(date(chosen, 12, 31), today), chosen
    first = date(today.year - 1, today.month, 1) + timedelta(days=31)
    return date(first.year, first.month, 1), today, None


def transparency(request: HttpRequest, slugs: str) -> HttpResponse:
    unit = _unit_at(slugs)
    start, end, year = _period(request)
    found = figures(unit=unit, start=start, end=end)
    months = list(found.by_month)
    labels = [f"{m[5:]}/{m[2:4]}" for m in months]
    monthly = [found.by_month[m] for m in months]
    chart = bar_chart(
        title=_("Phản ánh theo tháng"),
        labels=labels,
        series={
            _("Đã nhận"): [t.received for t in monthly],
            _("Đã trả lời"): [t.answered for t in monthly],
            _("Trả lời đúng hạn"): [t.on_time for t in monthly],
        },
    )
    days_chart = line_chart(
        title=_("Số ngày làm việc để trả lời (trung vị)"),
        labels=labels,
        series={_("Ngày làm việc"): [t.median_days or 0 for t in monthly]},
    )
    categories = sorted(found.by_category.items(), key=lambda item: -item[1].received)
    return _public(
        request,
        render(
            request,
            "feedback/transparency.html",
            {
                "shown": unit,
                "ancestors": list(Unit.objects.get_ancestors(unit)),
                "figures": found,
                "rows": list(zip(labels, monthly, strict=True)),
                "categories": categories,
                "chart": chart,
                "days_chart": days_chart,
                "start": start,
                "end": end,
                "year": year,
                "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            },
        ),
        max_age=600,
    )
