"""sitemap.xml: an index, one map of every unit page, and maps of published articles in pages
of PAGE, each built with a fixed number of queries however large the office."""

from __future__ import annotations

import math

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from caunoi.core.models import Unit
from caunoi.core.selectors import prime_portal_urls
from caunoi.publishing.models import Article, ArticleState
from caunoi.publishing.selectors import with_urls

PAGE = 5000


def _xml(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    response = render(request, template, context, content_type="application/xml; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def index(request: HttpRequest) -> HttpResponse:
    pages = math.ceil(Article.objects.filter(state=ArticleState.PUBLISHED).count() / PAGE)
    maps = [request.build_absolute_uri("/sitemap-units.xml")] + [
        request.build_absolute_uri(f"/sitemap-articles-{n}.xml") for n in range(1, pages + 1)
    ]
    return _xml(request, "portal/sitemap_index.xml", {"maps": maps})


def units(request: HttpRequest) -> HttpResponse:
    every = list(Unit.objects.order_by("path"))
    prime_portal_urls(every)
    entries = [(request.build_absolute_uri(u.get_portal_url()), None) for u in every]
    return _xml(request, "portal/sitemap.xml", {"entries": entries})


def articles(request: HttpRequest, page: int) -> HttpResponse:
    page = int(page)
    start = (page - 1) * PAGE
    chunk = list(
        Article.objects.filter(state=ArticleState.PUBLISHED)
        .select_related("unit")
        .order_by("id")[start : start + PAGE]
    )
    if page < 1 or (not chunk and page != 1):
        raise Http404
    entries = [
        (request.build_absolute_uri(a.url), a.updated_at)  # type: ignore[attr-defined]
        for a in with_urls(chunk)
    ]
    return _xml(request, "portal/sitemap.xml", {"entries": entries})
