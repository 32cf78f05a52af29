"""A server-side cache of the portal's anonymous pages, invalidated exactly.

Each cached page belongs to a few groups (the unit's home page, its news lists and feeds, one
kind, its warnings, one topic, one article) and its key carries each group's version. A change
bumps the versions of the groups it changes, in the database and in the same transaction, so
every web process and the task worker agree at once; pages of other groups stay cached.
The page bodies live in Django's cache (per process by default, Redis with CACHE_URL).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_urlconf, resolve

from caunoi.core.memo import checked_read
from caunoi.core.models import Unit
from caunoi.publishing import prerender
from caunoi.publishing.models import Article, ArticleKind, PageGeneration

TIMEOUT = 24 * 3600
EVERY_PAGE = "all"  # bumped when units change: names and addresses show on every page
TOPICS = "topics"  # bumped when a topic is added: unit home pages and topic lists show them
WARNING_KINDS = frozenset({ArticleKind.SCAM_WARNING, ArticleKind.CLARIFICATION})
HEADER = "X-Caunoi-Cache"
LANGUAGES = {code for code, _name in settings.LANGUAGES}

View = Callable[..., HttpResponse]


def unit_group(slugs: str, part: str) -> str:
    return f"u:{slugs}:{part}"


def article_group(pk: int | str) -> str:
    return f"a:{pk}"


def _slugs(unit: Unit) -> str:
    return unit.get_portal_url().removeprefix("/u/").rstrip("/")


def groups_changed_by(article: Article, *, also: Iterable[Unit] = ()) -> set[str]:
    """Every group whose pages show `article`: its own page, and for its unit, every unit
    that re-shares it (and `also`), and all their ancestors, the home page, news lists and
    feeds, its kind's feeds, warnings when it is one, and its topics' pages."""
    from caunoi.publishing.models import Reshare

    units: dict[int, Unit] = {}
    sharers = [r.unit for r in Reshare.objects.filter(article=article).select_related("unit")]
    for unit in [article.unit, *sharers, *also]:
        for u in [*Unit.objects.get_ancestors(unit), unit]:
            units[u.pk] = u
    parts = ["home", "news", f"kind:{article.kind}"]
    if article.kind in WARNING_KINDS:
        parts.append("warnings")
    parts += [f"topic:{slug}" for slug in article.topics.values_list("slug", flat=True)]
    groups = {article_group(article.pk)}
    for unit in units.values():
        groups |= {unit_group(_slugs(unit), part) for part in parts}
    return groups


def bump(groups: Iterable[str]) -> None:
    """Make every cached page of these groups stale (call inside the change's transaction)."""
    wanted = set(groups)
    if not wanted:
        return
    PageGeneration.objects.filter(group__in=wanted).update(version=F("version") + 1)
    existing = set(PageGeneration.objects.filter(group__in=wanted).values_list("group", flat=True))
    PageGeneration.objects.bulk_create(
        [PageGeneration(group=g, version=1) for g in sorted(wanted - existing)],
        ignore_conflicts=True,
    )


def article_changed(article: Article, *, also: Iterable[Unit] = ()) -> None:
    """Call inside the change's transaction: its pages go stale, and the worker renders the
    article's own pages again (prerender.py)."""
    from caunoi.core.tasks import enqueue_with_transaction
    from caunoi.publishing.tasks import prerender_article

    bump(groups_changed_by(article, also=also))
    enqueue_with_transaction(prerender_article, article.pk)


def topics_changed() -> None:
    bump([TOPICS])


def units_changed() -> None:
    """Every page names units: all go stale, and the worker renders the stored ones again."""
    from caunoi.publishing.models import PrerenderedPage
    from caunoi.publishing.tasks import prerender_schedule

    bump([EVERY_PAGE])
    if PrerenderedPage.objects.exists():
        prerender_schedule()


def on_unit_change(**kwargs: Any) -> None:
    if not kwargs.get("raw"):
        units_changed()


def _versions(
    names: list[str], stored_at: tuple[str, str] | None = None
) -> tuple[dict[str, int], tuple[str, Any, Any] | None]:
    """The current version of each group: one plain query, since a cache hit costs little
    else (through the ORM this lookup was most of a hit's time). With `stored_at` (an
    address and a language), the same statement reads the page the worker stored there, if
    any (its stamp, headers and content): a first visit costs this one round trip."""
    marks = ", ".join(["%s"] * len(names))
    where = f'"group" IN ({marks})'
    sql = 'SELECT "group", "version", NULL, NULL, NULL FROM "publishing_pagegeneration" WHERE '
    sql += where
    params: list[str] = list(names)
    if stored_at is not None:
        sql += (
            ' UNION ALL SELECT NULL, NULL, "stamp", "headers", "content" '
            'FROM "publishing_prerenderedpage" WHERE "path" = %s AND "language" = %s'
        )
        params += stored_at
    versions: dict[str, int] = {}
    stored = None
    for group, version, stamp, headers, content in checked_read(connection, sql, params):
        if group is None:
            stored = (stamp, headers, content)
        else:
            versions[group] = version
    return versions, stored


@dataclass(frozen=True)
class PageKey:
    key: str  # in the cache
    stamp: str  # the versions of the page's groups
    stored: Any  # the page the worker stored for this address, rendered under this stamp


def _key(request: HttpRequest, language: str, names: list[str], prerendered: bool) -> PageKey:
    """An article page (`prerendered`) is the same whatever query string follows its address
    (fbclid, zarsrc, utm_…: every visitor from a shared link brings a new one), so it is
    keyed, and served from its stored copy, by its path alone."""
    stored_at = (request.path, language) if prerendered else None
    if request.META.get(prerender.MARK):
        stored_at = None  # the worker renders
    versions, stored = _versions(names, stored_at)
    stamp = ",".join(str(versions.get(name, 0)) for name in names)
    address = request.path if prerendered else request.get_full_path()
    raw = f"{language}|{address}|{stamp}"
    key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
    page = None
    if stored is not None and stored[0] == stamp:
        page = prerender.decode(stored[1], stored[2])
    return PageKey(key, stamp, page)


def cached_page(
    groups: Callable[..., list[str]], *, prerendered: bool = False
) -> Callable[[View], View]:
    """Mark a portal view whose anonymous GETs PageCacheMiddleware serves from the cache;
    `groups(**kwargs)` names the groups the page belongs to, from its address alone (no
    query before a hit). `prerendered`: the task worker renders its pages ahead
    (publishing.prerender), so a first visit may be answered from a stored page."""

    def decorate(view: View) -> View:
        view.page_groups = groups  # type: ignore[attr-defined]
        view.prerendered = prerendered  # type: ignore[attr-defined]
        return view

    return decorate


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PageCacheMiddleware:
    """Serve cached portal pages to visitors without a session, before the rest of the
    middleware runs, and keep each such page as the rest of the middleware made it (its
    security, language and content-policy headers included, the policy's nonce matching the
    page's). Anyone with a session (staff) always gets a fresh page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = self._key(request)
        if found is None:
            return self.get_response(request)
        if found.stored is not None:
            return _replay(found.stored, "prerendered")
        worker = bool(request.META.get(prerender.MARK))  # renders, on the site's address
        hit = None if worker else cache.get(found.key)
        if hit is not None:
            return _replay(hit, "hit")
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and not _signed_in(request)
        ):
            page = (200, list(response.headers.items()), response.content)
            if worker:  # stored by the worker (prerender.py), not cached over readers' pages
                request.prerendered = (found.stamp, page)  # type: ignore[attr-defined]
            else:
                cache.set(found.key, page, TIMEOUT)
            response.headers[HEADER] = "miss"
        return response

    @staticmethod
    def _key(request: HttpRequest) -> PageKey | None:
        if request.method not in {"GET", "HEAD"}:
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        view = _cached_view(request.path_info, get_urlconf() or settings.ROOT_URLCONF)
        if view is None:
            return None
        names, prerendered = view
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in LANGUAGES:
            language = settings.LANGUAGE_CODE
        return _key(request, language, names, prerendered)


@lru_cache(maxsize=8192)
def _cached_view(path_info: str, urlconf: str) -> tuple[list[str], bool] | None:
    """For an address of a cached view: its page's groups, and whether it is rendered ahead.
    Remembered per process (resolving walks every address pattern: half a hit's time)."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    groups = getattr(match.func, "page_groups", None)
    if groups is None:
        return None
    return [EVERY_PAGE, *groups(**match.kwargs)], getattr(match.func, "prerendered", False)


def _replay(page: Any, how: str) -> HttpResponse:
    status, headers, content = page
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    response.headers[HEADER] = how
    return response
