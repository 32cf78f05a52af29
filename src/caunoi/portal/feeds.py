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
from caunoi.publishing.models import Article, ArticleKind
from caunoi.publishing.selectors import article_url, published_in, with_urls

ITEMS = 30


class UnitFeed(Feed):  # type: ignore[type-arg]
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> tuple[Unit, str]:
        unit = selectors.unit_by_slugs(kwargs["slugs"].split("/"))
        kind = kwargs.get("kind") or ""
        if unit is None or (kind and kind not in ArticleKind.values):
            raise Http404
        return unit, kind

    def title(self, obj: tuple[Unit, str]) -> str:
        unit, kind = obj
        what = ArticleKind(kind).label if kind else _("Tin tức")
        return f"{unit.name} — {what}"

    def link(self, obj: tuple[Unit, str]) -> str:
        return obj[0].get_portal_url()

    def description(self, obj: tuple[Unit, str]) -> str:
        return _("Thông tin chính thức của %(unit)s") % {"unit": obj[0].name}

    def items(self, obj: tuple[Unit, str]) -> list[Article]:
        unit, kind = obj
        articles = published_in(unit=unit)
        if kind:
            articles = articles.filter(kind=kind)
        return with_urls(articles[:ITEMS])

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


def feed(request: HttpRequest, slugs: str, fmt: str, kind: str = "") -> HttpResponse:
    view = UnitAtomFeed() if fmt == "atom" else UnitFeed()
    response: HttpResponse = view(request, slugs=slugs, kind=kind)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
