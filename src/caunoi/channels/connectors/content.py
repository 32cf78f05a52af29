"""What a post says, built once from the article for every connector."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import strip_tags

from caunoi.channels.models import Delivery
from caunoi.core.notifications import absolute_url
from caunoi.publishing.selectors import article_url


@dataclass(frozen=True)
class Post:
    title: str
    summary: str
    body_text: str
    body_html: str
    url: str  # the article's public address (the source's, for a re-share)
    source: str  # the unit that wrote it
    cover_url: str  # empty when the article has no cover image


def post_of(delivery: Delivery) -> Post:
    article = delivery.article
    cover = article.images.filter(is_cover=True).order_by("id").first()
    return Post(
        title=article.title,
        summary=article.summary,
        body_text=" ".join(strip_tags(article.body).split()),
        body_html=article.body,
        url=absolute_url(article_url(article)),
        source=article.unit.name,
        cover_url=absolute_url(cover.file.url) if cover is not None else "",
    )


def message_of(post: Post, *, reshare: bool) -> str:
    """A short post: title, summary, credit for a re-share, and the link (also our marker)."""
    parts = [post.title]
    if post.summary:
        parts.append(post.summary)
    if reshare:
        parts.append(f"Nguồn: {post.source}")
    parts.append(post.url)
    return "\n\n".join(parts)
