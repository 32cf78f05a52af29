"""Reads of reports and categories. Public reads never carry contact details: they defer the
encrypted columns, so they are neither decrypted nor sent anywhere."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from caunoi.core.models import Role, Unit, User
from caunoi.core.permissions import Action, roles_granting
from caunoi.feedback.models import (
    OPEN_STATES,
    Category,
    Photo,
    Report,
    ReportEvent,
    Status,
)

OPEN_VALUES = [s.value for s in OPEN_STATES]
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "secret")


def _chain(unit: Unit) -> list[Unit]:
    return [*Unit.objects.get_ancestors(unit), unit]


def categories_for(*, unit: Unit) -> QuerySet[Category]:
    """The active categories that apply at `unit`: its own and those of every unit above it."""
    paths = [str(u.path) for u in _chain(unit)]
    found: QuerySet[Category] = (
        Category.objects.filter(unit__path__in=paths, active=True)
        .select_related("unit")
        .prefetch_related("attributes")
        .order_by("group", "order", "name")
    )
    return found


def categories_defined(*, unit: Unit) -> QuerySet[Category]:
    """Categories defined at the unit itself (active or not), for its administrators."""
    return Category.objects.filter(unit=unit).prefetch_related("attributes").order_by("order")


def category_by_code(code: str) -> Category | None:
    return Category.objects.filter(code=code).select_related("unit").first()


def report_by_public_id(public_id: str) -> Report | None:
    """The report with this public id (any case, with or without the dash), contact deferred."""
    wanted = public_id.strip().upper()
    if "-" not in wanted and len(wanted) == 8:
        wanted = f"{wanted[:4]}-{wanted[4:]}"
    return (
        Report.objects.filter(public_id=wanted)
        .select_related("category", "unit", "duplicate_of")
        .defer(*CONTACT_FIELDS)
        .first()
    )


def reports_public(
    *,
    unit: Unit,
    category: Category | None = None,
    status: str = "",
    start: date | None = None,
    end: date | None = None,
    open_only: bool | None = None,
) -> QuerySet[Report]:
    """Reports of the unit's subtree for public pages and the Open311 API, newest first.

    `status` is one of ours or Open311's "open"/"closed"; dates are local days, both included."""
    reports = Report.objects.filter(unit__path__startswith=unit.path)
    if category is not None:
        reports = reports.filter(category=category)
    if status == "open" or open_only is True:
        reports = reports.filter(status__in=OPEN_VALUES)
    elif status == "closed" or open_only is False:
        reports = reports.exclude(status__in=OPEN_VALUES)
    elif status in Status.values:
        reports = reports.filter(status=status)
    zone = timezone.get_current_timezone()
    if start is not None:
        reports = reports.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end is not None:
        after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
        reports = reports.filter(created_at__lt=after)
    found: QuerySet[Report] = (
        reports.select_related("category", "unit")
        .defer(*CONTACT_FIELDS)
        .order_by("-created_at", "-id")
    )
    return found


def public_photos(report: Report) -> QuerySet[Photo]:
    """The citizen's photos the public may see (each served blurred where a handler blurred it)."""
    if not report.is_public:
        return Photo.objects.none()
    return report.photos.filter(hidden=False, by_handler=False)


def result_photos(report: Report) -> QuerySet[Photo]:
    """Photos of the result, added by the handler: public once the report is."""
    if not report.is_public:
        return Photo.objects.none()
    return report.photos.filter(hidden=False, by_handler=True)


def public_history(report: Report) -> QuerySet[ReportEvent]:
    events: QuerySet[ReportEvent] = report.events.filter(public=True).select_related("to_unit")
    return events


def handlers_of(unit: Unit) -> list[User]:
    """The people who handle reports of `unit`: those nearest to it in the tree (its own
    handlers, else the closest unit above that has some)."""
    roles = roles_granting(Action.REPORT_HANDLE)
    chain = _chain(unit)
    found = (
        Role.objects.filter(unit__in=chain, name__in=roles, user__is_active=True)
        .select_related("user", "unit")
        .order_by("-unit__depth")
    )
    people: list[User] = []
    depth = None
    for role in found:
        if depth is not None and role.unit.depth != depth:
            break
        depth = role.unit.depth
        people.append(role.user)
    return people


def reports_to_handle(
    *, unit: Unit, status: str = "", category: Category | None = None, overdue: bool = False
) -> QuerySet[Report]:
    """The staff list: reports of the unit's subtree, or escalated to it."""
    reports = Report.objects.filter(Q(unit__path__startswith=unit.path) | Q(escalated_to=unit))
    if status == "open":
        reports = reports.filter(status__in=OPEN_VALUES)
    elif status in Status.values:
        reports = reports.filter(status=status)
    if category is not None:
        reports = reports.filter(category=category)
    if overdue:
        reports = reports.filter(status__in=OPEN_VALUES, deadline__lt=timezone.now())
    found: QuerySet[Report] = (
        reports.select_related("category", "unit").defer(*CONTACT_FIELDS).order_by("deadline")
    )
    return found


def guidance_for(unit: Unit) -> str:
    """The complaint and denunciation guidance of the unit or the nearest unit above with one."""
    from caunoi.feedback.models import UnitGuidance

    chain = _chain(unit)
    found = {
        g.unit_id: g.complaint_guidance
        for g in UnitGuidance.objects.filter(unit__in=chain).exclude(complaint_guidance="")
    }
    for step in reversed(chain):
        if step.pk in found:
            return found[step.pk]
    return ""
