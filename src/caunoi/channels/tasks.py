from __future__ import annotations

from django_tasks import task

from caunoi.channels.deliveries import SWEEP_EVERY, deliveries_requeue, delivery_attempt
from caunoi.core.tasks import enqueue_unless_waiting


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
    return enqueue_unless_waiting(sweep_deliveries, after=SWEEP_EVERY)


@task()
def send_confirmation(subscriber_id: int) -> bool:
    from caunoi.channels.mail import confirmation_send

    return confirmation_send(subscriber_id=subscriber_id)
