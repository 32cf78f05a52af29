"""Reads for press: a unit's outlets (its own and its ancestors'), its calendar, releases,
coverage and the figures per period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from caunoi.core.models import Unit
from caunoi.press.models import (
    Attendance,
    Briefing,
    BriefingStatus,
    CoverageItem,
    Journalist,
    Outlet,
    ReleaseOutlet,
)
from caunoi.publishing.models import Article, ArticleKind, ArticleState

FEED_MOST = 500


def outlets_for(*, unit: Unit) -> QuerySet[Outlet]:
    """The outlets a unit may use: its own list and those of every unit above it."""
    paths = [str(unit.path)[: Unit.steplen * depth] for depth in range(1, unit.depth + 1)]
    return Outlet.objects.filter(unit__path__in=paths).select_related("unit").order_by("name")


def outlets_with_journalists(*, unit: Unit) -> QuerySet[Outlet]:
    return outlets_for(unit=unit).prefetch_related(
        Prefetch("journalists", queryset=Journalist.objects.order_by("name"))
    )


def outlet_addresses(outlet: Outlet) -> list[str]:
    """Where a press e-mail to the outlet goes: its newsroom and its journalists' work e-mails."""
    found = [outlet.email] if outlet.email else []
    found += [j.work_email for j in outlet.journalists.all() if j.work_email]
    return list(dict.fromkeys(a.lower() for a in found))


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=_zone())


def briefings_between(*, unit: Unit, start: date, end: date) -> QuerySet[Briefing]:
    """Briefings of the unit itself from `start` to `end` (both days included)."""
    return (
        Briefing.objects.filter(
            unit=unit,
            starts_at__gte=day_start(start),
            starts_at__lt=day_start(end) + _one_day(),
        )
        .select_related("series")
        .order_by("starts_at", "id")
    )


def _one_day() -> timedelta:
    return timedelta(days=1)


def upcoming(*, unit: Unit, limit: int = 10) -> list[Briefing]:
    """The next scheduled briefings of the unit's subtree."""
    return list(
        Briefing.objects.filter(
            unit__path__startswith=unit.path,
            starts_at__gte=timezone.now(),
            status=BriefingStatus.SCHEDULED,
        )
        .select_related("unit")
        .order_by("starts_at", "id")[:limit]
    )


def feed_briefings(*, unit: Unit) -> QuerySet[Briefing]:
    """What the public calendar feed carries: the briefings of the unit's subtree from a month
    back (at most FEED_MOST, the soonest first)."""
    since = timezone.now() - timedelta(days=31)
    return (
        Briefing.objects.filter(unit__path__startswith=unit.path, starts_at__gte=since)
        .select_related("unit")
        .order_by("starts_at", "id")[:FEED_MOST]
    )


def briefing_detail(*, pk: int) -> Briefing | None:
    found: Briefing | None = Briefing.objects.filter(pk=pk).select_related("unit", "series").first()
    return found


def attendance_of(briefing: Briefing) -> dict[int, int]:
    return dict(briefing.attendance.values_list("outlet_id", "people"))


def releases_in(*, unit: Unit) -> QuerySet[Article]:
    """Press releases of the unit's subtree for staff, newest first, with their outlet counts."""
    return (
        Article.objects.filter(unit__path__startswith=unit.path, kind=ArticleKind.PRESS_RELEASE)
        .select_related("unit")
        .order_by("-updated_at", "-id")
    )


def release_outlets(*, article: Article) -> QuerySet[ReleaseOutlet]:
    return (
        ReleaseOutlet.objects.filter(article=article)
        .select_related("outlet")
        .order_by("outlet__name")
    )


def published_releases(*, unit: Unit) -> QuerySet[Article]:
    return (
        Article.objects.filter(
            unit__path__startswith=unit.path,
            kind=ArticleKind.PRESS_RELEASE,
            state=ArticleState.PUBLISHED,
        )
        .select_related("unit")
        .order_by("-published_at", "-id")
    )


def coverage_in(*, unit: Unit) -> QuerySet[CoverageItem]:
    return CoverageItem.objects.filter(unit__path__startswith=unit.path).select_related(
        "outlet", "briefing", "release"
    )


@dataclass(frozen=True)
class PressFigures:
    briefings_held: int
    urgent_held: int
    outlets_attending: int  # distinct outlets at any briefing of the period
    attendances: int  # outlet-briefing pairs
    releases_sent: int
    coverage_items: int
    coverage_by_outlet: list[tuple[str, int]]


def figures(*, unit: Unit, start: date, end: date) -> PressFigures:
    """What the press did in the unit's subtree over the days from `start` to `end`."""
    low, high = day_start(start), day_start(end) + _one_day()
    held = Briefing.objects.filter(
        unit__path__startswith=unit.path,
        status=BriefingStatus.SCHEDULED,
        starts_at__gte=low,
        starts_at__lt=high,
    )
    counts = held.aggregate(n=Count("id"), urgent=Count("id", filter=Q(urgent=True)))
    present = Attendance.objects.filter(briefing__in=held)
    coverage = CoverageItem.objects.filter(
        unit__path__startswith=unit.path, published_on__gte=start, published_on__lte=end
    )
    by_outlet = (
        coverage.values("outlet__name").annotate(n=Count("id")).order_by("-n", "outlet__name")
    )
    return PressFigures(
        briefings_held=counts["n"],
        urgent_held=counts["urgent"],
        outlets_attending=present.values("outlet_id").distinct().count(),
        attendances=present.count(),
        releases_sent=ReleaseOutlet.objects.filter(
            article__unit__path__startswith=unit.path, sent_at__gte=low, sent_at__lt=high
        )
        .values("article_id")
        .distinct()
        .count(),
        coverage_items=coverage.count(),
        coverage_by_outlet=[(row["outlet__name"], row["n"]) for row in by_outlet],
    )


def people_attending(*, unit: Unit, start: date, end: date) -> int:
    low, high = day_start(start), day_start(end) + _one_day()
    total = Attendance.objects.filter(
        briefing__unit__path__startswith=unit.path,
        briefing__starts_at__gte=low,
        briefing__starts_at__lt=high,
    ).aggregate(n=Sum("people"))["n"]
    return int(total or 0)


def release_counts(*, articles: list[int]) -> dict[int, tuple[int, int]]:
    """For each press release: (outlets chosen, outlets sent to)."""
    rows = (
        ReleaseOutlet.objects.filter(article_id__in=articles)
        .values("article_id")
        .annotate(chosen=Count("id"), sent=Count("id", filter=Q(sent_at__isnull=False)))
        .order_by()
    )
    return {row["article_id"]: (row["chosen"], row["sent"]) for row in rows}
