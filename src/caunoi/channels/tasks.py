from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from caunoi.channels.deliveries import SWEEP_EVERY, deliveries_requeue, delivery_attempt


@task()
def deliver(delivery_id: int) -> str:
    """One attempt at one delivery; its own task, so channels never wait for each other."""
    delivery = delivery_attempt(delivery_id=delivery_id)
    sweep_schedule()
    return delivery.status if delivery is not None else "nothing to do"


@task()
def sweep_deliveries() -> int:
    """Every few minutes while deliveries are being made: queue again what was lost."""
    return deliveries_requeue()


def sweep_schedule() -> bool:
    """Queue the next sweep unless one is already waiting. True when queued."""
    from django.conf import settings
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return False  # only the database queue can say whether a sweep is already waiting
    waiting = DBTaskResult.objects.filter(
        task_path=sweep_deliveries.module_path, status=TaskResultStatus.READY
    ).exists()
    if waiting:
        return False
    sweep_deliveries.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()
    return True


@task()
def send_confirmation(subscriber_id: int) -> bool:
    from caunoi.channels.mail import confirmation_send

    return confirmation_send(subscriber_id=subscriber_id)
