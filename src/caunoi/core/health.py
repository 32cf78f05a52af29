"""/healthz: is the database reachable, and is the task queue moving?"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def _task_state() -> dict[str, object]:
    now = timezone.now()
    ready = DBTaskResult.objects.filter(status="READY")
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "ready": ready.count(),
        "running": DBTaskResult.objects.filter(status="RUNNING").count(),
        "failed_last_24h": DBTaskResult.objects.filter(
            status="FAILED", finished_at__gte=now - timedelta(hours=24)
        ).count(),
        "oldest_ready_seconds": int((now - oldest).total_seconds()) if oldest else 0,
    }


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        tasks = _task_state()
    except DatabaseError as error:
        logger.warning("healthz: database unreachable: %s", error)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "tasks": tasks})
