"""The `publishing` section of periodic reports: items published by kind and channel, reach and
engagement of a unit subtree over a period, with chart data.

Reach, views and engagement are read from the reports roll-up counters ("metrics.<channel
kind>.<metric>"), which `services.figures_write` keeps current as figures are written, never
from the daily figures themselves: a province's quarter is a few hundred counter rows however
many channels and days lie below it. `recount` sums the daily figures again the same way, for
`caunoi reports check`. Articles, deliveries and followers (a stock, not a flow) are read as
they are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.channels.models import Channel
from caunoi.metrics.models import ChannelFigure, Metric
from caunoi.metrics.selectors import (
    FLOWS,
    Bucket,
    bucket_label,
    bucket_of,
    buckets_between,
    by_channel_kind,
    followers_at,
)
from caunoi.publishing.models import Article, ArticleKind, ArticleState
from caunoi.publishing.selectors import published_counts
from caunoi.reports import counters
from caunoi.reports.sections import Chart, Figure, Period, RawCount, SectionResult, Table

if TYPE_CHECKING:
    from caunoi.core.models import Unit

PREFIX = "metrics."


def counter_key(metric: str, kind: str) -> str:
    """The roll-up counter of a channel-level flow metric on channels of one kind."""
    return f"{PREFIX}{kind}.{metric}"


def _split(key: str) -> tuple[str, str]:
    kind, metric = key[len(PREFIX) :].rsplit(".", 1)
    return kind, metric


def grain_for(period: Period) -> str:
    if period.days <= 62:
        return "day"
    if period.days <= 3 * 366:
        return "month"
    return "quarter"


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _flows(found: dict[str, int]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for key, n in found.items():
        totals[_split(key)[1]] += n
    return totals


def _by_branch(units: Sequence[Unit]) -> dict[int, list[Unit]]:
    """The units grouped by the length of their path: one grouped query per tree level."""
    found: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        found[len(unit.path)].append(unit)
    return found


def _items_by_unit(units: Sequence[Unit], period: Period) -> dict[int, int]:
    """Articles published in each unit's subtree, counted in one grouped query per level."""
    since, until = _bounds(period.start, period.end)
    found = dict.fromkeys((u.pk for u in units), 0)
    for width, level in _by_branch(units).items():
        ids = {u.path: u.pk for u in level}
        rows = (
            Article.objects.filter(
                state=ArticleState.PUBLISHED, published_at__gte=since, published_at__lt=until
            )
            .annotate(branch=Substr("unit__path", 1, width))
            .filter(branch__in=list(ids))
            .values("branch")
            .annotate(n=Count("id"))
            .values_list("branch", "n")
            .order_by()
        )
        for branch, n in rows:
            found[ids[branch]] = n
    return found


def _followers_by_unit(units: Sequence[Unit], day: date) -> dict[int, int]:
    """Followers of each unit's subtree on `day` (each channel's latest figure), one query
    per level: the same figure as `followers_at`, summed over the channel kinds."""
    found = dict.fromkeys((u.pk for u in units), 0)
    for width, level in _by_branch(units).items():
        ids = {u.path: u.pk for u in level}
        latest = ChannelFigure.objects.filter(
            channel=OuterRef("pk"), metric=Metric.FOLLOWERS, day__lte=day
        ).order_by("-day")
        rows = (
            Channel.objects.annotate(branch=Substr("unit__path", 1, width))
            .filter(branch__in=list(ids))
            .annotate(latest=Subquery(latest.values("value")[:1]))
            .values_list("branch", "latest")
        )
        for branch, value in rows:
            if value is not None:
                found[ids[branch]] += value
    return found


class PublishingSection:
    key = "publishing"
    order = 10
    counter_keys: tuple[str, ...] = ()
    counter_prefixes = (PREFIX,)

    def recount(
        self, *, start: date, end: date, unit_ids: Collection[int] | None = None
    ) -> list[RawCount]:
        """Channel-level flow figures by the channel's unit, kind, metric and day."""
        rows = ChannelFigure.objects.filter(day__range=(start, end), metric__in=FLOWS)
        if unit_ids is not None:
            rows = rows.filter(channel__unit_id__in=list(unit_ids))
        grouped = (
            rows.values("channel__unit_id", "channel__kind", "metric", "day")
            .annotate(total=Sum("value"))
            .values_list("channel__unit_id", "channel__kind", "metric", "day", "total")
            .order_by()
        )
        return [
            RawCount(unit_id, counter_key(metric, kind), day, int(total))
            for unit_id, kind, metric, day, total in grouped.iterator(chunk_size=10_000)
            if total
        ]

    def recount_span(self) -> tuple[date, date] | None:
        found = ChannelFigure.objects.filter(metric__in=FLOWS).aggregate(
            first=Min("day"), last=Max("day")
        )
        return (found["first"], found["last"]) if found["first"] else None

    def title(self) -> str:
        return _("Thông tin đã đăng, lượt tiếp cận và tương tác")

    def _figures(self, items: int, flows: dict[str, int], followers: int) -> list[Figure]:
        return [
            Figure("items", _("Tin bài đã đăng"), items),
            Figure("reach", _("Lượt tiếp cận"), flows.get(Metric.REACH, 0)),
            Figure("views", _("Lượt xem"), flows.get(Metric.VIEWS, 0)),
            Figure("engagement", _("Lượt tương tác"), flows.get(Metric.ENGAGEMENT, 0)),
            Figure("followers", _("Người theo dõi cuối kỳ"), followers),
        ]

    def figures_by_unit(self, *, units: Sequence[Unit], period: Period) -> dict[int, list[Figure]]:
        """The headline figures of several subtrees: one grouped read of the counters."""
        found = counters.by_key(units=units, period=period, prefixes=(PREFIX,))
        items = _items_by_unit(units, period)
        followers = _followers_by_unit(units, period.end)
        return {
            u.pk: self._figures(items[u.pk], _flows(found[u.pk]), followers[u.pk]) for u in units
        }

    def build(self, *, unit: Unit, period: Period) -> SectionResult:
        grain = grain_for(period)
        starts = buckets_between(period.start, period.end, grain)
        buckets = {s: Bucket(s, bucket_label(s, grain)) for s in starts}
        by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        flows: dict[str, int] = defaultdict(int)
        for key, days in counters.by_day(unit=unit, period=period, prefixes=(PREFIX,)).items():
            kind, metric = _split(key)
            for day, n in days.items():
                bucket = buckets[bucket_of(day, grain)]
                bucket.figures[metric] = bucket.figures.get(metric, 0) + n
                by_kind[kind][metric] += n
                flows[metric] += n

        kinds_by_bucket: dict[str, list[int]] = {}
        items_by_kind: dict[str, int] = defaultdict(int)
        index = {s: i for i, s in enumerate(starts)}
        for counted in published_counts(unit=unit, start=period.start, end=period.end, grain=grain):
            label = str(ArticleKind(counted["kind"]).label)
            series = kinds_by_bucket.setdefault(label, [0] * len(starts))
            position = index.get(bucket_of(counted["bucket"], grain))
            if position is not None:
                series[position] += counted["n"]
                buckets[starts[position]].items += counted["n"]
            items_by_kind[label] += counted["n"]
        items = sum(items_by_kind.values())
        followers = followers_at(unit=unit, day=period.end)
        by_channel = by_channel_kind(unit, by_kind, period.start, period.end, items, followers)
        ordered = [buckets[s] for s in starts]
        labels = [b.label for b in ordered]
        return SectionResult(
            key=self.key,
            title=self.title(),
            figures=self._figures(items, flows, sum(followers.values())),
            tables=[
                Table(
                    "items_by_kind",
                    _("Tin bài đã đăng theo loại"),
                    [_("Loại tin"), _("Số tin bài")],
                    [
                        [label, n]
                        for label, n in sorted(items_by_kind.items(), key=lambda kv: -kv[1])
                    ],
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
                    [[r.label, r.items, r.reach, r.engagement, r.followers] for r in by_channel],
                ),
                Table(
                    "by_period",
                    _("Theo thời gian"),
                    [_("Kỳ"), _("Tin bài"), _("Lượt tiếp cận"), _("Lượt tương tác")],
                    [[b.label, b.items, b.reach, b.engagement] for b in ordered],
                ),
            ],
            charts=[
                Chart(
                    "reach",
                    _("Lượt tiếp cận và lượt tương tác"),
                    "line",
                    labels,
                    {
                        _("Lượt tiếp cận"): [float(b.reach) for b in ordered],
                        _("Lượt tương tác"): [float(b.engagement) for b in ordered],
                    },
                ),
                Chart(
                    "items",
                    _("Tin bài đã đăng theo loại"),
                    "bar",
                    labels,
                    {k: [float(n) for n in v] for k, v in kinds_by_bucket.items()},
                ),
            ],
        )
