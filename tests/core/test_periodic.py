"""A starting worker queues every app's recurring work once, so erasing contact details on
schedule needs no cron and no one to remember a first run."""

from __future__ import annotations

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from caunoi.cli import start_periodic

RECURRING = {
    "caunoi.feedback.tasks.sweep_reports",
    "caunoi.channels.tasks.sweep_deliveries",
    "caunoi.metrics.tasks.pull_connected_pages",
    "caunoi.publishing.tasks.sweep_orphans",
    "caunoi.surveys.tasks.fold_tallies",
}


def _waiting() -> list[str]:
    return list(
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).values_list(
            "task_path", flat=True
        )
    )


@pytest.mark.django_db
def test_a_starting_worker_queues_each_recurring_task_once() -> None:
    start_periodic()
    start_periodic()
    waiting = _waiting()
    assert set(waiting) >= RECURRING
    assert all(waiting.count(path) == 1 for path in RECURRING)
