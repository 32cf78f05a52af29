"""The newsletter's confirmation mail (double opt-in), in Vietnamese then English."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from caunoi.channels.connectors.newsletter import confirm_url
from caunoi.channels.models import Subscriber


def confirmation_send(*, subscriber_id: int) -> bool:
    subscriber = Subscriber.objects.select_related("channel__unit").filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.confirmed_at is not None:
        return False
    context = {"channel": subscriber.channel, "confirm": confirm_url(subscriber)}
    EmailMessage(
        subject=render_to_string("channels/email/confirm_subject.txt", context).strip(),
        body=render_to_string("channels/email/confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={"Auto-Submitted": "auto-generated"},
    ).send()
    return True
