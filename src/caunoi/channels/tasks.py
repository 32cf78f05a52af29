from __future__ import annotations

from django_tasks import task

from caunoi.channels.deliveries import delivery_attempt


@task()
def deliver(delivery_id: int) -> str:
    """One attempt at one delivery; its own task, so channels never wait for each other."""
    delivery = delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "nothing to do"


@task()
def send_confirmation(subscriber_id: int) -> bool:
    from caunoi.channels.mail import confirmation_send

    return confirmation_send(subscriber_id=subscriber_id)
