from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.db.models import Count, DateField, Q, QuerySet, Value
from django.db.models.functions import Trunc
from django.utils import timezone

from caunoi.core import memo
from caunoi.core.models import Unit
from caunoi.core.selectors import ancestors_of, prime_portal_urls
from caunoi.core.text import slug_for
from caunoi.publishing.models import (
    Article,
    ArticleImage,
    ArticleState,
    Attachment,
    Correction,
    Reshare,
    Revision,
    Topic,
)

Subtree = tuple[QuerySet[Any], QuerySet[Any]]


def published_subtree(unit: Unit) -> Subtree:
    """The unit's subtree's ids, and the ids of the articles its units re-share from above,
    as sub-queries (each database runs them once, as a list, then walks its indexes)."""
    ids = Unit.objects.filter(path__startswith=unit.path).values("id")
    reshared = Reshare.objects.filter(unit__path__startswith=unit.path).values("article_id")
    return ids, reshared


def _published(kinds: Iterable[str] = (), topic: Any = None) -> QuerySet[Article]:
    articles = Article.objects.filter(state=ArticleState.PUBLISHED)
    if kinds:
        articles = articles.filter(kind__in=list(kinds))
    if topic is not None:
        articles = articles.filter(topics=topic)
    return articles


def published_in(
    *, unit: Unit, kinds: Iterable[str] = (), topic: Any = None, subtree: Subtree | None = None
) -> QuerySet[Article]:
    """Published articles of the unit's whole subtree, and those a unit of the subtree
    re-shares from above, newest first (of some kinds, or of one topic, when given).

    The subtree is named by its unit ids, not by a join on the tree's paths: the database
    then walks its (state, newest) index and stops at the page's last row."""
    ids, reshared = subtree or published_subtree(unit)
    return (
        _published(kinds, topic)
        .filter(Q(unit_id__in=ids) | Q(pk__in=reshared))
        .select_related("unit")
        .defer("body", "search_text")  # lists show title and summary; bodies are long
        .order_by("-published_at", "-id")
    )


def revisions_of(*, article: Article) -> QuerySet[Revision]:
    return article.revisions.select_related("saved_by").order_by("-number")


def articles_in(*, unit: Unit, state: str = "") -> QuerySet[Article]:
    """Every article of the unit's subtree for staff, most recently changed first."""
    articles = Article.objects.filter(unit__path__startswith=unit.path)
    if state:
        articles = articles.filter(state=state)
    return articles.select_related("unit", "author").order_by("-updated_at", "-id")


def state_counts(*, unit: Unit) -> dict[str, int]:
    rows = (
        Article.objects.filter(unit__path__startswith=unit.path)
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["state"]: row["n"] for row in rows}


@dataclass
class ArticlePage:
    """Everything a published article's public page shows."""

    article: Article
    trail: list[Unit]  # the article's unit's ancestors from the root down, then the unit
    images: list[ArticleImage]  # the cover first
    attachments: list[Attachment]
    topics: list[Topic]
    corrections: list[Correction]


# The article page's statements: plain SQL, identical on SQLite and PostgreSQL.
_HAS = 'EXISTS (SELECT 1 FROM "{}" WHERE "article_id" = %s)'
_PAGE_LISTS = {
    "images": 'SELECT * FROM "publishing_articleimage" WHERE "article_id" = %s '
    'ORDER BY "is_cover" DESC, "id"',
    "attachments": 'SELECT * FROM "publishing_attachment" WHERE "article_id" = %s ORDER BY "id"',
    "topics": 'SELECT t.* FROM "publishing_topic" t JOIN "publishing_article_topics" at '
    'ON at."topic_id" = t."id" WHERE at."article_id" = %s ORDER BY t."name", t."id"',
    "corrections": 'SELECT * FROM "publishing_correction" WHERE "article_id" = %s '
    'ORDER BY "corrected_at", "id"',
}


@cache
def _article_sql() -> str:
    """The article's own columns (from the model, so migrations keep them right; the search
    text is left out), and whether it has any of each list the page shows."""
    columns = ", ".join(
        f'"{f.column}"' for f in Article._meta.concrete_fields if f.attname != "search_text"
    )
    lists = ", ".join(
        f"{_HAS.format(table)} AS has_{name}"
        for name, table in (
            ("images", "publishing_articleimage"),
            ("attachments", "publishing_attachment"),
            ("topics", "publishing_article_topics"),
            ("corrections", "publishing_correction"),
        )
    )
    return f'SELECT {columns}, {lists} FROM "publishing_article" WHERE "id" = %s AND "state" = %s'  # noqa: S608 - names from the model, values bound


def _trail(unit_id: int) -> list[Unit]:
    unit = Unit.objects.get(pk=unit_id)
    return [*ancestors_of(unit), unit]


def article_page(*, pk: int) -> ArticlePage | None:
    """A published article with what its page shows, or None. Plain statements, one for the
    article and one per kind of thing it has: an article page's first render is compared
    with a bare view's, and building ORM queries was most of its time. The unit's trail
    comes from the per-process memory of the units tree (core.memo)."""
    found = list(Article.objects.raw(_article_sql(), [pk, pk, pk, pk, pk, ArticleState.PUBLISHED]))
    if not found:
        return None
    article = found[0]
    trail = memo.snapshot().get(("portal-trail", article.unit_id), lambda: _trail(article.unit_id))
    article.unit = trail[-1]

    def rows(model: type[Any], name: str) -> list[Any]:
        if not getattr(article, f"has_{name}"):
            return []
        return list(model.objects.raw(_PAGE_LISTS[name], [pk]))

    return ArticlePage(
        article=article,
        trail=trail,
        images=rows(ArticleImage, "images"),
        attachments=rows(Attachment, "attachments"),
        topics=rows(Topic, "topics"),
        corrections=rows(Correction, "corrections"),
    )


def is_reshared_within(article: Article, unit: Unit) -> bool:
    """Whether `unit` or a unit below it re-shares the article."""
    return Reshare.objects.filter(article=article, unit__path__startswith=unit.path).exists()


def images_of(article: Article) -> list[ArticleImage]:
    """Cover first, then the other photos in the order they were added."""
    return list(article.images.order_by("-is_cover", "id"))


def corrections_of(article: Article) -> list[Correction]:
    return list(article.corrections.order_by("corrected_at", "id"))


def article_url(article: Article) -> str:
    """The public address: under the publishing unit, with a readable slug from the title."""
    return f"{article.unit.get_portal_url()}bai/{article.pk}-{slug_for(article.title)[:80]}/"


def with_urls(articles: Iterable[Article], *, at: Unit | None = None) -> list[Article]:
    """Articles ready for a public list: each carries `url`, at a fixed number of queries.
    Listed at `at`, an article from outside its subtree is a re-share: its `url` is the copy
    under `at` and `reshared_from` names its source."""
    listed = list(articles)
    prime_portal_urls([a.unit for a in listed])
    for a in listed:
        a.url = article_url(a)  # type: ignore[attr-defined]
        a.reshared_from = None  # type: ignore[attr-defined]
        if at is not None and not str(a.unit.path).startswith(str(at.path)):
            a.url = reshare_url(a, at)  # type: ignore[attr-defined]
            a.reshared_from = a.unit  # type: ignore[attr-defined]
    return listed


def reshare_url(article: Article, unit: Unit) -> str:
    """A re-shared copy's address, under the unit that shows it."""
    return f"{unit.get_portal_url()}bai/{article.pk}-{slug_for(article.title)[:80]}/"


def article_units(*, ids: list[int]) -> dict[int, Unit]:
    """The unit of each of these articles, by article id (unknown ids are left out)."""
    return {a.pk: a.unit for a in Article.objects.filter(pk__in=ids).select_related("unit")}


def published_counts(
    *, unit: Unit, start: date, end: date, grain: str = ""
) -> list[dict[str, Any]]:
    """Articles of the subtree published from `start` to `end` (local days, both included),
    counted by kind and, with a grain (day, month, quarter, year), by period: rows of
    {"kind", "bucket" (a date, or None), "n"}."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    rows = Article.objects.filter(
        unit__path__startswith=unit.path,
        state=ArticleState.PUBLISHED,
        published_at__gte=since,
        published_at__lt=until,
    )
    if grain:
        rows = rows.annotate(bucket=Trunc("published_at", grain, output_field=DateField()))
    else:
        rows = rows.annotate(bucket=Value(None, output_field=DateField()))
    return [dict(row) for row in rows.values("kind", "bucket").annotate(n=Count("id")).order_by()]
