"""The `publishing` section of periodic reports: items published by kind and channel, reach and
engagement of a unit subtree over a period, with chart data."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.utils.translation import gettext as _

from caunoi.metrics.models import ChannelFigure, Metric
from caunoi.metrics.selectors import FLOWS, rollup
from caunoi.reports.sections import Chart, Figure, Period, RawCount, SectionResult, Table


def counter_key(metric: str) -> str:
    """The reports roll-up counter of a channel-level flow metric (fed by figures_write)."""
    return f"metrics.{metric}"


if TYPE_CHECKING:
    from caunoi.core.models import Unit


def grain_for(period: Period) -> str:
    if period.days <= 62:
        return "day"
    if period.days <= 3 * 366:
        return "month"
    return "quarter"


class PublishingSection:
    key = "publishing"
    order = 10
    counter_keys = tuple(counter_key(m) for m in FLOWS)

    def recount(self, *, start: date, end: date) -> list[RawCount]:
        """Channel-level flow figures by the channel's unit, metric and day."""
        summed: dict[tuple[int, str, date], int] = defaultdict(int)
        rows = (
            ChannelFigure.objects.filter(day__range=(start, end), metric__in=FLOWS)
            .values("channel__unit_id", "metric", "day")
            .annotate(total=Sum("value"))
            .values_list("channel__unit_id", "metric", "day", "total")
        )
        for unit_id, metric, day, total in rows:
            summed[(unit_id, counter_key(metric), day)] += int(total or 0)
        return [RawCount(u, key, day, n) for (u, key, day), n in summed.items()]

    def title(self) -> str:
        return _("Thông tin đã đăng, lượt tiếp cận và tương tác")

    def build(self, *, unit: Unit, period: Period) -> SectionResult:
        result = rollup(unit=unit, start=period.start, end=period.end, grain=grain_for(period))
        labels = [b.label for b in result.buckets]
        return SectionResult(
            key=self.key,
            title=self.title(),
            figures=[
                Figure("items", _("Tin bài đã đăng"), result.items),
                Figure("reach", _("Lượt tiếp cận"), result.total(Metric.REACH)),
                Figure("views", _("Lượt xem"), result.total(Metric.VIEWS)),
                Figure("engagement", _("Lượt tương tác"), result.total(Metric.ENGAGEMENT)),
                Figure("followers", _("Người theo dõi cuối kỳ"), result.followers),
            ],
            tables=[
                Table(
                    "items_by_kind",
                    _("Tin bài đã đăng theo loại"),
                    [_("Loại tin"), _("Số tin bài")],
                    [[label, n] for label, n in result.items_by_kind],
                ),
                Table(
                    "by_channel",
                    _("Theo loại kênh"),
                    [
                        _("Loại kênh"),
                        _("Tin, bài đăng"),
                        _("Lượt tiếp cận"),
                        _("Lượt tương tác"),
                        _("Người theo dõi"),
                    ],
                    [
                        [r.label, r.items, r.reach, r.engagement, r.followers]
                        for r in result.by_channel
                    ],
                ),
                Table(
                    "by_period",
                    _("Theo thời gian"),
                    [_("Kỳ"), _("Tin bài"), _("Lượt tiếp cận"), _("Lượt tương tác")],
                    [[b.label, b.items, b.reach, b.engagement] for b in result.buckets],
                ),
            ],
            charts=[
                Chart(
                    "reach",
                    _("Lượt tiếp cận và lượt tương tác"),
                    "line",
                    labels,
                    {
                        _("Lượt tiếp cận"): [float(b.reach) for b in result.buckets],
                        _("Lượt tương tác"): [float(b.engagement) for b in result.buckets],
                    },
                ),
                Chart(
                    "items",
                    _("Tin bài đã đăng theo loại"),
                    "bar",
                    labels,
                    {k: [float(n) for n in v] for k, v in result.kinds_by_bucket.items()},
                ),
            ],
        )
