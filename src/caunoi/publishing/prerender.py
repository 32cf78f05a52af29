"""Article pages rendered ahead by the task worker, so that a reader's first visit to an
article is answered with a stored page instead of waiting for a render.

When an article changes (published, corrected, re-shared, unpublished) its change queues
`prerender_article` in the same transaction; the worker renders each of the article's
addresses (its own, and each re-share) in each language exactly as an anonymous reader would
get it, through the whole middleware stack, and stores the page with the versions of its
cache groups (`stamp`). PageCacheMiddleware answers a reader from a stored page only while
its stamp is current, so a stored page is never staler than a cached one; a change the
worker has not caught up with yet is rendered on request, as before. A change to the units
tree (which every page names) makes every stored page stale: the worker then renders again
the articles published in the last CAUNOI_PRERENDER_DAYS days, and drops the others' pages.
`caunoi manage prerender` does the same by hand (after restoring a backup, say).
"""

from __future__ import annotations

import io
import json
import logging
import zlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db.models import QuerySet
from django.utils import timezone, translation

from caunoi.publishing.models import Article, ArticleState, PrerenderedPage, Reshare
from caunoi.publishing.selectors import article_url, reshare_url

logger = logging.getLogger(__name__)
MARK = "caunoi.prerender"  # in the WSGI environ of the worker's own requests only
Page = tuple[int, list[tuple[str, str]], bytes]

_handler: BaseHandler | None = None


def _get_handler() -> BaseHandler:
    global _handler
    if _handler is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    return _handler


def render(path: str, language: str) -> tuple[str, Page] | None:
    """The page an anonymous reader choosing `language` gets at `path`, with its stamp; None
    when it is not a cacheable page (not found, redirected, refused)."""
    base = urlsplit(settings.CAUNOI_BASE_URL)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": base.hostname or "127.0.0.1",
        "SERVER_PORT": str(base.port or (443 if base.scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": base.netloc,
        "HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}={language}",
        "wsgi.url_scheme": base.scheme or "http",
        "wsgi.input": io.BytesIO(),
        MARK: True,
    }
    request = WSGIRequest(environ)
    # Neither WSGIHandler nor response.close(): their request signals would close the
    # worker's database connection.
    with translation.override(translation.get_language()):
        response = _get_handler().get_response(request)
    stored: tuple[str, Page] | None = getattr(request, "prerendered", None)
    if stored is None and response.status_code == 400:
        logger.warning("prerender: %s refused (is CAUNOI_BASE_URL's host allowed?)", path)
    return stored


def decode(headers: Any, content: Any) -> Page:
    """A stored page as the cache keeps pages (the database gives JSON as text on some
    backends, bytes as a memoryview on others)."""
    if isinstance(headers, str):
        headers = json.loads(headers)
    return 200, [(str(n), str(v)) for n, v in headers], zlib.decompress(bytes(content))


def article_pages(article_id: int) -> int:
    """Render and store every address of the article in every language (or drop its pages
    when it is no longer published); the number of pages stored."""
    article = Article.objects.filter(pk=article_id).select_related("unit").first()
    if article is None or article.state != ArticleState.PUBLISHED:
        PrerenderedPage.objects.filter(article_id=article_id).delete()
        return 0
    sharers = Reshare.objects.filter(article=article).select_related("unit")
    paths = [article_url(article), *(reshare_url(article, r.unit) for r in sharers)]
    count = 0
    for path in paths:
        for language, _name in settings.LANGUAGES:
            page = render(path, language)
            if page is None:
                PrerenderedPage.objects.filter(path=path, language=language).delete()
                continue
            stamp, (_status, headers, content) = page
            PrerenderedPage.objects.update_or_create(
                path=path,
                language=language,
                defaults={
                    "article_id": article_id,
                    "stamp": stamp,
                    "headers": headers,
                    "content": zlib.compress(content),
                    "rendered_at": timezone.now(),
                },
            )
            count += 1
    PrerenderedPage.objects.filter(article_id=article_id).exclude(path__in=paths).delete()
    return count


def recent_articles(days: int | None = None) -> QuerySet[Article]:
    """Articles published in the last `days` days (default CAUNOI_PRERENDER_DAYS)."""
    days = settings.CAUNOI_PRERENDER_DAYS if days is None else days
    since = timezone.now() - timedelta(days=days)
    return Article.objects.filter(state=ArticleState.PUBLISHED, published_at__gte=since)


def recent_pages(
    days: int | None = None, *, progress: Callable[[int], Any] | None = None
) -> tuple[int, int]:
    """Render again the pages of articles published in the last `days` days (newest first)
    and drop every other stored page; (articles rendered, pages stored)."""
    recent = recent_articles(days)
    PrerenderedPage.objects.exclude(article__in=recent).delete()
    ids = list(recent.order_by("-published_at", "-id").values_list("id", flat=True))
    pages = 0
    for article_id in ids:
        pages += article_pages(article_id)
        if progress is not None:
            progress(1)
    return len(ids), pages
