from __future__ import annotations

from datetime import datetime, timedelta

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


@task()
def prerender_recent() -> list[int]:
    """After the units tree changes: render the recent articles' pages again."""
    return list(prerender.recent_pages())


def prerender_schedule(*, after: timedelta = timedelta(seconds=10)) -> bool:
    """By default a few seconds later, so a burst of unit edits is rendered once."""
    return enqueue_unless_waiting(prerender_recent, after=after)
