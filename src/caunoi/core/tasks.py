"""Background work through Django's Tasks API (django-tasks, database backend)."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult

P = ParamSpec("P")
T = TypeVar("T")


def enqueue_on_commit(work: Task[P, T], *args: Any, **kwargs: Any) -> None:
    """Enqueue after the surrounding transaction commits, never for a rolled-back write."""
    transaction.on_commit(lambda: work.enqueue(*args, **kwargs))


def enqueue_unless_waiting(
    work: Task[P, T], *args: Any, after: timedelta, running_counts: bool = False, **kwargs: Any
) -> bool:
    """Queue `work` to run `after` from now, unless a run of it is already waiting (or, with
    `running_counts`, running): how each recurring job (sweeps, pulls, folds) keeps exactly one
    next run queued with no cron. True when queued. Only the database queue can say what is
    waiting: with another backend nothing is queued."""
    from django.conf import settings
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db."):
        return False
    statuses = [TaskResultStatus.READY]
    if running_counts:
        statuses.append(TaskResultStatus.RUNNING)
    if DBTaskResult.objects.filter(task_path=work.module_path, status__in=statuses).exists():
        return False
    work.using(run_after=timezone.now() + after).enqueue(*args, **kwargs)
    return True


def enqueue_with_transaction(work: Task[P, T], *args: Any, **kwargs: Any) -> None:
    """Enqueue as part of the surrounding transaction when tasks are rows in the same database
    (the database backend): the task row commits with the write, or rolls back with it, and one
    commit serves both. With any other backend, after commit as `enqueue_on_commit`."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    same_database = router.db_for_write(DBTaskResult) in (None, DEFAULT_DB_ALIAS)
    if (
        isinstance(work.get_backend(), DatabaseBackend)
        and same_database
        and transaction.get_connection().in_atomic_block
    ):
        work.enqueue(*args, **kwargs)
    else:
        enqueue_on_commit(work, *args, **kwargs)


def task_row(work: Task[P, T], *args: Any, **kwargs: Any) -> DBTaskResult[Any, Any] | None:
    """For a caller that writes the task with its own rows (core.inserts.insert_together, in
    one statement or in its transaction): the database queue's row for `work(*args,
    **kwargs)`, unsaved, as the backend's own enqueue makes it; after inserting it, call
    `tasks_enqueued`. None when tasks are not rows of this database: then the caller enqueues
    with `enqueue_on_commit` once its rows are written."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import normalize_json
    from django_tasks_db.models import DBTaskResult

    backend = work.get_backend()
    same_database = router.db_for_write(DBTaskResult) in (None, DEFAULT_DB_ALIAS)
    if not (isinstance(backend, DatabaseBackend) and same_database):
        return None
    backend.validate_task(work)
    return DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
        priority=work.priority,
        task_path=work.module_path,
        queue_name=work.queue_name,
        run_after=work.run_after,
        backend_name=backend.alias,
    )


def tasks_enqueued(rows: list[DBTaskResult[Any, Any]]) -> None:
    """Announce inserted task rows, as the backend's enqueue does (django-tasks' signal)."""
    from django_tasks.signals import task_enqueued
    from django_tasks_db.backend import DatabaseBackend

    for row in rows:
        task_enqueued.send(DatabaseBackend, task_result=row.task_result)


@task()
def check_in(note: str) -> dict[str, str]:
    """The smallest real task: proves enqueue → worker → result works end to end."""
    return {"note": note, "worker": socket.gethostname(), "at": timezone.now().isoformat()}
