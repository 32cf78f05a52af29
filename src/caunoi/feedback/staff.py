"""Staff screens for reports: the unit's list, one report with its steps, the reporter's
contact details behind an audited button, and taking a report by phone or at the desk."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.core import selectors as core_selectors
from caunoi.core.errors import CaunoiError
from caunoi.core.permissions import Action, can, require
from caunoi.feedback import handling, selectors
from caunoi.feedback.duplicates import suggest_duplicates
from caunoi.feedback.forms import RedactForm, ReportForm, RerouteForm, ResolveForm
from caunoi.feedback.models import AnswerTemplate, LegalKind, Report, Source, Status
from caunoi.feedback.photos import regions_text
from caunoi.feedback.services import Contact, ReportRejected, report_submit
from caunoi.staff.views import _context, _unit, _user

PAGE = 30


def _report(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("category", "unit", "duplicate_of", "escalated_to").defer(
            *selectors.CONTACT_FIELDS
        ),
        pk=pk,
    )
    user = _user(request)
    if not (
        can(user, Action.REPORT_HANDLE, report.unit)
        or (
            report.escalated_to is not None and can(user, Action.REPORT_HANDLE, report.escalated_to)
        )
    ):
        raise Http404  # a report of another unit does not exist for this person
    return report


@login_required
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.REPORT_HANDLE)
    status = request.GET.get("status", "open")
    overdue = request.GET.get("overdue") == "1"
    reports = selectors.reports_to_handle(unit=unit, status=status, overdue=overdue)
    page = Paginator(reports, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/staff_list.html",
        _context(
            request,
            unit,
            page=page,
            status=status,
            overdue=overdue,
            statuses=Status.choices,
            now=timezone.now(),
            query=f"status={status}" + ("&overdue=1" if overdue else ""),
        ),
    )


def _steps(report: Report) -> dict[str, bool]:
    return {step: report.status in allowed for step, allowed in handling.STARTS_FROM.items()}


@login_required
def report_detail(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    report = _report(request, pk)
    templates = AnswerTemplate.objects.filter(category=report.category)
    chosen = templates.filter(pk=request.GET.get("mau") or 0).first()
    resolve_form = forms.get("resolve_form") or ResolveForm(
        initial={"answer": chosen.body} if chosen else None
    )
    reroute_form = forms.get("reroute_form") or RerouteForm()
    _reroute_choices(reroute_form, report)
    redact_form = forms.get("redact_form") or RedactForm(
        initial={
            "public_description": report.public_description,
            "hidden_photos": [str(p.pk) for p in report.photos.all() if p.hidden],
        }
    )
    _photo_choices(redact_form, report)
    all_photos = list(report.photos.all())
    blurring: list[dict[str, Any]] = [
        {
            "photo": p,
            "regions": forms["blur_text"]
            if forms.get("blur_photo") == p.pk
            else regions_text(p.regions),
            "error": forms.get("blur_error", "") if forms.get("blur_photo") == p.pk else "",
        }
        for p in all_photos
    ]
    failed = forms.get("error") or forms.get("blur_error") or forms.get("result_error")
    return render(
        request,
        "feedback/staff_report.html",
        _context(
            request,
            report.unit,
            report=report,
            steps=_steps(report),
            history=report.events.select_related("by", "to_unit", "from_unit"),
            photos=[b for b in blurring if not b["photo"].by_handler],
            result_photos=[b for b in blurring if b["photo"].by_handler],
            result_error=forms.get("result_error", ""),
            media_url=_media_url(report),
            similar=suggest_duplicates(
                category=report.category,
                description=report.description,
                lat=report.lat,
                lon=report.lon,
                unit=report.unit,
                exclude=report,
            ),
            templates=templates,
            resolve_form=resolve_form,
            reroute_form=reroute_form,
            redact_form=redact_form,
            legal_kinds=LegalKind.choices,
            contact=forms.get("contact"),
            now=timezone.now(),
        ),
        status=400 if failed else 200,
    )


def _media_url(report: Report) -> Any:
    """How a 311 app sent the report (its media_url, whether published), if it did."""
    from caunoi.open311.selectors import submission_of

    return submission_of(report)


def _reroute_choices(form: RerouteForm, report: Report) -> None:
    root = report.category.unit
    units = core_selectors.subtree(root).exclude(pk=report.unit_id).order_by("path")[:500]
    form.fields["to"].choices = [("", "—")] + [  # type: ignore[attr-defined]
        (str(u.pk), ("— " * (u.depth - root.depth)) + u.name) for u in units
    ]


def _photo_choices(form: RedactForm, report: Report) -> None:
    citizen = report.photos.filter(by_handler=False)
    form.fields["hidden_photos"].choices = [  # type: ignore[attr-defined]
        (str(p.pk), _("Ảnh %(n)s") % {"n": n}) for n, p in enumerate(citizen, 1)
    ]


@login_required
@require_POST
def report_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    report = _report(request, pk)
    user = _user(request)
    note = request.POST.get("note", "")
    try:
        if step == "acknowledge":
            handling.report_acknowledge(report=report, by=user, note=note)
        elif step == "verify":
            handling.report_verify(report=report, by=user, note=note)
        elif step == "start":
            handling.report_start(
                report=report, by=user, note=note, several_units=bool(request.POST.get("several"))
            )
        elif step == "close":
            handling.report_close(report=report, by=user)
        elif step == "mark":
            handling.report_mark_legal(report=report, by=user, kind=request.POST.get("kind", ""))
        elif step == "resolve":
            return _resolve(request, report)
        elif step == "reroute":
            return _reroute(request, report)
        elif step == "redact":
            return _redact(request, report)
        elif step == "merge":
            into = selectors.report_by_public_id(request.POST.get("into", ""))
            if into is None:
                raise handling.ReportError(_("Không tìm thấy phản ánh có mã đó."))
            handling.report_merge(report=report, into=into, by=user)
        else:
            raise Http404
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã lưu."))
    return redirect("feedback:staff_report", pk=report.pk)


def _resolve(request: HttpRequest, report: Report) -> HttpResponse:
    form = ResolveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        duplicate = (
            selectors.report_by_public_id(data["duplicate_of"]) if data["duplicate_of"] else None
        )
        try:
            handling.report_resolve(
                report=report,
                by=_user(request),
                outcome=data["outcome"],
                answer=data["answer"],
                note=data["note"],
                duplicate_of=duplicate,
            )
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã trả lời. Người theo dõi sẽ nhận thư."))
            return redirect("feedback:staff_report", pk=report.pk)
    return report_detail(request, report.pk, resolve_form=form, error=True)


def _reroute(request: HttpRequest, report: Report) -> HttpResponse:
    form = RerouteForm(request.POST)
    _reroute_choices(form, report)
    if form.is_valid():
        target = core_selectors.subtree(report.category.unit).get(pk=form.cleaned_data["to"])
        try:
            handling.report_reroute(
                report=report, to=target, reason=form.cleaned_data["reason"], by=_user(request)
            )
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã chuyển phản ánh; đơn vị nhận đã được báo."))
            if can(_user(request), Action.REPORT_HANDLE, target):
                return redirect("feedback:staff_report", pk=report.pk)
            return redirect("feedback:staff_reports", pk=report.unit_id)
    return report_detail(request, report.pk, reroute_form=form, error=True)


def _redact(request: HttpRequest, report: Report) -> HttpResponse:
    form = RedactForm(request.POST)
    _photo_choices(form, report)
    if form.is_valid():
        handling.report_redact(
            report=report,
            by=_user(request),
            public_description=form.cleaned_data["public_description"],
            hidden_photos=[int(pk) for pk in form.cleaned_data["hidden_photos"]],
        )
        messages.success(request, _("Đã lưu phần công khai."))
        return redirect("feedback:staff_report", pk=report.pk)
    return report_detail(request, report.pk, redact_form=form, error=True)


@login_required
@require_POST
def report_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the reporter's contact details once, on request; the view is audited."""
    report = _report(request, pk)
    contact = handling.report_contact(report=report, by=_user(request))
    return report_detail(request, report.pk, contact=contact)


@login_required
def report_take(request: HttpRequest, pk: int) -> HttpResponse:
    """A report taken by phone or at the desk, entered by the handler."""
    unit = _unit(request, pk, Action.REPORT_HANDLE)
    categories = list(selectors.categories_for(unit=unit))
    code = request.POST.get("category") or request.GET.get("linh-vuc", "")
    category = next((c for c in categories if c.code == code), None)
    context = _context(request, unit, categories=categories, category=category, shown=unit)
    if category is None:
        return render(request, "feedback/staff_take.html", context)
    places = list(core_selectors.subtree(unit).order_by("path")[:500])
    form = ReportForm(request.POST or None, request.FILES or None, category=category, places=places)
    context["form"] = form
    source = request.POST.get("source", Source.PHONE)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = next((u for u in places if str(u.pk) == data["place_unit"]), None)
        try:
            report = report_submit(
                category=category,
                description=data["description"],
                lat=data["lat"],
                lon=data["lon"],
                address=data["address"],
                unit=place,
                attributes=form.attribute_answers(),
                photos=data["photos"],
                contact=Contact(data["contact_name"], data["contact_phone"], data["contact_email"]),
                source=source if source in (Source.PHONE, Source.WALK_IN) else Source.PHONE,
                by=_user(request),
            )
        except ReportRejected as rejected:
            form.show_rejection(rejected)
        else:
            messages.success(
                request,
                _("Đã nhận phản ánh %(id)s. Hãy đọc mã này cho người dân.")
                % {"id": report.public_id},
            )
            return redirect("feedback:staff_report", pk=report.pk)
    require(_user(request), Action.REPORT_HANDLE, unit)
    return render(request, "feedback/staff_take.html", context, status=400 if form.errors else 200)
