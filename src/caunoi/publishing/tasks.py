from __future__ import annotations

from datetime import datetime

from django_tasks import task

from caunoi.publishing.services import publish_if_due


@task()
def publish_scheduled(article_id: int, due: str) -> bool:
    """Queued for the scheduled minute; if the worker was down then, it runs when it is back."""
    return publish_if_due(article_id=article_id, due=datetime.fromisoformat(due)) is not None
