"""What time does to reports, run by the worker every hour (and by `caunoi feedback sweep`):
overdue reports escalate to the parent unit, answers not reopened in time close, and contact
details (and the unblurred originals of redacted photos) are erased once a closed report's
retention period ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from caunoi.core import audit
from caunoi.core.models import Unit
from caunoi.core.notifications import notify
from caunoi.feedback.models import OPEN_STATES, EventKind, Report, ReportEvent, Status
from caunoi.feedback.selectors import handlers_of


@dataclass
class SweepResult:
    escalated: int = 0
    closed: int = 0
    erased: int = 0
    photos_erased: int = 0


def escalate_overdue(now: datetime) -> int:
    """Each open report past its deadline goes once to the parent of its unit, who is told."""
    due = Report.objects.filter(
        status__in=list(OPEN_STATES), deadline__lt=now, escalated_at__isnull=True
    ).select_related("unit")
    count = 0
    for report in due.iterator():
        parent = Unit.objects.get_parent(report.unit)
        with transaction.atomic():
            report.escalated_at = now
            report.escalated_to = parent
            report.save(update_fields=["escalated_at", "escalated_to", "updated_at"])
            ReportEvent.objects.create(
                report=report,
                at=now,
                kind=EventKind.ESCALATED,
                status=report.status,
                public=False,
                from_unit=report.unit,
                to_unit=parent,
            )
            audit.record("caunoi.report.escalated", actor=None, unit=parent, obj=report)
            if isinstance(parent, Unit):
                notify(
                    recipients=handlers_of(parent),
                    action="caunoi.report.escalated",
                    unit=parent,
                    title=format_lazy(
                        gettext_lazy("Quá hạn: phản ánh {id} của {unit}"),
                        id=report.public_id,
                        unit=report.unit.name,
                    ),
                    url=f"/staff/reports/{report.pk}/",
                )
        count += 1
    return count


def close_answered(now: datetime) -> int:
    from caunoi.feedback.handling import report_close

    window = timedelta(days=settings.CAUNOI_REPORT_REOPEN_DAYS)
    due = Report.objects.filter(status=Status.RESOLVED, answered_at__lt=now - window)
    count = 0
    for report in due.select_related("unit").iterator():
        report_close(report=report, by=None)
        count += 1
    return count


def erase_contacts(now: datetime) -> int:
    """Blank the contact details of reports closed longer ago than the retention period."""
    keep = timedelta(days=settings.CAUNOI_REPORT_CONTACT_RETENTION_DAYS)
    due = Report.objects.filter(
        status=Status.CLOSED, closed_at__lt=now - keep, contact_erased_at__isnull=True
    )
    with transaction.atomic():
        ids = list(due.values_list("pk", flat=True))
        count = Report.objects.filter(pk__in=ids).update(
            contact_name="", contact_phone="", contact_email="", contact_erased_at=now
        )
        if count:
            audit.record(
                "caunoi.report.contacts_erased",
                actor=None,
                changes={"reports": count, "retention_days": keep.days},
            )
    return count


def sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    from caunoi.feedback.photos import erase_originals

    return SweepResult(
        escalated=escalate_overdue(now),
        closed=close_answered(now),
        erased=erase_contacts(now),
        photos_erased=erase_originals(now),
    )
