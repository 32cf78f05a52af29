from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django_tasks import task

from caunoi.core.tasks import enqueue_unless_waiting
from caunoi.publishing import prerender
from caunoi.publishing.orphans import SWEEP_EVERY, orphans_sweep
from caunoi.publishing.services import publish_if_due


@task()
def publish_scheduled(article_id: int, due: str) -> bool:
    """Queued for the scheduled minute; if the worker was down then, it runs when it is back."""
    return publish_if_due(article_id=article_id, due=datetime.fromisoformat(due)) is not None


@task()
def sweep_orphans() -> int:
    """Every few hours: delete uploaded files no row names (see publishing.orphans)."""
    deleted = len(orphans_sweep())
    orphans_schedule()
    return deleted


def orphans_schedule() -> bool:
    return enqueue_unless_waiting(sweep_orphans, after=SWEEP_EVERY)


@task()
def prerender_article(article_id: int) -> int:
    """After an article changes: store its pages as readers will get them (prerender.py)."""
    return prerender.article_pages(article_id)


def _units_version() -> int:
    from caunoi.publishing.models import PageGeneration
    from caunoi.publishing.pagecache import EVERY_PAGE

    found = PageGeneration.objects.filter(group=EVERY_PAGE).values_list("version", flat=True)
    return next(iter(found), 0)


@task()
def prerender_again() -> int:
    """After the units tree changes (every page names units): drop the pages of articles no
    longer kept, and start rendering every kept article again, newest first."""
    prerender.drop_unkept()
    return prerender_batch.call(_units_version())


@task()
def prerender_batch(version: int, after: list[Any] | None = None) -> int:
    """One batch of `prerender_again`; the next batch is queued behind whatever else was
    queued meanwhile (a scheduled publication waits one batch at most). A batch of an older
    units version stops: the change that bumped it queued `prerender_again` anew."""
    if version != _units_version():
        return 0
    cursor = (str(after[0]), int(after[1])) if after else None
    _articles, pages, cursor = prerender.next_pages(cursor)
    if cursor is not None:
        prerender_batch.enqueue(version, list(cursor))
    return pages


def prerender_schedule(*, after: timedelta = timedelta(seconds=10)) -> bool:
    """By default a few seconds later, so a burst of unit edits is rendered once."""
    return enqueue_unless_waiting(prerender_again, after=after)
