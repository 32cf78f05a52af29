"""Work done after a report's transaction commits: telling handlers, e-mailing followers, and
the periodic sweep (escalation, closing, erasing contact details)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from caunoi.core.notifications import notify
from caunoi.core.tasks import enqueue_unless_waiting
from caunoi.feedback.models import Report
from caunoi.feedback.selectors import handlers_of
from caunoi.feedback.sweep import sweep


@task()
def report_received(report_id: int) -> int:
    """Tell the responsible unit's handlers that a report arrived."""
    report = Report.objects.select_related("unit", "category").filter(pk=report_id).first()
    if report is None:
        return 0
    made = notify(
        recipients=handlers_of(report.unit),
        action="caunoi.report.received",
        unit=report.unit,
        title=format_lazy(
            _("Phản ánh mới {id}: {category}"), id=report.public_id, category=report.category.name
        ),
        body=report.description[:500],
        url=f"/staff/reports/{report.pk}/",
    )
    return len(made)


SWEEP_EVERY = timedelta(hours=1)


@task()
def sweep_reports(reschedule: bool = True) -> dict[str, int]:
    """The hourly sweep; it queues its own next run unless one is already waiting."""
    result = sweep()
    if reschedule:
        sweep_schedule()
    return {
        "escalated": result.escalated,
        "closed": result.closed,
        "erased": result.erased,
        "photos_erased": result.photos_erased,
    }


def sweep_schedule() -> bool:
    """Queue the next sweep in an hour, unless one is already waiting. True when queued."""
    return enqueue_unless_waiting(sweep_reports, True, after=SWEEP_EVERY)
