"""Telling people what happened: a notification each person sees in the staff screens, and an
e-mail the task worker sends once the change that caused it is committed.

Services call `notify` inside their transaction. A mail server that is down fails the e-mail
task (counted in /healthz), never the change itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django_tasks import task

from caunoi.core.models import Notification, Unit, User
from caunoi.core.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

_LANGUAGES = {code for code, _name in settings.LANGUAGES}
_TITLE_LENGTH = Notification._meta.get_field("title").max_length or 300


def language_of(person: User) -> str:
    return person.language if person.language in _LANGUAGES else settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    """A link for outside the site (e-mail), from a path such as /staff/articles/7/."""
    return f"{settings.CAUNOI_BASE_URL}{path}" if path.startswith("/") else path


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TITLE_LENGTH else text[: _TITLE_LENGTH - 1] + "…"


def notify(
    *,
    recipients: Iterable[User],
    action: str,
    unit: Unit | None,
    title: str | Promise,
    body: str | Promise = "",
    url: str = "",
) -> list[Notification]:
    """One notification for each active recipient, worded in that person's language.

    Give `title` and `body` lazily (gettext_lazy, format_lazy) so each person reads their own
    language. `action` is the audit code of what happened, e.g. caunoi.article.approved;
    `url` a path on this site. The e-mails go out in one task after the transaction commits.
    """
    people = {person.pk: person for person in recipients if person.is_active}
    made = []
    for person in people.values():
        with translation.override(language_of(person)):
            made.append(
                Notification(
                    recipient=person,
                    unit=unit,
                    action=action,
                    title=_title(str(title)),
                    body=str(body).strip(),
                    url=url,
                )
            )
    made = Notification.objects.bulk_create(made)
    to_mail = [n.pk for n in made if n.recipient.email]
    if to_mail:
        enqueue_on_commit(send_emails, to_mail)
    return made


def _email(notification: Notification) -> EmailMessage:
    person = notification.recipient
    language = language_of(person)
    with translation.override(language):
        context = {
            "notification": notification,
            "person": person,
            "link": absolute_url(notification.url) if notification.url else "",
        }
        subject = render_to_string("caunoi/email/notification_subject.txt", context)
        body = render_to_string("caunoi/email/notification_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[person.email],
        # Auto-Submitted keeps out-of-office replies from answering a robot.
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )


@task()
def send_emails(notification_ids: list[int]) -> int:
    """Send the e-mails of one batch of notifications over one connection."""
    batch = (
        Notification.objects.filter(pk__in=notification_ids, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient", "unit")
        .order_by("id")
    )
    messages = [_email(n) for n in batch]
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            sent: int = connection.send_messages(messages) or 0
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception(
            "notification e-mails not sent (notifications %s, mail server %s:%s)",
            notification_ids,
            getattr(settings, "EMAIL_HOST", "?"),
            getattr(settings, "EMAIL_PORT", "?"),
        )
        raise  # the task fails, and /healthz counts it
    return sent


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionDenied(f"notification {notification.pk} is not for user {by.pk}")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    return unread_for(by).update(read_at=timezone.now())


def unread_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def received_by(user: User) -> QuerySet[Notification]:
    """A person's notifications, newest first."""
    mine = Notification.objects.filter(recipient=user).select_related("unit")
    return mine.order_by("-created_at", "-id")
