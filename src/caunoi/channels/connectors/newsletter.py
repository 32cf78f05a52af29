"""E-mail newsletter: one mail per confirmed subscriber, each with its own one-click
unsubscribe link in the text and in the List-Unsubscribe and List-Unsubscribe-Post headers
(RFC 8058). The recipients already served are kept on the delivery, so a retry after a mail
server failure sends only to those who have not had the mail yet."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from caunoi.channels.connectors.base import Outcome, Posted, RetryLater
from caunoi.channels.connectors.content import post_of
from caunoi.channels.models import Delivery, Subscriber
from caunoi.core.notifications import absolute_url


def unsubscribe_url(subscriber: Subscriber) -> str:
    unit = subscriber.channel.unit
    return absolute_url(f"{unit.get_portal_url()}ban-tin/huy/{subscriber.token}/")


def confirm_url(subscriber: Subscriber) -> str:
    unit = subscriber.channel.unit
    return absolute_url(f"{unit.get_portal_url()}ban-tin/xac-nhan/{subscriber.token}/")


def _recipients(delivery: Delivery) -> list[Subscriber]:
    return list(
        Subscriber.objects.filter(channel=delivery.channel, confirmed_at__isnull=False)
        .select_related("channel__unit")
        .order_by("pk")
    )


def _mail(delivery: Delivery, subscriber: Subscriber) -> EmailMultiAlternatives:
    post = post_of(delivery)
    leave = unsubscribe_url(subscriber)
    context = {"post": post, "unsubscribe": leave, "channel": delivery.channel, "d": delivery}
    text = render_to_string("channels/email/newsletter.txt", context)
    html = render_to_string("channels/email/newsletter.html", context)
    mail = EmailMultiAlternatives(
        subject=post.title,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{delivery.channel.name} <channel-{delivery.channel.pk}.caunoi>",
            "Auto-Submitted": "auto-generated",
            "Content-Language": "vi",
        },
    )
    mail.attach_alternative(html, "text/html")
    return mail


class Newsletter:
    def find(self, delivery: Delivery) -> Outcome | None:
        done = set(delivery.progress.get("sent_to", []))
        if done and all(s.pk in done for s in _recipients(delivery)):
            return Posted(f"{len(done)}")
        return None

    def send(self, delivery: Delivery) -> Outcome:
        done: list[int] = list(delivery.progress.get("sent_to", []))
        todo = [s for s in _recipients(delivery) if s.pk not in set(done)]
        try:
            with get_connection() as connection:
                for subscriber in todo:
                    connection.send_messages([_mail(delivery, subscriber)])
                    done.append(subscriber.pk)
                    delivery.progress["sent_to"] = done
                    Delivery.objects.filter(pk=delivery.pk).update(progress=delivery.progress)
        except OSError as error:  # smtplib's errors are OSErrors too
            raise RetryLater(
                f"mail server: {error} ({len(done)} of {len(done) + len(todo)} sent)"
            ) from None
        return Posted(f"{len(done)}")
