from __future__ import annotations

from django.db.models import QuerySet

from caunoi.core.models import Unit
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
