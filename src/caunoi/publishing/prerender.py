"""Article pages rendered ahead by the task worker, so that a reader's first visit to an
article is answered with a stored page instead of waiting for a render.

When an article changes (published, corrected, re-shared, unpublished) its change queues
`prerender_article` in the same transaction; the worker renders each of the article's
addresses (its own, and each re-share) in each language exactly as an anonymous reader would
get it, through the whole middleware stack, and stores the page with the versions of its
cache groups (`stamp`). PageCacheMiddleware answers a reader from a stored page only while
its stamp is current, so a stored page is never staler than a cached one; a change the
worker has not caught up with yet is rendered on request, as before. A change to the units
tree (which every page names) makes every stored page stale: the worker then renders every
published article again, newest first, in batches that queue the next one behind any other
work (or only those published in the last CAUNOI_PRERENDER_DAYS days, dropping the others'
pages). `caunoi portal prerender` does the same by hand (after restoring a backup, say).
"""

from __future__ import annotations

import io
import json
import logging
import multiprocessing
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import connections, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation

from caunoi.publishing.models import Article, ArticleState, PrerenderedPage, Reshare
from caunoi.publishing.selectors import article_url, reshare_url

logger = logging.getLogger(__name__)
MARK = "caunoi.prerender"  # in the WSGI environ of the worker's own requests only
Page = tuple[int, list[tuple[str, str]], bytes]
BATCH = 100  # articles per task run when all are rendered again: about a second of work

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


def _render_article(article: Article) -> tuple[list[PrerenderedPage], list[str]]:
    """The article's pages, each of its addresses in each language, ready to store; and its
    addresses."""
    sharers = Reshare.objects.filter(article=article).select_related("unit")
    paths = [article_url(article), *(reshare_url(article, r.unit) for r in sharers)]
    pages = []
    now = timezone.now()
    for path in paths:
        for language, _name in settings.LANGUAGES:
            page = render(path, language)
            if page is None:
                continue
            stamp, (_status, headers, content) = page
            pages.append(
                PrerenderedPage(
                    article_id=article.pk,
                    path=path,
                    language=language,
                    stamp=stamp,
                    headers=headers,
                    content=zlib.compress(content),
                    rendered_at=now,
                )
            )
    return pages, paths


def _store(articles: list[Article]) -> int:
    """Render the pages of these published articles and store them in one write, replacing
    what was stored at their addresses; the number of pages stored."""
    pages: list[PrerenderedPage] = []
    paths: list[str] = []
    for article in articles:
        rendered, addresses = _render_article(article)
        pages += rendered
        paths += addresses
    kept = {(p.path, p.language) for p in pages}
    with transaction.atomic():
        stale = PrerenderedPage.objects.filter(article__in=articles).values_list(
            "pk", "path", "language"
        )
        gone = [pk for pk, path, language in stale if (path, language) not in kept]
        PrerenderedPage.objects.filter(pk__in=gone).delete()
        PrerenderedPage.objects.bulk_create(
            pages,
            update_conflicts=True,
            unique_fields=["path", "language"],
            update_fields=["article", "stamp", "headers", "content", "rendered_at"],
        )
    return len(pages)


def article_pages(article_id: int) -> int:
    """Render and store every address of the article in every language (or drop its pages
    when it is no longer published); the number of pages stored."""
    article = Article.objects.filter(pk=article_id).select_related("unit").first()
    if article is None or article.state != ArticleState.PUBLISHED:
        PrerenderedPage.objects.filter(article_id=article_id).delete()
        return 0
    return _store([article])


def kept_articles(days: int | None = None) -> QuerySet[Article]:
    """The published articles whose pages are kept rendered: all of them, or those
    published in the last `days` days (default CAUNOI_PRERENDER_DAYS; unset: all)."""
    days = settings.CAUNOI_PRERENDER_DAYS if days is None else days
    published = Article.objects.filter(state=ArticleState.PUBLISHED)
    if days is None:
        return published
    return published.filter(published_at__gte=timezone.now() - timedelta(days=days))


Cursor = tuple[str, int]  # the last article of a batch: its publication time and id


def drop_unkept(days: int | None = None) -> int:
    """Drop the pages of articles no longer kept rendered (older than `days`)."""
    deleted, _ = PrerenderedPage.objects.exclude(article__in=kept_articles(days)).delete()
    return deleted


def next_pages(
    after: Cursor | None = None,
    *,
    days: int | None = None,
    size: int | None = None,
    share: tuple[int, int] = (0, 1),
) -> tuple[int, int, Cursor | None]:
    """Render again the pages of the next `size` (BATCH) kept articles, newest first, after
    the article `after`: (articles, pages stored, where the next batch starts or None).
    `share` (k, n): only the articles whose id is k modulo n."""
    size = size or BATCH
    kept = kept_articles(days).select_related("unit").order_by("-published_at", "-id")
    if share[1] > 1:
        kept = kept.alias(share=F("id") % share[1]).filter(share=share[0])
    if after is not None:
        when, last = datetime.fromisoformat(after[0]), after[1]
        kept = kept.filter(Q(published_at__lt=when) | Q(published_at=when, id__lt=last))
    batch = list(kept[:size])
    if not batch:
        return 0, 0, None
    pages = _store(batch)
    last_one = batch[-1]
    assert last_one.published_at is not None  # a published article
    cursor = (last_one.published_at.isoformat(), last_one.pk) if len(batch) == size else None
    return len(batch), pages, cursor


def _share_pages(
    days: int | None, share: tuple[int, int], progress: Callable[[int], Any] | None
) -> tuple[int, int]:
    articles = pages = 0
    cursor: Cursor | None = None
    while True:
        done, stored, cursor = next_pages(cursor, days=days, share=share)
        articles += done
        pages += stored
        if progress is not None and done:
            progress(done)
        if cursor is None:
            return articles, pages


def _job(days: int | None, share: tuple[int, int], queue: Any) -> None:
    """One process of `all_pages(jobs=n)`: its share, its progress and totals on `queue`."""
    try:
        totals = _share_pages(days, share, lambda done: queue.put(("done", done)))
        queue.put(("totals", totals))
    except BaseException as error:  # reported by the parent, which fails the command
        queue.put(("failed", f"{type(error).__name__}: {error}"))
        raise
    finally:
        connections.close_all()


def all_pages(
    days: int | None = None, *, progress: Callable[[int], Any] | None = None, jobs: int = 1
) -> tuple[int, int]:
    """Render again the pages of every kept article (newest first) and drop every other
    stored page: (articles rendered, pages stored). The worker does the same in batches;
    `jobs` processes share the work by article id (the command line's --jobs)."""
    drop_unkept(days)
    connection: Any = connections["default"]
    if jobs <= 1 or (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        return _share_pages(days, (0, 1), progress)  # a database in memory is this process's
    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()
    workers = [
        context.Process(target=_job, args=(days, (k, jobs), queue), daemon=True)
        for k in range(jobs)
    ]
    for worker in workers:
        worker.start()
    articles = pages = finished = 0
    while finished < jobs:
        what, value = queue.get()
        if what == "done" and progress is not None:
            progress(value)
        elif what == "totals":
            articles, pages, finished = articles + value[0], pages + value[1], finished + 1
        elif what == "failed":
            for worker in workers:
                worker.terminate()
            raise RuntimeError(f"prerender: a job failed: {value}")
    for worker in workers:
        worker.join()
    return articles, pages
