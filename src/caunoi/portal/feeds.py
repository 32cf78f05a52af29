"""RSS 2.0 and Atom feeds of a unit's published articles, all kinds or one kind."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from caunoi.core import selectors
from caunoi.core.models import Unit
from caunoi.publishing.models import Article, ArticleKind, Topic
from caunoi.publishing.pagecache import cached_page, unit_group
from caunoi.publishing.selectors import article_url, published_in, with_urls
from caunoi.publishing.sharing import topic_at

ITEMS = 30
Subject = tuple[Unit, str, Topic | None]  # the unit, a kind or "", a topic or None


class UnitFeed(Feed):  # type: ignore[type-arg]
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Subject:
        unit = selectors.unit_by_slugs(kwargs["slugs"].split("/"))
        kind = kwargs.get("kind") or ""
        if unit is None or (kind and kind not in ArticleKind.values):
            raise Http404
        topic = None
        if kwargs.get("topic"):
            topic = topic_at(unit, kwargs["topic"])
            if topic is None:
                raise Http404
        return unit, kind, topic

    def title(self, obj: Subject) -> str:
        unit, kind, topic = obj
        what = topic.name if topic else ArticleKind(kind).label if kind else _("Tin tức")
        return f"{unit.name} — {what}"

    def link(self, obj: Subject) -> str:
        unit, _kind, topic = obj
        return f"{unit.get_portal_url()}chu-de/{topic.slug}/" if topic else unit.get_portal_url()

    def description(self, obj: Subject) -> str:
        return _("Thông tin chính thức của %(unit)s") % {"unit": obj[0].name}

    def items(self, obj: Subject) -> list[Article]:
        unit, kind, topic = obj
        articles = published_in(unit=unit)
        if kind:
            articles = articles.filter(kind=kind)
        if topic is not None:
            articles = articles.filter(topics=topic)
        return with_urls(articles[:ITEMS], at=unit)

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or item.title

    def item_link(self, item: Article) -> str:
        return getattr(item, "url", None) or article_url(item)

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.unit.name

    def item_categories(self, item: Article) -> list[str]:
        return [str(item.get_kind_display())]


class UnitAtomFeed(UnitFeed):
    feed_type = Atom1Feed
    subtitle = UnitFeed.description


def _feed(request: HttpRequest, fmt: str, **subject: str) -> HttpResponse:
    view = UnitAtomFeed() if fmt == "atom" else UnitFeed()
    response: HttpResponse = view(request, **subject)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@cached_page(lambda slugs, fmt, kind="": [unit_group(slugs, f"kind:{kind}" if kind else "news")])
def feed(request: HttpRequest, slugs: str, fmt: str, kind: str = "") -> HttpResponse:
    return _feed(request, fmt, slugs=slugs, kind=kind)


@cached_page(lambda slugs, topic, fmt: [unit_group(slugs, f"topic:{topic}")])
def topic_feed(request: HttpRequest, slugs: str, topic: str, fmt: str) -> HttpResponse:
    return _feed(request, fmt, slugs=slugs, topic=topic)
