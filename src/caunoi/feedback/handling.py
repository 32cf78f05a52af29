"""Handling a report: acknowledge → verify → handle → answer with an outcome → close; re-route,
mark as a complaint or denunciation, redact, merge duplicates; the citizen reopens and rates.

Each step is atomic, permission-checked, audited, kept in the report's history, and tells the
people concerned after it commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.notifications import notify
from caunoi.core.permissions import Action, require
from caunoi.feedback import followers
from caunoi.feedback.counting import counted_save, remember
from caunoi.feedback.models import (
    OPEN_STATES,
    EventKind,
    LegalKind,
    Outcome,
    Report,
    ReportEvent,
    Status,
)
from caunoi.feedback.selectors import handlers_of
from caunoi.feedback.services import Contact, deadlines
from caunoi.feedback.worktime import WorkCalendar

S = Status
OPEN = frozenset(OPEN_STATES)
# The states each step may start from; the staff screen shows only the buttons allowed here.
STARTS_FROM: dict[str, frozenset[str]] = {
    "acknowledge": frozenset({S.RECEIVED}),
    "verify": frozenset({S.RECEIVED, S.ACKNOWLEDGED}),
    "start": frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.VERIFYING}),
    "resolve": OPEN,
    "close": frozenset({S.RESOLVED}),
    "reroute": OPEN,
    "merge": OPEN,
}
MAX_ANSWER = 4000


class ReportError(CaunoiError):
    pass


def _require_state(report: Report, step: str) -> None:
    if report.status not in STARTS_FROM[step]:
        raise ReportError(
            _("Không thể làm bước này: phản ánh đang ở trạng thái “%(state)s”.")
            % {"state": report.get_status_display()}
        )


def _event(
    report: Report,
    kind: str,
    *,
    by: User | None,
    note: str = "",
    public: bool = True,
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        at=timezone.now(),
        kind=kind,
        status=report.status,
        note=note,
        public=public,
        by=by,
        from_unit=from_unit,
        to_unit=to_unit,
    )


def _move(report: Report, status: str, *, by: User | None, note: str = "") -> None:
    before = report.status
    report.status = status
    counted_save(report)
    _event(report, EventKind.STATUS, by=by, note=note)
    audit.record(
        f"caunoi.report.{status}",
        actor=by,
        unit=report.unit,
        obj=report,
        changes={"status": [before, status]},
    )
    followers.tell_followers(report)


def _locked(report: Report) -> Report:
    return remember(
        Report.objects.select_for_update().select_related("unit", "category").get(pk=report.pk)
    )


@transaction.atomic
def report_acknowledge(*, report: Report, by: User, note: str = "") -> Report:
    require(by, Action.REPORT_HANDLE, report.unit)
    report = _locked(report)
    _require_state(report, "acknowledge")
    report.acknowledged_at = timezone.now()
    _move(report, S.ACKNOWLEDGED, by=by, note=note.strip())
    return report


@transaction.atomic
def report_verify(*, report: Report, by: User, note: str = "") -> Report:
    require(by, Action.REPORT_HANDLE, report.unit)
    report = _locked(report)
    _require_state(report, "verify")
    report.acknowledged_at = report.acknowledged_at or timezone.now()
    _move(report, S.VERIFYING, by=by, note=note.strip())
    return report


@transaction.atomic
def report_start(
    *, report: Report, by: User, note: str = "", several_units: bool = False
) -> Report:
    """In progress. With several units involved, the answer deadline grows to its longer form."""
    require(by, Action.REPORT_HANDLE, report.unit)
    report = _locked(report)
    _require_state(report, "start")
    report.acknowledged_at = report.acknowledged_at or timezone.now()
    if several_units and not report.several_units and not report.urgent:
        report.several_units = True
        _ack, report.deadline = deadlines(
            category=report.category,
            received=report.created_at,
            urgent=False,
            several_units=True,
        )
    _move(report, S.IN_PROGRESS, by=by, note=note.strip())
    return report


@transaction.atomic
def report_resolve(
    *,
    report: Report,
    by: User,
    outcome: str,
    answer: str,
    note: str = "",
    duplicate_of: Report | None = None,
) -> Report:
    """The handler's public answer and the outcome; the report counts as answered."""
    require(by, Action.REPORT_HANDLE, report.unit)
    report = _locked(report)
    _require_state(report, "resolve")
    errors = []
    answer, note = answer.strip(), note.strip()
    if outcome not in Outcome.values:
        errors.append(_("Hãy chọn kết quả xử lý."))
    if not answer:
        errors.append(_("Hãy viết câu trả lời công khai cho người dân."))
    elif len(answer) > MAX_ANSWER:
        errors.append(_("Câu trả lời dài quá %(limit)s ký tự.") % {"limit": MAX_ANSWER})
    if outcome == Outcome.CANNOT_FIX and not note:
        errors.append(_("Hãy ghi lý do không thể khắc phục."))
    if outcome == Outcome.NOT_OURS and not note:
        errors.append(_("Hãy ghi cơ quan có thẩm quyền mà người dân nên liên hệ."))
    if outcome == Outcome.DUPLICATE and (duplicate_of is None or duplicate_of.pk == report.pk):
        errors.append(_("Hãy nhập mã của phản ánh mà phản ánh này trùng với."))
    if errors:
        raise ReportError(" ".join(errors))
    now = timezone.now()
    report.outcome = outcome
    report.outcome_note = note
    report.duplicate_of = duplicate_of if outcome == Outcome.DUPLICATE else None
    report.public_answer = answer
    report.answered_at = now
    report.acknowledged_at = report.acknowledged_at or now
    calendar = WorkCalendar.around(report.created_at)
    report.working_days_to_answer = calendar.days_between(report.created_at, now)
    _move(report, S.RESOLVED, by=by, note=note)
    return report


@transaction.atomic
def report_close(*, report: Report, by: User | None) -> Report:
    if by is not None:
        require(by, Action.REPORT_HANDLE, report.unit)
    report = _locked(report)
    _require_state(report, "close")
    report.closed_at = timezone.now()
    _move(report, S.CLOSED, by=by)
    return report


@transaction.atomic
def report_reroute(*, report: Report, to: Unit, reason: str, by: User) -> Report:
    """Send the report to another unit; the reason stays in the history, the unit is told."""
    require(by, Action.REPORT_HANDLE, report.unit)
    report = _locked(report)
    _require_state(report, "reroute")
    reason = reason.strip()
    if not reason:
        raise ReportError(_("Hãy ghi lý do chuyển phản ánh sang đơn vị khác."))
    if to.pk == report.unit_id:
        raise ReportError(_("Phản ánh đã thuộc đơn vị này. Hãy chọn đơn vị khác."))
    before = report.unit
    report.unit = to
    report.escalated_to = None
    report.escalated_at = None
    counted_save(report)
    _event(report, EventKind.REROUTED, by=by, note=reason, from_unit=before, to_unit=to)
    audit.record(
        "caunoi.report.rerouted",
        actor=by,
        unit=to,
        obj=report,
        changes={"unit": [before.name, to.name], "reason": reason},
    )
    notify(
        recipients=handlers_of(to),
        action="caunoi.report.rerouted",
        unit=to,
        title=format_lazy(
            gettext_lazy("Phản ánh {id} được chuyển đến {unit}"), id=report.public_id, unit=to.name
        ),
        body=reason,
        url=f"/staff/reports/{report.pk}/",
    )
    return report


@transaction.atomic
def report_mark_legal(*, report: Report, kind: str, by: User) -> Report:
    """Mark as a complaint or denunciation (or unmark): counted apart, the citizen is guided."""
    require(by, Action.REPORT_HANDLE, report.unit)
    if kind not in LegalKind.values:
        raise ReportError(_("Loại đơn không hợp lệ."))
    report = _locked(report)
    before = report.legal_kind
    report.legal_kind = kind
    counted_save(report)
    _event(report, EventKind.MARKED, by=by, note=report.get_legal_kind_display())
    audit.record(
        "caunoi.report.marked",
        actor=by,
        unit=report.unit,
        obj=report,
        changes={"legal_kind": [before, kind]},
    )
    return report


@transaction.atomic
def report_redact(
    *, report: Report, by: User, public_description: str, hidden_photos: Iterable[int] = ()
) -> Report:
    """What the public sees of the citizen's text and photos (the original stays for staff)."""
    require(by, Action.REPORT_HANDLE, report.unit)
    report = _locked(report)
    hidden = set(hidden_photos)
    before_hidden = sorted(report.photos.filter(hidden=True).values_list("pk", flat=True))
    report.public_description = public_description.strip()
    counted_save(report)
    report.photos.filter(pk__in=hidden).update(hidden=True)
    report.photos.exclude(pk__in=hidden).update(hidden=False)
    audit.record(
        "caunoi.report.redacted",
        actor=by,
        unit=report.unit,
        obj=report,
        changes={
            "hidden_photos": [before_hidden, sorted(hidden)],
            "text_edited": bool(report.public_description),
        },
    )
    return report


def report_merge(*, report: Report, into: Report, by: User) -> Report:
    """`report` duplicates `into`: it is answered as such, its followers follow `into`."""
    require(by, Action.REPORT_HANDLE, into.unit)
    if into.pk == report.pk or into.duplicate_of_id == report.pk:
        raise ReportError(_("Không thể gộp một phản ánh vào chính nó."))
    with transaction.atomic():
        report = report_resolve(
            report=report,
            by=by,
            outcome=Outcome.DUPLICATE,
            duplicate_of=into,
            answer=_("Phản ánh này trùng với phản ánh %(id)s; mời theo dõi kết quả ở đó.")
            % {"id": into.public_id},
        )
        moved = followers.move_followers(source=report, target=into)
        _event(into, EventKind.MERGED, by=by, note=report.public_id)
        audit.record(
            "caunoi.report.merged",
            actor=by,
            unit=into.unit,
            obj=into,
            changes={"merged": report.public_id, "followers_moved": moved},
        )
    return report


def _citizen(report: Report, secret: str) -> None:
    if not secret or not constant_time_compare(secret, report.secret):
        raise ReportError(
            _("Chỉ người gửi phản ánh mới làm được việc này, qua đường dẫn theo dõi riêng của họ.")
        )


@transaction.atomic
def report_reopen(*, report: Report, secret: str, reason: str) -> Report:
    """The citizen says it is not fixed, within the reopening window after the answer."""
    report = _locked(report)
    _citizen(report, secret)
    window = timedelta(days=settings.CAUNOI_REPORT_REOPEN_DAYS)
    if report.status not in (S.RESOLVED, S.CLOSED) or report.answered_at is None:
        raise ReportError(_("Chỉ mở lại được phản ánh đã có kết quả."))
    if timezone.now() > report.answered_at + window:
        raise ReportError(
            _("Đã quá %(days)s ngày kể từ khi có kết quả: hãy gửi một phản ánh mới.")
            % {"days": settings.CAUNOI_REPORT_REOPEN_DAYS}
        )
    reason = reason.strip()
    if not reason:
        raise ReportError(_("Hãy cho biết vì sao vấn đề chưa được giải quyết."))
    report.reopened += 1
    report.closed_at = None
    report.outcome = ""
    _ack, report.deadline = deadlines(
        category=report.category,
        received=timezone.now(),
        urgent=report.urgent,
        several_units=report.several_units,
    )
    report.status = S.IN_PROGRESS
    counted_save(report)
    _event(report, EventKind.REOPENED, by=None, note=reason[:2000])
    audit.record("caunoi.report.reopened", actor=None, unit=report.unit, obj=report)
    notify(
        recipients=handlers_of(report.unit),
        action="caunoi.report.reopened",
        unit=report.unit,
        title=format_lazy(gettext_lazy("Người dân mở lại phản ánh {id}"), id=report.public_id),
        body=reason[:500],
        url=f"/staff/reports/{report.pk}/",
    )
    followers.tell_followers(report)
    return report


@transaction.atomic
def report_rate(*, report: Report, secret: str, rating: int, comment: str = "") -> Report:
    report = _locked(report)
    _citizen(report, secret)
    if report.status not in (S.RESOLVED, S.CLOSED):
        raise ReportError(_("Chỉ đánh giá được khi phản ánh đã có kết quả."))
    if rating not in range(1, 6):
        raise ReportError(_("Hãy chọn từ 1 đến 5 sao."))
    report.rating = rating
    report.rating_comment = comment.strip()[:2000]
    counted_save(report)
    _event(report, EventKind.RATED, by=None, note=str(rating), public=False)
    audit.record(
        "caunoi.report.rated", actor=None, unit=report.unit, obj=report, changes={"rating": rating}
    )
    return report


def report_contact(*, report: Report, by: User) -> Contact:
    """The reporter's contact details, for the unit's handler only; every view is audited."""
    require(by, Action.REPORT_HANDLE, report.unit)
    full = Report.objects.only("contact_name", "contact_phone", "contact_email").get(pk=report.pk)
    audit.record("caunoi.report.contact_viewed", actor=by, unit=report.unit, obj=report)
    return Contact(full.contact_name or "", full.contact_phone or "", full.contact_email or "")
