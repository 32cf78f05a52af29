"""Demo deliveries: every published demo article on each active channel of its unit, with the
outcomes a real month brings (mostly sent at the first try, some after retries, a post a
platform refused, broadcasts logged by staff, one page whose token has expired), and
newsletter subscribers. Deterministic and idempotent."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from caunoi.channels.models import (
    Channel,
    ChannelHealth,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    ErrorKind,
    Subscriber,
)
from caunoi.core.models import Unit
from caunoi.core.notifications import absolute_url
from caunoi.publishing.models import Article, ArticleState
from caunoi.publishing.selectors import article_url

if TYPE_CHECKING:
    from caunoi.core.demo import DemoContext

D = DeliveryStatus
EXPIRED_PAGE = "Xã Điềm He — Thông tin"  # its page token expired a few days ago
BUSY_PAGE = "Thông tin Lạng Sơn"  # its latest post waits out a rate limit
EXPIRED_DAYS = 4
SUBSCRIBERS = 120
PROGRAMMES = ["Thời sự tối", "Bản tin sáng", "Chuyên mục Nông thôn mới", "Tạp chí cuối tuần"]
THROTTLED = "Facebook #32: (#32) Page request limit reached"
REFUSED = "Facebook #1609005: Error posting link — the link could not be read"


def load(context: DemoContext) -> None:
    province = context.province
    if Delivery.objects.filter(unit__path__startswith=province.path).exists():
        return
    context.say("adding channel deliveries and newsletter subscribers…")
    rng = context.rng
    now = timezone.now()
    expired = Channel.objects.filter(
        unit__path__startswith=province.path, name=EXPIRED_PAGE
    ).first()
    if expired is not None:
        Channel.objects.filter(pk=expired.pk).update(
            health=ChannelHealth.NEEDS_CREDENTIALS,
            flagged_at=now - timedelta(days=EXPIRED_DAYS),
            flag_reason="Facebook #190/463: Error validating access token: Session has expired",
        )
    channels: dict[int, list[Channel]] = {}
    for channel in Channel.objects.filter(unit__path__startswith=province.path, active=True):
        channels.setdefault(channel.unit_id, []).append(channel)
    articles = (
        Article.objects.filter(unit__path__startswith=province.path, state=ArticleState.PUBLISHED)
        .select_related("unit")
        .order_by("published_at", "pk")
    )
    rows: list[Delivery] = []
    for article in articles:
        at = article.published_at or now
        url = absolute_url(article_url(article))
        for channel in sorted(channels.get(article.unit_id, []), key=lambda c: c.pk):
            rows.append(_delivery(channel, article, at, url, now, expired, rng.random()))
    busy = [r for r in rows if r.channel.name == BUSY_PAGE and r.status == D.SENT]
    if busy:
        last = busy[-1]
        last.status, last.attempts, last.sent_at = D.RETRYING, 2, None
        last.external_id = last.external_url = ""
        last.error_kind, last.last_error = ErrorKind.RETRY, THROTTLED
        last.next_try_at = now + timedelta(minutes=20)
    Delivery.objects.bulk_create(rows, batch_size=500)
    _subscribers(province, rng, now)


def _delivery(
    channel: Channel,
    article: Article,
    at: datetime,
    url: str,
    now: datetime,
    expired: Channel | None,
    luck: float,
) -> Delivery:
    d = Delivery(
        channel=channel,
        article=article,
        unit=channel.unit,
        created_at=at,
        first_tried_at=at,
        attempts=1,
    )
    kind = channel.kind
    if kind in {ChannelKind.PORTAL, ChannelKind.FEED}:
        d.status, d.sent_at, d.external_url = D.SENT, at, url
    elif kind == ChannelKind.YOUTUBE:
        d.status, d.sent_at, d.external_url = D.SENT, at, channel.url or url
    elif kind == ChannelKind.BROADCAST:
        if now - at < timedelta(days=2):
            d.status, d.attempts = D.AWAITING_ENTRY, 1
        else:
            d.status, d.sent_at = D.SENT, at + timedelta(hours=6)
            d.programme = PROGRAMMES[int(luck * 100) % len(PROGRAMMES)]
            d.aired_at = (at + timedelta(hours=6)).replace(minute=0, second=0, microsecond=0)
    elif (
        expired is not None and channel.pk == expired.pk and now - at < timedelta(days=EXPIRED_DAYS)
    ):
        d.status, d.error_kind = D.NEEDS_CREDENTIALS, ErrorKind.CREDENTIALS
        d.last_error = expired.flag_reason or "Facebook #190"
    elif luck < 0.80:
        d.status, d.sent_at = D.SENT, at + timedelta(seconds=20)
        d.external_id = f"{channel.pk}_{article.pk}"
    elif luck < 0.96:  # throttled, then sent on a later try
        d.attempts = 2 + int(luck * 100) % 2
        d.status, d.sent_at = D.SENT, at + timedelta(minutes=2**d.attempts)
        d.external_id = f"{channel.pk}_{article.pk}"
    elif luck < 0.985 and now - at < timedelta(hours=6):
        d.status, d.error_kind, d.last_error = D.RETRYING, ErrorKind.RETRY, THROTTLED
        d.next_try_at = now + timedelta(minutes=30)
    elif luck < 0.99:
        d.status, d.error_kind, d.last_error = D.REJECTED, ErrorKind.REJECTED, REFUSED
    else:
        d.attempts, d.status = 3, D.SENT
        d.sent_at = at + timedelta(minutes=7)
        d.external_id = f"{channel.pk}_{article.pk}"
    if kind in {ChannelKind.FACEBOOK} and d.external_id:
        d.external_url = f"https://www.facebook.com/{d.external_id}"
    return d


def _subscribers(province: Unit, rng: random.Random, now: datetime) -> None:
    newsletters = Channel.objects.filter(
        unit__path__startswith=province.path, kind=ChannelKind.EMAIL
    )
    rows = []
    for channel in newsletters:
        for n in range(1, SUBSCRIBERS + 1):
            if n % 12:
                joined = now - timedelta(days=rng.randint(1, 300))
                confirmed: datetime | None = joined + timedelta(minutes=rng.randint(2, 600))
            else:  # asked today, not confirmed yet
                joined, confirmed = now - timedelta(hours=rng.randint(1, 20)), None
            rows.append(
                Subscriber(
                    channel=channel,
                    email=f"ban.doc.{n:03d}@example.invalid",
                    created_at=joined,
                    confirmed_at=confirmed,
                )
            )
    Subscriber.objects.bulk_create(rows, ignore_conflicts=True)
