"""The scheduled insights pull: a task that pulls every connected page, then queues itself
again, so it runs on the task worker (any number of them) and needs no cron."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from caunoi.core.tasks import enqueue_unless_waiting

PULL_EVERY = timedelta(hours=6)


def schedule_ensure(*, delay: timedelta = PULL_EVERY) -> bool:
    """Queue the next pull unless one is already waiting; True when one was queued."""
    return enqueue_unless_waiting(pull_connected_pages, after=delay, running_counts=True)


@task()
def pull_page(channel_id: int, page_id: str) -> dict[str, object]:
    from caunoi.channels.models import Channel
    from caunoi.metrics.credentials import page_token
    from caunoi.metrics.pull import insights_pull

    channel = Channel.objects.select_related("unit").get(pk=channel_id)
    token = page_token(channel)
    if token is None:
        return {"channel": channel_id, "skipped": "no credentials"}
    run = insights_pull(channel=channel, page_id=page_id, token=token)
    return {"channel": channel_id, "ok": run.ok, "figures": run.figures, "dropped": run.dropped}


@task()
def pull_connected_pages() -> int:
    """Queue one pull per connected Facebook page; then come back in PULL_EVERY."""
    from caunoi.metrics.credentials import connected_pages

    try:
        pages = connected_pages()
        for channel_id, page_id in pages:
            pull_page.enqueue(channel_id, page_id)
        return len(pages)
    finally:
        # This run is still RUNNING, so schedule_ensure() would see it: queue the next directly.
        pull_connected_pages.using(run_after=timezone.now() + PULL_EVERY).enqueue()
