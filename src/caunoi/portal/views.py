"""The public portal. Anonymous pages set no cookie and say how long they may be cached."""

from __future__ import annotations

import logging
import uuid

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from caunoi.core import selectors
from caunoi.core.menus import portal_menu
from caunoi.core.middleware import language_redirect
from caunoi.core.models import Unit
from caunoi.publishing.models import ArticleKind
from caunoi.publishing.search import search_articles
from caunoi.publishing.selectors import (
    article_url,
    published_article,
    published_in,
    with_urls,
)

logger = logging.getLogger(__name__)
PUBLIC_MAX_AGE = 300
LATEST = 5
NEWS_PAGE = 20
WARNING_KINDS = [ArticleKind.SCAM_WARNING, ArticleKind.CLARIFICATION]


def _public(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def index(request: HttpRequest) -> HttpResponse:
    roots = selectors.child_list(None)
    if len(roots) == 1:
        return redirect(roots[0].get_portal_url())
    return _public(request, render(request, "portal/index.html", {"kids": roots}))


def _unit_at(slugs: str) -> Unit:
    unit = selectors.unit_by_slugs(slugs.split("/"))
    if unit is None:
        raise Http404
    return unit


def unit_home(request: HttpRequest, slugs: str) -> HttpResponse:
    unit = _unit_at(slugs)
    return _public(
        request,
        render(
            request,
            "portal/unit.html",
            {
                "shown": unit,
                "ancestors": list(Unit.objects.get_ancestors(unit)),
                "kids": selectors.child_list(unit),
                "latest": with_urls(published_in(unit=unit)[:LATEST]),
                "links": portal_menu(unit),
            },
        ),
    )


def _news_page(request: HttpRequest, slugs: str, *, warnings_only: bool) -> HttpResponse:
    unit = _unit_at(slugs)
    articles = published_in(unit=unit)
    if warnings_only:
        articles = articles.filter(kind__in=WARNING_KINDS)
    page = Paginator(articles, NEWS_PAGE).get_page(request.GET.get("page"))
    page.object_list = with_urls(page.object_list)
    return _public(
        request,
        render(
            request,
            "portal/news.html",
            {
                "shown": unit,
                "ancestors": list(Unit.objects.get_ancestors(unit)),
                "page": page,
                "warnings_only": warnings_only,
            },
        ),
    )


def unit_news(request: HttpRequest, slugs: str) -> HttpResponse:
    return _news_page(request, slugs, warnings_only=False)


def unit_warnings(request: HttpRequest, slugs: str) -> HttpResponse:
    """Scam warnings and official clarifications: what a citizen must not miss."""
    return _news_page(request, slugs, warnings_only=True)


def unit_search(request: HttpRequest, slugs: str) -> HttpResponse:
    unit = _unit_at(slugs)
    query = request.GET.get("q", "").strip()[:200]
    hits = search_articles(unit=unit, text=query) if query else []
    return _public(
        request,
        render(
            request,
            "portal/search.html",
            {
                "shown": unit,
                "ancestors": list(Unit.objects.get_ancestors(unit)),
                "query": query,
                "hits": hits,
            },
        ),
    )


def article(request: HttpRequest, slugs: str, pk: int, slug: str) -> HttpResponse:
    found = published_article(pk=int(pk))
    if found is None:
        raise Http404
    canonical = article_url(found)
    if request.path != canonical:
        return _public(request, HttpResponsePermanentRedirect(canonical))
    return _public(
        request,
        render(
            request,
            "portal/article.html",
            {
                "article": found,
                "shown": found.unit,
                "ancestors": list(Unit.objects.get_ancestors(found.unit)),
                "canonical": request.build_absolute_uri(canonical),
            },
        ),
    )


def language(request: HttpRequest, code: str) -> HttpResponse:
    """A visitor's explicit choice of language: the only cookie the portal ever sets."""
    return language_redirect(request, code, request.GET.get("next", "/"), "/")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/error.html", {"status": 403}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    error_id = uuid.uuid4().hex[:12]
    logger.error("server error %s on %s", error_id, request.path)
    return render(request, "portal/error.html", {"status": 500, "error_id": error_id}, status=500)
