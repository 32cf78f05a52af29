"""Following a report by e-mail: the address is confirmed first (double opt-in), then gets a
message at every public step. Addresses are encrypted like contact details, found again through
a keyed hash, and each message carries a link to stop."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.notifications import absolute_url
from caunoi.core.tasks import enqueue_on_commit
from caunoi.feedback.models import Follower, Report

logger = logging.getLogger(__name__)
_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class FollowError(CaunoiError):
    pass


def email_key(email: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


def follow_request(*, report: Report, email: str, language: str = "vi") -> Follower:
    """Ask to follow: a confirmation e-mail goes out; nothing is sent until it is confirmed."""
    from caunoi.feedback.services import _EMAIL

    email = email.strip()
    if not email or len(email) > 254 or not _EMAIL.match(email):
        raise FollowError(_("Địa chỉ thư điện tử không hợp lệ, ví dụ ten@vidu.vn."))
    with transaction.atomic():
        follower, created = Follower.objects.get_or_create(
            report=report,
            email_key=email_key(email),
            defaults={
                "email": email,
                "token": secrets.token_urlsafe(24),
                "language": language if language in _LANGUAGES else settings.LANGUAGE_CODE,
            },
        )
        if follower.confirmed_at is None:
            enqueue_on_commit(send_follow_mail, follower.pk, "confirm")
        if created:
            audit.record("caunoi.report.follow_requested", actor=None, unit=report.unit, obj=report)
    return follower


def follow_confirm(*, token: str) -> Follower:
    follower = Follower.objects.select_related("report").filter(token=token).first()
    if follower is None:
        raise FollowError(_("Đường dẫn xác nhận không còn hiệu lực. Hãy đăng ký theo dõi lại."))
    if follower.confirmed_at is None:
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])
        audit.record("caunoi.report.followed", actor=None, unit=None, obj=follower.report)
    return follower


def unfollow(*, token: str) -> Report | None:
    follower = Follower.objects.select_related("report").filter(token=token).first()
    if follower is None:
        return None
    report = follower.report
    follower.delete()
    audit.record("caunoi.report.unfollowed", actor=None, unit=None, obj=report)
    return report


def move_followers(*, source: Report, target: Report) -> int:
    """Followers of a merged duplicate now follow the report it duplicates."""
    known = set(target.followers.values_list("email_key", flat=True))
    moving = source.followers.exclude(email_key__in=known)
    count = moving.update(report=target)
    return count


def tell_followers(report: Report) -> None:
    if report.followers.filter(confirmed_at__isnull=False).exists():
        enqueue_on_commit(send_updates, report.pk, report.status)


def tracking_path(report: Report) -> str:
    return f"/phan-anh/{report.public_id}/"


def _message(follower: Follower, kind: str) -> EmailMessage:
    report = follower.report
    with translation.override(follower.language):
        context = {
            "report": report,
            "kind": kind,
            "tracking": absolute_url(tracking_path(report)),
            "confirm": absolute_url(f"/phan-anh/theo-doi/{follower.token}/"),
            "stop": absolute_url(f"/phan-anh/bo-theo-doi/{follower.token}/"),
        }
        if kind == "confirm":
            subject = _("Xác nhận theo dõi phản ánh %(id)s") % {"id": report.public_id}
        else:
            subject = _("Phản ánh %(id)s: %(status)s") % {
                "id": report.public_id,
                "status": report.get_status_display(),
            }
        body = render_to_string("feedback/email/follower.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[follower.email],
        headers={
            "Auto-Submitted": "auto-generated",
            "Content-Language": follower.language,
            "List-Unsubscribe": f"<{context['stop']}>",
        },
    )


@task()
def send_follow_mail(follower_id: int, kind: str) -> int:
    follower = Follower.objects.select_related("report").filter(pk=follower_id).first()
    if follower is None:
        return 0
    return _send([_message(follower, kind)])


@task()
def send_updates(report_id: int, status: str) -> int:
    """One e-mail to each confirmed follower about the report's new state."""
    followers = Follower.objects.filter(
        report_id=report_id, confirmed_at__isnull=False
    ).select_related("report", "report__unit")
    return _send([_message(f, "update") for f in followers])


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            sent: int = connection.send_messages(messages) or 0
    except OSError:
        logger.exception("follower e-mails not sent (%s messages)", len(messages))
        raise
    return sent
