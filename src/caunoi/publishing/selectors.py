from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from caunoi.core.models import Unit
from caunoi.core.selectors import prime_portal_urls
from caunoi.core.text import slug_for
from caunoi.publishing.models import Article, ArticleState, Revision


def published_in(*, unit: Unit) -> QuerySet[Article]:
    """Published articles of the unit's whole subtree, newest first."""
    return (
        Article.objects.filter(unit__path__startswith=unit.path, state=ArticleState.PUBLISHED)
        .select_related("unit")
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


def published_article(*, pk: int) -> Article | None:
    found: Article | None = (
        Article.objects.filter(pk=pk, state=ArticleState.PUBLISHED).select_related("unit").first()
    )
    return found


def article_url(article: Article) -> str:
    """The public address: under the publishing unit, with a readable slug from the title."""
    return f"{article.unit.get_portal_url()}bai/{article.pk}-{slug_for(article.title)[:80]}/"


def with_urls(articles: Iterable[Article]) -> list[Article]:
    """Articles ready for a public list: each carries `url`, at a fixed number of queries."""
    listed = list(articles)
    prime_portal_urls([a.unit for a in listed])
    for a in listed:
        a.url = article_url(a)  # type: ignore[attr-defined]
    return listed
