"""The public portal. Anonymous pages set no cookie and say how long they may be cached."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from caunoi.core import selectors
from caunoi.core.menus import portal_menu
from caunoi.core.middleware import language_redirect
from caunoi.core.models import Unit
from caunoi.publishing.models import Article, ArticleKind, Topic
from caunoi.publishing.pagecache import TOPICS, article_group, cached_page, unit_group
from caunoi.publishing.search import search_articles
from caunoi.publishing.selectors import (
    article_page,
    article_url,
    is_reshared_within,
    published_in,
    reshare_url,
    with_urls,
)
from caunoi.publishing.sharing import topic_at, topics_for

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


@cached_page(lambda slugs: [unit_group(slugs, "home"), TOPICS])
def unit_home(request: HttpRequest, slugs: str) -> HttpResponse:
    unit = _unit_at(slugs)
    return _public(
        request,
        render(
            request,
            "portal/unit.html",
            {
                "shown": unit,
                "ancestors": selectors.ancestors_of(unit),
                "kids": selectors.child_list(unit),
                "latest": with_urls(published_in(unit=unit)[:LATEST], at=unit),
                "topics": topics_for(unit),
                "links": portal_menu(unit),
            },
        ),
    )


@dataclass
class ListPage:
    """A page of a list that is not counted: at 100k articles the count cost more than the
    page. It walks like Django's Page ("‹ Trước · Trang 3 · Sau ›"), without a last page."""

    object_list: list[Article]
    number: int
    has_next: bool
    paginator: None = None

    def __iter__(self) -> Iterator[Article]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _page_number(raw: str | None) -> int:
    """The page asked for; anything but a whole number from 1 up means the first."""
    try:
        return max(1, min(int(raw or 1), 10_000))
    except ValueError:
        return 1


def _news_page(
    request: HttpRequest, slugs: str, *, warnings_only: bool = False, topic: Topic | None = None
) -> HttpResponse:
    unit = _unit_at(slugs)
    kinds = WARNING_KINDS if warnings_only else []
    number = _page_number(request.GET.get("page"))
    start = (number - 1) * NEWS_PAGE
    rows = list(published_in(unit=unit, kinds=kinds, topic=topic)[start : start + NEWS_PAGE + 1])
    if not rows and number > 1:
        raise Http404
    page = ListPage(with_urls(rows[:NEWS_PAGE], at=unit), number, has_next=len(rows) > NEWS_PAGE)
    return _public(
        request,
        render(
            request,
            "portal/news.html",
            {
                "shown": unit,
                "ancestors": selectors.ancestors_of(unit),
                "page": page,
                "warnings_only": warnings_only,
                "topic": topic,
            },
        ),
    )


@cached_page(lambda slugs: [unit_group(slugs, "news")])
def unit_news(request: HttpRequest, slugs: str) -> HttpResponse:
    return _news_page(request, slugs)


@cached_page(lambda slugs, topic: [unit_group(slugs, f"topic:{topic}")])
def unit_topic(request: HttpRequest, slugs: str, topic: str) -> HttpResponse:
    """One topic's published articles in the unit's subtree (topics are inherited down)."""
    found = topic_at(_unit_at(slugs), topic)
    if found is None:
        raise Http404
    return _news_page(request, slugs, topic=found)


@cached_page(lambda slugs: [TOPICS])
def unit_topics(request: HttpRequest, slugs: str) -> HttpResponse:
    unit = _unit_at(slugs)
    return _public(
        request,
        render(
            request,
            "portal/topics.html",
            {
                "shown": unit,
                "ancestors": selectors.ancestors_of(unit),
                "topics": topics_for(unit),
            },
        ),
    )


@cached_page(lambda slugs: [unit_group(slugs, "warnings")])
def unit_warnings(request: HttpRequest, slugs: str) -> HttpResponse:
    """Scam warnings and official clarifications: what a citizen must not miss."""
    return _news_page(request, slugs, warnings_only=True)


@cached_page(lambda slugs: [unit_group(slugs, "news")])  # any change in the subtree
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
                "ancestors": selectors.ancestors_of(unit),
                "query": query,
                "hits": hits,
            },
        ),
    )


@cached_page(lambda slugs, pk, slug: [article_group(pk)], prerendered=True)
def article(request: HttpRequest, slugs: str, pk: int, slug: str) -> HttpResponse:
    """An article at its source's address, or a re-shared copy under a unit that re-shares
    it (credited, canonical link to the source); any other address redirects to the source."""
    page = article_page(pk=int(pk))
    if page is None:
        raise Http404
    found = page.article
    ancestors, shown = page.trail[:-1], page.trail[-1]
    canonical = article_url(found)
    if request.path != canonical:
        here = selectors.unit_by_slugs(slugs.split("/"))
        if (
            here is None
            or request.path != reshare_url(found, here)
            or not is_reshared_within(found, here)
        ):
            return _public(request, HttpResponsePermanentRedirect(canonical))
        shown, ancestors = here, selectors.ancestors_of(here)
    images = page.images
    cover = images[0] if images and images[0].is_cover else None
    return _public(
        request,
        render(
            request,
            "portal/article.html",
            {
                "article": found,
                "shown": shown,
                "reshared_from": found.unit if shown.pk != found.unit_id else None,
                "ancestors": ancestors,
                "canonical": request.build_absolute_uri(canonical),
                "cover": cover,
                "photos": [i for i in images if i is not cover],
                "og_image": request.build_absolute_uri((cover or images[0]).file.url)
                if images
                else "",
                "attachments": page.attachments,
                "topics": page.topics,
                "corrections": page.corrections,
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
