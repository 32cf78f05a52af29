"""E-mails to the press, sent by the task worker after the change that caused them commits:
briefing invitations, updates and cancellations (each with its .ics), and press releases.
Outlets read Vietnamese first; every e-mail carries the English text below it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from email.mime.text import MIMEText
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django_tasks import task

from caunoi.core.notifications import absolute_url
from caunoi.press import ics
from caunoi.press.models import Briefing, Invitation, InvitationMethod, ReleaseOutlet
from caunoi.publishing.models import ArticleState
from caunoi.publishing.selectors import article_url

logger = logging.getLogger(__name__)


def _both(write: Callable[[], str]) -> str:
    """The same text in Vietnamese, then in English."""
    parts = []
    for language in ("vi", "en"):
        with translation.override(language):
            parts.append(write())
    return "\n\n— English —\n\n".join(parts)


def _subject(write: Callable[[], str]) -> str:
    with translation.override("vi"):
        return " ".join(write().split())


def _when(briefing: Briefing) -> str:
    start = timezone.localtime(briefing.starts_at)
    end = timezone.localtime(briefing.ends_at)
    return f"{start:%H:%M}–{end:%H:%M} {start:%d/%m/%Y}"


def _invitation_text(invitation: Invitation) -> str:
    briefing = invitation.briefing
    if invitation.method == InvitationMethod.CANCEL:
        lead = _("%(unit)s thông báo huỷ buổi giao ban báo chí “%(title)s” (%(when)s).")
    elif invitation.sequence > 0:
        lead = _("%(unit)s thông báo thay đổi buổi giao ban báo chí “%(title)s”: %(when)s.")
    else:
        lead = _(
            "%(unit)s trân trọng kính mời quý cơ quan dự giao ban báo chí “%(title)s”: %(when)s."
        )
    lines = [lead % {"unit": briefing.unit.name, "title": briefing.title, "when": _when(briefing)}]
    if briefing.place:
        lines.append(_("Địa điểm: %(place)s") % {"place": briefing.place})
    if briefing.change_note:
        lines.append(_("Lý do: %(note)s") % {"note": briefing.change_note})
    if briefing.agenda and invitation.method != InvitationMethod.CANCEL:
        lines.append(_("Nội dung: %(agenda)s") % {"agenda": briefing.agenda})
    lines.append(_("Tệp lịch (.ics) đính kèm cập nhật lịch của quý cơ quan."))
    return "\n".join(lines)


def _invitation_subject(invitation: Invitation) -> str:
    briefing = invitation.briefing
    if invitation.method == InvitationMethod.CANCEL:
        text = _("Huỷ giao ban báo chí: %(title)s")
    elif invitation.sequence > 0:
        text = _("Thay đổi lịch giao ban báo chí: %(title)s")
    else:
        text = _("Giấy mời giao ban báo chí: %(title)s")
    return text % {"title": briefing.title}


def _invitation_email(invitation: Invitation) -> EmailMessage:
    briefing = invitation.briefing
    to = invitation.recipients.split()
    cancel = invitation.method == InvitationMethod.CANCEL
    message = EmailMessage(
        subject=_subject(partial(_invitation_subject, invitation)),
        body=_both(partial(_invitation_text, invitation)),
        to=to,
        headers={"Auto-Submitted": "auto-generated", "Content-Language": "vi, en"},
    )
    organizer = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    data = ics.invitation(briefing, cancel=cancel, organizer=organizer, attendees=to)
    part = MIMEText(data.decode(), "calendar", "utf-8")
    part.set_param("method", invitation.method)
    part.add_header("Content-Disposition", "attachment", filename="giao-ban.ics")
    message.attach(part)
    return message


def _deliver(messages: list[EmailMessage], what: str) -> None:
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except OSError:
        logger.exception("press e-mails not sent (%s)", what)
        raise


@task()
def send_invitations(invitation_ids: list[int]) -> int:
    batch = list(
        Invitation.objects.filter(pk__in=invitation_ids, sent_at__isnull=True)
        .exclude(recipients="")
        .select_related("briefing__unit", "outlet")
        .order_by("id")
    )
    if not batch:
        return 0
    _deliver([_invitation_email(i) for i in batch], f"invitations {invitation_ids}")
    Invitation.objects.filter(pk__in=[i.pk for i in batch]).update(sent_at=timezone.now())
    return len(batch)


def _release_subject(row: ReleaseOutlet) -> str:
    return _("Thông cáo báo chí: %(title)s") % {"title": row.article.title}


def _release_text(row: ReleaseOutlet) -> str:
    article = row.article
    link = absolute_url(article_url(article))
    lines = [
        _("%(unit)s gửi quý cơ quan thông cáo báo chí:") % {"unit": article.unit.name},
        "",
        article.title,
        "",
    ]
    if article.summary:
        lines += [article.summary, ""]
    body = " ".join(strip_tags(article.body).split())
    if body:
        lines += [body, ""]
    lines.append(_("Bản chính thức: %(link)s") % {"link": link})
    return "\n".join(lines)


@task()
def send_release(article_id: int) -> int:
    """Send a published press release to each chosen outlet not yet sent to."""
    rows = list(
        ReleaseOutlet.objects.filter(
            article_id=article_id,
            sent_at__isnull=True,
            article__state=ArticleState.PUBLISHED,
        )
        .select_related("article__unit", "outlet")
        .prefetch_related("outlet__journalists")
        .order_by("id")
    )
    from caunoi.press.selectors import outlet_addresses

    messages = []
    for row in rows:
        to = outlet_addresses(row.outlet)
        if not to:
            row.error = "no e-mail address"
            row.save(update_fields=["error"])
            continue
        row.recipients = "\n".join(to)
        messages.append(
            EmailMessage(
                subject=_subject(partial(_release_subject, row)),
                body=_both(partial(_release_text, row)),
                to=to,
                headers={"Auto-Submitted": "auto-generated", "Content-Language": "vi, en"},
            )
        )
    if not messages:
        return 0
    _deliver(messages, f"press release {article_id}")
    now = timezone.now()
    for row in rows:
        if row.recipients:
            row.sent_at = now
            row.error = ""
            row.save(update_fields=["sent_at", "recipients", "error"])
    return len(messages)
