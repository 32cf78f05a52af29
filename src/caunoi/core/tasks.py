"""Background work through Django's Tasks API (django-tasks, database backend)."""

from __future__ import annotations

import socket
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

P = ParamSpec("P")
T = TypeVar("T")


def enqueue_on_commit(work: Task[P, T], *args: Any, **kwargs: Any) -> None:
    """Enqueue after the surrounding transaction commits, never for a rolled-back write."""
    transaction.on_commit(lambda: work.enqueue(*args, **kwargs))


@task()
def check_in(note: str) -> dict[str, str]:
    """The smallest real task: proves enqueue → worker → result works end to end."""
    return {"note": note, "worker": socket.gethostname(), "at": timezone.now().isoformat()}
