"""Demo figures: a year of daily reach and engagement for every Facebook page and Zalo OA of the
demo province, sized from DOMAIN.md (Đình Lập's page ~3,200 followers; its units together
reach ~32,000 people a quarter), and one post per demo article on its unit's page.

Deterministic (the demo's seeded random), idempotent (skipped when demo figures exist), and
written with bulk_create so it takes seconds."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from caunoi.channels.models import Channel, ChannelKind
from caunoi.metrics.models import ChannelFigure, Metric, Post, PostFigure, Source
from caunoi.publishing.selectors import published_in

if TYPE_CHECKING:
    from caunoi.core.demo import DemoContext

DAYS = 365
REACH_PER_FOLLOWER = 0.08  # a page reaches ~8% of its followers a day: Đình Lập ≈ 32,000/quarter
ENGAGEMENT_RATE = 0.045
# Raw names as Facebook's Page data export and Zalo's statistics name them.
RAW: dict[str, dict[str, str]] = {
    ChannelKind.FACEBOOK: {
        Metric.REACH: "page_impressions_unique",
        Metric.REACTIONS: "page_actions_post_reactions_total",
        Metric.COMMENTS: "comments",
        Metric.SHARES: "shares",
        Metric.ENGAGEMENT: "page_post_engagements",
        Metric.FOLLOWERS: "page_follows",
    },
    ChannelKind.ZALO: {
        Metric.REACH: "Lượt tiếp cận",
        Metric.REACTIONS: "Lượt thích",
        Metric.COMMENTS: "Lượt bình luận",
        Metric.SHARES: "Lượt chia sẻ",
        Metric.ENGAGEMENT: "Lượt tương tác",
        Metric.FOLLOWERS: "Tổng người quan tâm",
    },
}


def _channel_year(channel: Channel, days: list[date], rng: random.Random) -> list[ChannelFigure]:
    raw = RAW[channel.kind]
    followers_now = channel.followers or 500
    start = int(followers_now * 0.85)
    now = timezone.now()
    rows = []

    def figure(day: date, metric: str, value: int) -> ChannelFigure:
        return ChannelFigure(
            channel=channel,
            day=day,
            metric=metric,
            raw_name=raw[metric],
            value=value,
            source=Source.DEMO,
            updated_at=now,
        )

    for index, day in enumerate(days):
        followers = start + (followers_now - start) * index // max(1, len(days) - 1)
        weekday = 0.7 if day.weekday() >= 5 else 1.0
        spike = 3.0 if rng.random() < 0.03 else 1.0  # a scam warning or a storm goes round
        reach = int(followers * REACH_PER_FOLLOWER * weekday * spike * rng.uniform(0.6, 1.4))
        engaged = int(reach * ENGAGEMENT_RATE * rng.uniform(0.5, 1.5))
        comments = engaged * 15 // 100
        shares = engaged * 15 // 100
        rows += [
            figure(day, Metric.REACH, reach),
            figure(day, Metric.REACTIONS, engaged - comments - shares),
            figure(day, Metric.COMMENTS, comments),
            figure(day, Metric.SHARES, shares),
            figure(day, Metric.ENGAGEMENT, engaged),
        ]
        if day.weekday() == 0 or index == len(days) - 1:
            rows.append(figure(day, Metric.FOLLOWERS, followers))
    return rows


def _posts(context: DemoContext, pages: dict[int, Channel]) -> None:
    rng = context.rng
    now = timezone.now()
    posts = []
    for article in published_in(unit=context.province).filter(unit_id__in=pages):
        assert article.published_at is not None
        posts.append(
            Post(
                channel=pages[article.unit_id],
                external_id=f"demo_{article.pk}",
                article=article,
                title=article.title[:300],
                published_at=article.published_at + timedelta(minutes=rng.randint(1, 20)),
            )
        )
    Post.objects.bulk_create(posts, batch_size=2000)
    figures = []
    demo_posts = Post.objects.filter(
        channel__in=list(pages.values()), external_id__startswith="demo_"
    ).select_related("channel")
    for post in demo_posts:
        channel = post.channel
        assert post.published_at is not None
        day = timezone.localtime(post.published_at).date()
        reach = int((channel.followers or 500) * rng.uniform(0.05, 0.4))
        engaged = int(reach * ENGAGEMENT_RATE * rng.uniform(0.5, 2.0))
        for metric, value in (
            (Metric.REACH, reach),
            (Metric.REACTIONS, engaged * 7 // 10),
            (Metric.COMMENTS, engaged * 15 // 100),
            (Metric.SHARES, engaged * 15 // 100),
            (Metric.ENGAGEMENT, engaged),
        ):
            figures.append(
                PostFigure(
                    post=post,
                    day=day,
                    metric=metric,
                    raw_name=f"post:{metric}",
                    value=value,
                    source=Source.DEMO,
                    updated_at=now,
                )
            )
    PostFigure.objects.bulk_create(figures, batch_size=5000)


def load(context: DemoContext) -> None:
    channels = list(
        Channel.objects.filter(
            unit__path__startswith=context.province.path,
            kind__in=(ChannelKind.FACEBOOK, ChannelKind.ZALO),
        ).order_by("pk")
    )
    if ChannelFigure.objects.filter(channel__in=channels, source=Source.DEMO).exists():
        return
    context.say(f"adding a year of daily reach and engagement for {len(channels)} channels…")
    rng = random.Random(context.rng.random())
    yesterday = timezone.localdate() - timedelta(days=1)
    days = [yesterday - timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    rows: list[ChannelFigure] = []
    for channel in channels:
        rows += _channel_year(channel, days, rng)
        if len(rows) > 50_000:
            ChannelFigure.objects.bulk_create(rows, batch_size=5000)
            rows = []
    ChannelFigure.objects.bulk_create(rows, batch_size=5000)
    pages: dict[int, Channel] = {}
    for channel in channels:
        if channel.kind == ChannelKind.FACEBOOK:
            pages.setdefault(channel.unit_id, channel)
    _posts(context, pages)
