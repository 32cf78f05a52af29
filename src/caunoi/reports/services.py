"""Writes of reports: deadlines set by an upper level, a unit's periodic report from draft to
submission (frozen), the upper level's comments and requests for revision, document settings
and background exports. Each is atomic, permission-checked and audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.notifications import notify
from caunoi.core.permissions import Action, require, roles_granting
from caunoi.core.tasks import enqueue_on_commit
from caunoi.reports.counters import count, count_many  # noqa: F401 - apps feed counters here
from caunoi.reports.models import (
    DOCUMENT_LANGUAGES,
    DocumentSettings,
    Export,
    PeriodicReport,
    ReportComment,
    ReportRequest,
    ReportState,
)
from caunoi.reports.sections import Period
from caunoi.reports.selectors import report_data

S = ReportState


def _people_with(action: Action, units: list[Unit]) -> list[User]:
    return list(
        User.objects.filter(roles__unit__in=units, roles__name__in=roles_granting(action))
        .distinct()
        .order_by("pk")
    )


def report_path(report: PeriodicReport) -> str:
    return reverse("reports:periodic", args=[report.pk])


@transaction.atomic
def request_create(*, unit: Unit, period: Period, deadline: date, by: User) -> ReportRequest:
    """Ask every unit directly below `unit` for its report of `period` by `deadline`."""
    require(by, Action.PERIODIC_REPORT_REVIEW, unit)
    if deadline < period.end:
        raise CaunoiError(
            _("Hạn nộp (%(deadline)s) phải từ ngày cuối kỳ (%(end)s) trở đi.")
            % {"deadline": f"{deadline:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"}
        )
    if ReportRequest.objects.filter(unit=unit, start=period.start, end=period.end).exists():
        raise CaunoiError(_("Đơn vị đã giao hạn nộp báo cáo cho kỳ này rồi."))
    request = ReportRequest.objects.create(
        unit=unit,
        kind=period.kind,
        start=period.start,
        end=period.end,
        deadline=deadline,
        created_by=by,
    )
    PeriodicReport.objects.filter(
        unit__in=Unit.objects.get_children(unit), start=period.start, end=period.end, request=None
    ).update(request=request)
    audit.record(
        "caunoi.report_request.created",
        actor=by,
        unit=unit,
        obj=request,
        changes={"deadline": [None, deadline.isoformat()]},
    )
    notify(
        recipients=_people_with(
            Action.PERIODIC_REPORT_PREPARE, list(Unit.objects.get_children(unit))
        ),
        action="caunoi.report_request.created",
        unit=unit,
        title=format_lazy(
            gettext_lazy("{unit} yêu cầu nộp báo cáo kỳ {start} – {end} trước ngày {deadline}"),
            unit=unit.name,
            start=f"{period.start:%d/%m/%Y}",
            end=f"{period.end:%d/%m/%Y}",
            deadline=f"{deadline:%d/%m/%Y}",
        ),
    )
    return request


@transaction.atomic
def report_prepare(*, unit: Unit, period: Period, by: User) -> PeriodicReport:
    """The unit's report of `period`: the existing one, or a new draft."""
    require(by, Action.PERIODIC_REPORT_PREPARE, unit)
    parent = Unit.objects.get_parent(unit)
    request = (
        ReportRequest.objects.filter(unit=parent, start=period.start, end=period.end).first()
        if parent is not None
        else None
    )
    report, created = PeriodicReport.objects.get_or_create(
        unit=unit,
        start=period.start,
        end=period.end,
        defaults={"kind": period.kind, "request": request},
    )
    if created:
        audit.record("caunoi.periodic_report.prepared", actor=by, unit=unit, obj=report)
    return report


def _editable(report: PeriodicReport) -> None:
    if report.state == S.SUBMITTED:
        raise CaunoiError(
            _("Báo cáo đã nộp nên không sửa được nữa; cấp trên có thể yêu cầu sửa lại.")
        )


@transaction.atomic
def report_save(
    *, report: PeriodicReport, achievements: str, limitations: str, next_tasks: str, by: User
) -> PeriodicReport:
    require(by, Action.PERIODIC_REPORT_PREPARE, report.unit)
    report = PeriodicReport.objects.select_for_update().get(pk=report.pk)
    _editable(report)
    before = {
        "achievements": report.achievements,
        "limitations": report.limitations,
        "next_tasks": report.next_tasks,
    }
    after = {"achievements": achievements, "limitations": limitations, "next_tasks": next_tasks}
    for field, value in after.items():
        setattr(report, field, value.strip())
    report.save()
    audit.record(
        "caunoi.periodic_report.saved",
        actor=by,
        unit=report.unit,
        obj=report,
        changes=audit.diff(before, after),
    )
    return report


@transaction.atomic
def report_submit(*, report: PeriodicReport, by: User) -> PeriodicReport:
    """Freeze the figures as they are now and hand the report to the level above."""
    require(by, Action.PERIODIC_REPORT_PREPARE, report.unit)
    report = PeriodicReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    _editable(report)
    if not report.achievements.strip():
        raise CaunoiError(_("Hãy viết phần kết quả đạt được trước khi nộp báo cáo."))
    period = Period(report.start, report.end, report.kind)
    report.snapshot = report_data(unit=report.unit, period=period)
    if report.number is None:
        top = PeriodicReport.objects.filter(
            unit=report.unit, submitted_at__year=timezone.localdate().year
        ).aggregate(top=Max("number"))["top"]
        report.number = (top or 0) + 1
    before = report.state
    report.state = S.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.save()
    audit.record(
        "caunoi.periodic_report.submitted",
        actor=by,
        unit=report.unit,
        obj=report,
        changes={"state": [before, report.state], "number": [None, report.number]},
    )
    parent = Unit.objects.get_parent(report.unit)
    if parent is not None:
        notify(
            recipients=[
                p for p in _people_with(Action.PERIODIC_REPORT_REVIEW, [parent]) if p.pk != by.pk
            ],
            action="caunoi.periodic_report.submitted",
            unit=parent,
            title=format_lazy(gettext_lazy("{unit} đã nộp báo cáo định kỳ"), unit=report.unit.name),
            url=report_path(report),
        )
    return report


def _reviewer(report: PeriodicReport, by: User) -> Unit:
    parent = Unit.objects.get_parent(report.unit)
    if parent is None:
        raise CaunoiError(_("Đơn vị cấp cao nhất không có cấp trên xem xét báo cáo."))
    require(by, Action.PERIODIC_REPORT_REVIEW, parent)
    return parent


@transaction.atomic
def report_comment(
    *, report: PeriodicReport, text: str, by: User, ask_revision: bool = False
) -> ReportComment:
    """The upper level's remark on a submitted report, optionally sending it back."""
    parent = _reviewer(report, by)
    text = text.strip()
    if not text:
        raise CaunoiError(_("Hãy viết ý kiến trước khi gửi."))
    report = PeriodicReport.objects.select_for_update().get(pk=report.pk)
    if report.state == S.DRAFT:
        raise CaunoiError(_("Báo cáo chưa được nộp nên chưa thể nhận ý kiến."))
    if ask_revision and report.state != S.SUBMITTED:
        raise CaunoiError(_("Báo cáo đang được sửa lại rồi."))
    comment = ReportComment.objects.create(
        report=report, author=by, text=text, asks_revision=ask_revision
    )
    changes: dict[str, list[object]] = {"comment": [None, text]}
    if ask_revision:
        changes["state"] = [report.state, S.RETURNED]
        report.state = S.RETURNED
        report.save(update_fields=["state", "updated_at"])
    action = "caunoi.periodic_report." + ("returned" if ask_revision else "commented")
    audit.record(action, actor=by, unit=report.unit, obj=report, changes=changes)
    notify(
        recipients=_people_with(Action.PERIODIC_REPORT_PREPARE, [report.unit]),
        action=action,
        unit=parent,
        title=format_lazy(
            gettext_lazy("{unit} yêu cầu sửa lại báo cáo")
            if ask_revision
            else gettext_lazy("{unit} có ý kiến về báo cáo"),
            unit=parent.name,
        ),
        body=text,
        url=report_path(report),
    )
    return comment


@transaction.atomic
def settings_save(
    *,
    unit: Unit,
    symbol: str,
    place: str,
    signer_title: str,
    signer_name: str,
    recipients: str,
    template: IO[bytes] | None,
    template_name: str = "template.docx",
    language: str = "vi",
    by: User,
) -> DocumentSettings:
    """Save how the unit's documents look; a template is checked before anything is saved."""
    require(by, Action.PERIODIC_REPORT_PREPARE, unit)
    if language not in dict(DOCUMENT_LANGUAGES):
        raise CaunoiError(_("Hãy chọn tiếng Việt hoặc tiếng Anh cho văn bản."))
    if template is not None:
        from caunoi.reports.documents import open_template  # python-docx loads on use only

        open_template(template)
        template.seek(0)
    found, _created = DocumentSettings.objects.get_or_create(unit=unit)
    fields = ("symbol", "place", "signer_title", "signer_name", "recipients", "language")
    before = {name: getattr(found, name) for name in fields}
    after = {
        "symbol": symbol.strip(),
        "place": place.strip(),
        "signer_title": signer_title.strip(),
        "signer_name": signer_name.strip(),
        "recipients": recipients.strip(),
        "language": language,
    }
    for name, value in after.items():
        setattr(found, name, value)
    changes = audit.diff(before, after)
    if template is not None:
        if found.template:
            found.template.delete(save=False)
        found.template.save(template_name, ContentFile(template.read()), save=False)
        changes["template"] = [None, found.template.name]
    found.save()
    audit.record(
        "caunoi.document_settings.changed", actor=by, unit=unit, obj=found, changes=changes
    )
    return found


@transaction.atomic
def template_reset(*, unit: Unit, by: User) -> None:
    require(by, Action.PERIODIC_REPORT_PREPARE, unit)
    found = DocumentSettings.objects.filter(unit=unit).first()
    if found is not None and found.template:
        name = found.template.name
        found.template.delete(save=True)
        audit.record(
            "caunoi.document_settings.changed",
            actor=by,
            unit=unit,
            obj=found,
            changes={"template": [name, None]},
        )


@transaction.atomic
def export_start(
    *, unit: Unit, period: Period, format: str, by: User, report: PeriodicReport | None = None
) -> Export:
    """Queue a DOCX or XLSX export; the worker writes it and it stays downloadable a while."""
    require(by, Action.UNIT_VIEW, unit)
    if format not in ("docx", "xlsx"):
        raise CaunoiError(_("Chỉ xuất được tệp Word (docx) hoặc Excel (xlsx)."))
    export = Export.objects.create(
        unit=unit,
        report=report,
        kind=period.kind,
        start=period.start,
        end=period.end,
        format=format,
        requested_by=by,
        expires_at=timezone.now() + timedelta(hours=settings.CAUNOI_REPORT_EXPORT_HOURS),
    )
    audit.record(
        "caunoi.report_export.requested",
        actor=by,
        unit=unit,
        obj=export,
        changes={"format": [None, format], "period": [None, f"{period.start}–{period.end}"]},
    )
    from caunoi.reports.tasks import export_run

    enqueue_on_commit(export_run, export.pk)
    return export


def exports_purge() -> int:
    """Delete the files of exports past their keeping time; returns how many."""
    expired = Export.objects.filter(expires_at__lt=timezone.now()).exclude(file="")
    n = 0
    for export in expired:
        export.file.delete(save=True)
        n += 1
    return n
