"""Pulling a connected Facebook page's insights into daily figures.

Page figures arrive per day; a post's figures are lifetime totals, kept on the day it was
published and replaced by each later pull. Metrics Graph refuses (error 100: removed or
renamed) are dropped and recorded on the pull, and not asked for again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from caunoi.channels.models import Channel
from caunoi.core import audit
from caunoi.metrics.graph import GraphClient, GraphError, InsightValues
from caunoi.metrics.models import ENGAGEMENT_PARTS, InsightsPull, Metric
from caunoi.metrics.parsing import DERIVED_ENGAGEMENT
from caunoi.metrics.services import FigureIn, PostIn, figures_write

# (Graph metric, our metric), most preferred first: the first one answered wins.
PAGE_METRICS: list[tuple[str, str]] = [
    ("page_impressions_unique", Metric.REACH),
    ("page_media_view", Metric.VIEWS),
    ("page_impressions", Metric.VIEWS),
    ("page_post_engagements", Metric.ENGAGEMENT),
    ("page_actions_post_reactions_total", Metric.REACTIONS),
    ("page_follows", Metric.FOLLOWERS),
    ("page_fans", Metric.FOLLOWERS),
]
POST_METRICS: list[tuple[str, str]] = [
    ("post_impressions_unique", Metric.REACH),
    ("post_media_view", Metric.VIEWS),
    ("post_impressions", Metric.VIEWS),
    ("post_reactions_by_type_total", Metric.REACTIONS),
    ("post_clicks", Metric.CLICKS),
]
FIRST_PULL_DAYS = 90  # Graph answers at most 90 days of daily insights at once
LATER_PULL_DAYS = 7  # figures settle over a few days; overlapping days are replaced


def _dropped_before(channel: Channel) -> set[str]:
    names: set[str] = set()
    for dropped in InsightsPull.objects.filter(channel=channel).values_list("dropped", flat=True):
        names.update(dropped or [])
    return names


def _pick(
    values: InsightValues, wanted: list[tuple[str, str]]
) -> dict[str, tuple[str, list[tuple[date | None, int]]]]:
    """Our metric → (Graph name, values), from the most preferred metric that answered."""
    chosen: dict[str, tuple[str, list[tuple[date | None, int]]]] = {}
    for raw, metric in wanted:
        if metric not in chosen and values.values.get(raw):
            chosen[metric] = (raw, values.values[raw])
    return chosen


def _with_engagement(figures: list[FigureIn]) -> list[FigureIn]:
    keyed: dict[tuple[date, str | None], int] = {}
    given = {(f.day, f.post) for f in figures if f.metric == Metric.ENGAGEMENT}
    for f in figures:
        if f.metric in ENGAGEMENT_PARTS:
            keyed[(f.day, f.post)] = keyed.get((f.day, f.post), 0) + f.value
    derived = [
        FigureIn(day, Metric.ENGAGEMENT, DERIVED_ENGAGEMENT, total, post)
        for (day, post), total in keyed.items()
        if (day, post) not in given
    ]
    return figures + derived


def _local_day(created: str) -> date:
    moment = datetime.strptime(created[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    return timezone.localtime(moment).date()


def _flag_credentials(channel: Channel, reason: str) -> None:
    """The same flag a failed delivery raises: the unit's admins are told to renew the token."""
    from caunoi.channels.deliveries import channel_flag
    from caunoi.channels.models import ChannelHealth

    with transaction.atomic():
        channel_flag(channel=channel, health=ChannelHealth.NEEDS_CREDENTIALS, reason=reason)


def insights_pull(
    *,
    channel: Channel,
    page_id: str,
    token: str,
    base: str | None = None,
    today: date | None = None,
) -> InsightsPull:
    """Pull the page's daily figures and its recent posts' figures; record what happened."""
    today = today or timezone.localdate()
    known = InsightsPull.objects.filter(channel=channel, ok=True).exists()
    since = today - timedelta(days=FIRST_PULL_DAYS if not known else LATER_PULL_DAYS)
    until = today - timedelta(days=1)
    run = InsightsPull.objects.create(channel=channel)
    skip = _dropped_before(channel)
    client = GraphClient(page_id=page_id, token=token, base=base)
    dropped: list[str] = []
    figures: list[FigureIn] = []
    posts: list[PostIn] = []
    try:
        page_values = client.insights(
            page_id,
            [raw for raw, _metric in PAGE_METRICS if raw not in skip],
            period="day",
            since=since,
            until=until,
        )
        dropped += page_values.dropped
        for metric, (raw, points) in _pick(page_values, PAGE_METRICS).items():
            for day, value in points:
                if day is not None and since <= day <= until:
                    figures.append(FigureIn(day, metric, raw, value))
        post_metrics = [raw for raw, _metric in POST_METRICS if raw not in skip]
        for item in client.posts(since=since, until=until):
            post_id = str(item.get("id", ""))
            created = str(item.get("created_time", ""))
            if not post_id or not created:
                continue
            day = _local_day(created)
            posts.append(
                PostIn(
                    post_id,
                    title=str(item.get("message") or "")[:300],
                    url=str(item.get("permalink_url") or "")[:500],
                    published_at=datetime.strptime(created[:19], "%Y-%m-%dT%H:%M:%S").replace(
                        tzinfo=UTC
                    ),
                )
            )
            values = client.insights(post_id, post_metrics, period="lifetime")
            new = [d for d in values.dropped if d not in dropped]
            dropped += new
            post_metrics = [m for m in post_metrics if m not in values.dropped]
            for metric, (raw, points) in _pick(values, POST_METRICS).items():
                figures.append(FigureIn(day, metric, raw, points[-1][1], post_id))
            comments = ((item.get("comments") or {}).get("summary") or {}).get("total_count")
            if isinstance(comments, int):
                figures.append(
                    FigureIn(day, Metric.COMMENTS, "comments.summary", comments, post_id)
                )
            shares = (item.get("shares") or {}).get("count")
            if isinstance(shares, int):
                figures.append(FigureIn(day, Metric.SHARES, "shares.count", shares, post_id))
    except GraphError as error:
        run.error = str(error)[:1000]
        if error.needs_new_token:
            _flag_credentials(channel, run.error)
    with transaction.atomic():
        written = 0
        if not run.error:
            written = figures_write(
                channel=channel, figures=_with_engagement(figures), posts=posts, source="api"
            )
        run.ok = not run.error
        run.figures = written
        run.dropped = dropped
        run.finished_at = timezone.now()
        run.save()
        audit.record(
            "caunoi.metrics.pulled" if run.ok else "caunoi.metrics.pull_failed",
            actor=None,
            unit=channel.unit,
            obj=run,
            changes={
                "figures": [None, written],
                "dropped": [None, dropped],
                "error": [None, run.error],
            },
        )
    return run
