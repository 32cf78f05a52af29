"""Public press pages: a unit's press page (releases and upcoming briefings, never anyone's
contact details) and its iCalendar feed of briefings."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from caunoi.core import selectors as core_selectors
from caunoi.core.models import Unit
from caunoi.portal.views import _public
from caunoi.press import selectors
from caunoi.publishing.selectors import with_urls


def _unit_at(slugs: str) -> Unit:
    unit = core_selectors.unit_by_slugs(slugs.split("/"))
    if unit is None:
        raise Http404
    return unit


def press_page(request: HttpRequest, slugs: str) -> HttpResponse:
    unit = _unit_at(slugs)
    page = Paginator(selectors.published_releases(unit=unit), 20).get_page(request.GET.get("page"))
    page.object_list = with_urls(page.object_list)
    return _public(
        request,
        render(
            request,
            "press/public.html",
            {
                "shown": unit,
                "ancestors": list(Unit.objects.get_ancestors(unit)),
                "page": page,
                "upcoming": selectors.upcoming(unit=unit),
                "feed_url": f"{unit.get_portal_url()}giao-ban.ics",
            },
        ),
    )


def briefing_feed(request: HttpRequest, slugs: str) -> HttpResponse:
    from caunoi.press import ics  # icalendar is loaded when a feed is asked for, not at start

    unit = _unit_at(slugs)
    data = ics.feed(selectors.feed_briefings(unit=unit), name=f"Giao ban báo chí — {unit.name}")
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="giao-ban.ics"'
    return _public(request, response)
