"""Reads for the channel screens, and for other apps (reports) that count deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet

from caunoi.channels.models import Channel, ChannelHealth, Delivery, DeliveryStatus
from caunoi.core.models import Unit
from caunoi.publishing.models import Article, ArticleState

D = DeliveryStatus
FAILED = [D.RETRYING, D.NEEDS_CREDENTIALS, D.REJECTED, D.DISCONNECTED, D.FAILED]


def channel_counts(*, unit: Unit) -> dict[str, int]:
    """Active channels of the unit's whole subtree, by kind."""
    rows = (
        Channel.objects.filter(unit__path__startswith=unit.path, active=True)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["kind"]: row["n"] for row in rows}


def channels_of(*, unit: Unit) -> QuerySet[Channel]:
    return Channel.objects.filter(unit=unit).order_by("kind", "name", "pk")


def deliveries_in(
    *,
    unit: Unit,
    status: str = "",
    kind: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Delivery]:
    """Deliveries on the channels of the unit's subtree, newest first. `since`/`until` bound
    when the delivery was made (the article's publication or re-share)."""
    found = Delivery.objects.filter(unit__path__startswith=unit.path)
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(channel__kind=kind)
    if since is not None:
        found = found.filter(created_at__gte=since)
    if until is not None:
        found = found.filter(created_at__lt=until)
    return found.select_related("channel", "article", "unit").order_by("-created_at", "-id")


def delivery_figures(*, unit: Unit, since: datetime, until: datetime) -> dict[str, dict[str, int]]:
    """Per channel kind: deliveries made in the period, how many reached the channel, how many
    are still failing. For reports: {"facebook": {"total": 40, "sent": 38, "failing": 2}}."""
    rows = (
        Delivery.objects.filter(
            unit__path__startswith=unit.path, created_at__gte=since, created_at__lt=until
        )
        .values("channel__kind")
        .annotate(
            total=Count("id"),
            sent=Count("id", filter=Q(status=D.SENT)),
            failing=Count("id", filter=Q(status__in=FAILED)),
        )
        .order_by()
    )
    return {
        row["channel__kind"]: {
            "total": row["total"],
            "sent": row["sent"],
            "failing": row["failing"],
        }
        for row in rows
    }


def status_counts(*, unit: Unit) -> dict[str, int]:
    rows = (
        Delivery.objects.filter(unit__path__startswith=unit.path)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Health:
    channel: Channel
    last_success: datetime | None
    deliveries: int
    failing: int

    @property
    def failure_rate(self) -> int:
        """Percent of the period's deliveries not (yet) on the channel because of an error."""
        return round(100 * self.failing / self.deliveries) if self.deliveries else 0

    @property
    def flagged(self) -> bool:
        return self.channel.health != ChannelHealth.OK


def channel_health(*, unit: Unit, since: datetime) -> list[Health]:
    """Every channel of the unit's subtree with its last success and its failure rate since
    `since`; flagged channels first. One query."""
    channels = (
        Channel.objects.filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .annotate(
            last_success=Max("deliveries__sent_at"),
            recent=Count("deliveries", filter=Q(deliveries__created_at__gte=since)),
            failing=Count(
                "deliveries",
                filter=Q(deliveries__created_at__gte=since, deliveries__status__in=FAILED),
            ),
        )
        .order_by("unit__path", "kind", "name")
    )
    rows = [Health(c, c.last_success, c.recent, c.failing) for c in channels]
    return sorted(rows, key=lambda h: not h.flagged)


def article_deliveries(*, article: Article) -> list[Delivery]:
    return list(
        Delivery.objects.filter(article=article)
        .select_related("channel", "unit")
        .order_by("unit__path", "channel__kind", "pk")
    )


def calendar_items(*, unit: Unit, start: datetime, end: datetime) -> list[Article]:
    """Articles of the subtree scheduled or published between start and end, each with `at`."""
    found = (
        Article.objects.filter(unit__path__startswith=unit.path)
        .filter(
            Q(state=ArticleState.SCHEDULED, scheduled_for__gte=start, scheduled_for__lt=end)
            | Q(state=ArticleState.PUBLISHED, published_at__gte=start, published_at__lt=end)
        )
        .select_related("unit")
    )
    items = list(found)
    for item in items:
        item.at = item.scheduled_for if item.state == ArticleState.SCHEDULED else item.published_at  # type: ignore[attr-defined]
    return sorted(items, key=lambda a: (a.at, a.pk))  # type: ignore[attr-defined]
