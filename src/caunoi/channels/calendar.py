"""The publishing calendar: what the unit's subtree has scheduled and published, by week or
by month, in the local time zone."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from caunoi.channels import selectors
from caunoi.staff.views import _context, _unit

DAY_LIMIT = 6  # a month's day shows this many; the week view shows them all


@dataclass(frozen=True)
class Day:
    day: date
    items: list[object]
    more: int  # items not shown in the month view
    inside: bool  # in the month being shown


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return timezone.localdate()


def _bounds(view: str, day: date) -> tuple[date, date, date, date]:
    """First and last+1 shown day, and the previous and next pages' anchor dates."""
    if view == "week":
        start = day - timedelta(days=day.weekday())
        return (
            start,
            start + timedelta(days=7),
            start - timedelta(days=7),
            start + timedelta(days=7),
        )
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    end = following + timedelta(days=(7 - following.weekday()) % 7)
    return start, end, previous, following


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    view = "week" if request.GET.get("view") == "week" else "month"
    anchor = _day(request.GET.get("date", ""))
    start, end, previous, following = _bounds(view, anchor)
    items = selectors.calendar_items(unit=unit, start=_moment(start), end=_moment(end))
    by_day: dict[date, list[object]] = defaultdict(list)
    for item in items:
        by_day[timezone.localtime(item.at).date()].append(item)  # type: ignore[attr-defined]
    days = [start + timedelta(days=n) for n in range((end - start).days)]
    shown = DAY_LIMIT if view == "month" else None
    weeks = [
        [
            Day(
                d,
                by_day.get(d, [])[:shown],
                max(len(by_day.get(d, [])) - (shown or 0), 0) if shown else 0,
                d.month == anchor.month or view == "week",
            )
            for d in days[i : i + 7]
        ]
        for i in range(0, len(days), 7)
    ]
    return render(
        request,
        "channels/calendar.html",
        _context(
            request,
            unit,
            view=view,
            anchor=anchor,
            weeks=weeks,
            previous=previous,
            following=following,
            today=timezone.localdate(),
            total=len(items),
        ),
    )
