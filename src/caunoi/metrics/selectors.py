"""Roll-ups of a unit's whole subtree over days, months, quarters or years: items published
(by kind and by channel), reach, views, engagement, followers. Every figure of a commune counts
in its province."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.channels.models import Channel, ChannelKind
from caunoi.channels.selectors import delivery_figures
from caunoi.core.models import Unit
from caunoi.metrics.models import ChannelFigure, ImportBatch, InsightsPull, Metric, Post
from caunoi.publishing.models import ArticleKind
from caunoi.publishing.selectors import published_counts

GRAINS = ("day", "month", "quarter", "year")
FLOWS = (
    Metric.REACH,
    Metric.VIEWS,
    Metric.REACTIONS,
    Metric.COMMENTS,
    Metric.SHARES,
    Metric.CLICKS,
    Metric.ENGAGEMENT,
)


def bucket_of(day: date, grain: str) -> date:
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if grain == "year":
        return date(day.year, 1, 1)
    return day


def _next(start: date, grain: str) -> date:
    if grain == "day":
        return start + timedelta(days=1)
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def bucket_label(start: date, grain: str) -> str:
    if grain == "day":
        return start.strftime("%d/%m")
    if grain == "month":
        return start.strftime("%m/%Y")
    if grain == "quarter":
        return _("Q%(q)d/%(y)d") % {"q": (start.month - 1) // 3 + 1, "y": start.year}
    return str(start.year)


def buckets_between(start: date, end: date, grain: str) -> list[date]:
    found, current = [], bucket_of(start, grain)
    while current <= end:
        found.append(current)
        current = _next(current, grain)
    return found


@dataclass
class Bucket:
    start: date
    label: str
    items: int = 0
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def reach(self) -> int:
        return self.figures.get(Metric.REACH, 0)

    @property
    def engagement(self) -> int:
        return self.figures.get(Metric.ENGAGEMENT, 0)

    @property
    def views(self) -> int:
        return self.figures.get(Metric.VIEWS, 0)


@dataclass
class ChannelKindRow:
    label: str
    items: int = 0
    reach: int = 0
    engagement: int = 0
    followers: int = 0


@dataclass
class ChildRow:
    unit: Unit | None  # None: channels of the unit itself
    reach: int = 0
    engagement: int = 0


@dataclass
class RollUp:
    unit: Unit
    start: date
    end: date
    grain: str
    buckets: list[Bucket]
    totals: dict[str, int]
    followers: int
    items: int
    items_by_kind: list[tuple[str, int]]
    by_channel: list[ChannelKindRow]
    by_child: list[ChildRow]
    kinds_by_bucket: dict[str, list[int]]

    def total(self, metric: str) -> int:
        return self.totals.get(metric, 0)


def followers_at(*, unit: Unit, day: date) -> dict[str, int]:
    """Followers of the subtree's channels on `day` (each channel's latest figure), by kind."""
    latest = ChannelFigure.objects.filter(
        channel=OuterRef("pk"), metric=Metric.FOLLOWERS, day__lte=day
    ).order_by("-day")
    rows = (
        Channel.objects.filter(unit__path__startswith=unit.path)
        .annotate(latest=Subquery(latest.values("value")[:1]))
        .values_list("kind", "latest")
    )
    found: dict[str, int] = defaultdict(int)
    for kind, value in rows:
        if value is not None:
            found[kind] += value
    return dict(found)


def rollup(*, unit: Unit, start: date, end: date, grain: str = "month") -> RollUp:
    """Reach, views and engagement come from the reports roll-up counters
    ("metrics.<channel kind>.<metric>", kept current by services.figures_write in the same
    transaction as the figures, and checked against them by `caunoi reports check`): a
    province's year is one row per day and counter, not every channel's figures (1M rows
    read in 5 s at 1M figures). Articles, deliveries and followers are read as they are."""
    from caunoi.metrics.sections import PREFIX, _split
    from caunoi.reports import counters
    from caunoi.reports.sections import Period

    if grain not in GRAINS:
        raise ValueError(grain)
    period = Period(start, end)
    starts = buckets_between(start, end, grain)
    buckets = {s: Bucket(s, bucket_label(s, grain)) for s in starts}
    totals: dict[str, int] = defaultdict(int)
    per_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, days in counters.by_day(unit=unit, period=period, prefixes=(PREFIX,)).items():
        kind, metric = _split(key)
        if metric not in FLOWS:
            continue
        for day, value in days.items():
            bucket = buckets.get(bucket_of(day, grain))
            if bucket is not None:
                bucket.figures[metric] = bucket.figures.get(metric, 0) + value
            totals[metric] += value
            per_kind[kind][metric] += value

    kinds_by_bucket: dict[str, list[int]] = {}
    by_kind: dict[str, int] = defaultdict(int)
    index = {s: i for i, s in enumerate(starts)}
    for counted in published_counts(unit=unit, start=start, end=end, grain=grain):
        label = str(ArticleKind(counted["kind"]).label)
        series = kinds_by_bucket.setdefault(label, [0] * len(starts))
        position = index.get(bucket_of(counted["bucket"], grain))
        if position is not None:
            series[position] += counted["n"]
            buckets[starts[position]].items += counted["n"]
        by_kind[label] += counted["n"]
    items = sum(by_kind.values())

    followers = followers_at(unit=unit, day=end)
    return RollUp(
        unit=unit,
        start=start,
        end=end,
        grain=grain,
        buckets=[buckets[s] for s in starts],
        totals=dict(totals),
        followers=sum(followers.values()),
        items=items,
        items_by_kind=sorted(by_kind.items(), key=lambda kv: -kv[1]),
        by_channel=by_channel_kind(unit, per_kind, start, end, items, followers),
        by_child=_by_child(unit, period, totals),
        kinds_by_bucket=kinds_by_bucket,
    )


def by_channel_kind(
    unit: Unit,
    per_kind: dict[str, dict[str, int]],
    start: date,
    end: date,
    articles: int,
    followers: dict[str, int],
) -> list[ChannelKindRow]:
    rows: dict[str, ChannelKindRow] = {}

    def row(kind: str) -> ChannelKindRow:
        return rows.setdefault(kind, ChannelKindRow(str(ChannelKind(kind).label)))

    # The portal carries every published article; other channels count what caunoi delivered
    # to them, plus posts known from imports or pulls that carry no caunoi article (posted by
    # hand on the platform).
    row(ChannelKind.PORTAL).items = articles
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    for kind, counts in delivery_figures(unit=unit, since=since, until=until).items():
        if kind != ChannelKind.PORTAL:
            row(kind).items += counts.get("sent", 0)
    posts = (
        Post.objects.filter(
            channel__unit__path__startswith=unit.path,
            article__isnull=True,
            published_at__gte=since,
            published_at__lt=until,
        )
        .values("channel__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for found in posts:
        row(found["channel__kind"]).items += found["n"]
    for kind, figures in per_kind.items():
        target = row(kind)
        target.reach += figures.get(Metric.REACH, 0)
        target.engagement += figures.get(Metric.ENGAGEMENT, 0)
    for kind, value in followers.items():
        row(kind).followers = value
    order = list(ChannelKind.values)
    return [rows[k] for k in sorted(rows, key=order.index)]


def _by_child(unit: Unit, period: Any, totals: dict[str, int]) -> list[ChildRow]:
    """Reach and engagement of each unit directly below (its whole subtree, from its own
    counters), and of the unit's own channels (the rest of the unit's total)."""
    from caunoi.metrics.sections import PREFIX, _split
    from caunoi.reports import counters

    children = list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1))
    found = counters.by_key(units=children, period=period, prefixes=(PREFIX,))
    result = []
    for child in children:
        row = ChildRow(child)
        for key, value in found[child.pk].items():
            metric = _split(key)[1]
            if metric in (Metric.REACH, Metric.ENGAGEMENT):
                setattr(row, metric, getattr(row, metric) + value)
        if row.reach or row.engagement:
            result.append(row)
    own = ChildRow(
        None,
        reach=totals.get(Metric.REACH, 0) - sum(r.reach for r in result),
        engagement=totals.get(Metric.ENGAGEMENT, 0) - sum(r.engagement for r in result),
    )
    if own.reach or own.engagement:
        result.append(own)
    return sorted(result, key=lambda r: -r.reach)


def recent_imports(*, unit: Unit, limit: int = 10) -> list[ImportBatch]:
    return list(
        ImportBatch.objects.filter(channel__unit__path__startswith=unit.path, state="imported")
        .select_related("channel", "by")
        .order_by("-imported_at")[:limit]
    )


def recent_pulls(*, unit: Unit, limit: int = 10) -> list[InsightsPull]:
    return list(
        InsightsPull.objects.filter(channel__unit__path__startswith=unit.path)
        .select_related("channel")
        .order_by("-started_at")[:limit]
    )


def top_posts(*, unit: Unit, start: date, end: date, limit: int = 10) -> list[Post]:
    """The subtree's posts of the period with the most reach (their own lifetime figures)."""
    return list(
        Post.objects.filter(
            channel__unit__path__startswith=unit.path, figures__day__range=(start, end)
        )
        .annotate(
            reach=Sum("figures__value", filter=Q(figures__metric=Metric.REACH)),
            engagement=Sum("figures__value", filter=Q(figures__metric=Metric.ENGAGEMENT)),
        )
        .filter(reach__isnull=False)
        .select_related("channel", "channel__unit")
        .order_by("-reach", "-id")[:limit]
    )


def importable_channels(*, units: QuerySet[Unit], within: Unit) -> QuerySet[Channel]:
    """Channels that can carry figures, of the units given, inside `within`'s subtree."""
    return (
        Channel.objects.filter(unit__in=units, unit__path__startswith=within.path)
        .exclude(kind__in=(ChannelKind.FEED, ChannelKind.WEBHOOK))
        .select_related("unit")
        .order_by("unit__path", "kind", "name")
    )
