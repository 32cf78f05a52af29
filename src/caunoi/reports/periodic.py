"""Staff screens of periodic reports: a unit prepares and submits its report; the level above
sets deadlines, sees who submitted and who is late, reads, comments and asks for revision."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit
from caunoi.core.permissions import Action, can, require
from caunoi.reports import selectors, services
from caunoi.reports.models import PeriodicReport, ReportRequest, ReportState
from caunoi.reports.periods import period_from
from caunoi.reports.views import charts_of, period_form
from caunoi.staff.views import _context, _unit, _user


class NarrativeForm(forms.Form):
    achievements = forms.CharField(
        label=gettext_lazy("Kết quả đạt được"), widget=forms.Textarea(attrs={"rows": 6})
    )
    limitations = forms.CharField(
        label=gettext_lazy("Hạn chế, khó khăn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_tasks = forms.CharField(
        label=gettext_lazy("Nhiệm vụ thời gian tới"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@login_required
def periodic_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    user = _user(request)
    today = timezone.localdate()
    reports = list(selectors.reports_of(unit=unit))
    mine = {(r.start, r.end): r for r in reports}
    asked = [
        {
            "request": r,
            "report": mine.get((r.start, r.end)),
            "late": selectors.is_late(request=r, report=mine.get((r.start, r.end)), today=today),
        }
        for r in selectors.requests_for(unit=unit)
    ]
    return render(
        request,
        "reports/periodic_list.html",
        _context(
            request,
            unit,
            shown=unit,
            reports=reports,
            asked=asked,
            made=ReportRequest.objects.filter(unit=unit),
            may_prepare=can(user, Action.PERIODIC_REPORT_PREPARE, unit),
            may_review=can(user, Action.PERIODIC_REPORT_REVIEW, unit),
            today=today,
            **period_form(request),
        ),
    )


@login_required
@require_POST
def periodic_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERIODIC_REPORT_PREPARE)
    try:
        report = services.report_prepare(
            unit=unit, period=period_from(request.POST), by=_user(request)
        )
    except CaunoiError as error:
        messages.error(request, str(error))
        return redirect("reports:periodic_list", pk=unit.pk)
    return redirect("reports:periodic", pk=report.pk)


@login_required
@require_POST
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERIODIC_REPORT_REVIEW)
    try:
        deadline = date.fromisoformat(request.POST.get("deadline", ""))
    except ValueError:
        messages.error(request, _("Hãy chọn hạn nộp theo dạng năm-tháng-ngày."))
        return redirect("reports:periodic_list", pk=unit.pk)
    try:
        found = services.request_create(
            unit=unit, period=period_from(request.POST), deadline=deadline, by=_user(request)
        )
    except CaunoiError as error:
        messages.error(request, str(error))
        return redirect("reports:periodic_list", pk=unit.pk)
    messages.success(request, _("Đã giao hạn nộp báo cáo cho các đơn vị trực thuộc."))
    return redirect("reports:request", pk=found.pk)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ReportRequest.objects.select_related("unit"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, found.unit)
    rows = selectors.request_status(request=found)
    return render(
        request,
        "reports/request.html",
        _context(
            request,
            found.unit,
            found=found,
            rows=rows,
            submitted=sum(1 for r in rows if r["report"] and r["report"].submitted_at),
            late=sum(1 for r in rows if r["late"]),
        ),
    )


def _report(request: HttpRequest, pk: int) -> PeriodicReport:
    report = get_object_or_404(PeriodicReport.objects.select_related("unit", "request"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, report.unit)
    return report


def _may_review(request: HttpRequest, unit: Unit) -> bool:
    parent = Unit.objects.get_parent(unit)
    return parent is not None and can(_user(request), Action.PERIODIC_REPORT_REVIEW, parent)


@login_required
def periodic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    user = _user(request)
    may_prepare = can(user, Action.PERIODIC_REPORT_PREPARE, report.unit)
    editable = may_prepare and report.state != ReportState.SUBMITTED
    form = NarrativeForm(
        request.POST or None,
        initial={
            "achievements": report.achievements,
            "limitations": report.limitations,
            "next_tasks": report.next_tasks,
        },
    )
    if request.method == "POST":
        if not editable:
            require(user, Action.PERIODIC_REPORT_PREPARE, report.unit)
        if form.is_valid():
            try:
                report = services.report_save(report=report, by=user, **form.cleaned_data)
                if "submit" in request.POST:
                    report = services.report_submit(report=report, by=user)
                    messages.success(request, _("Đã nộp báo cáo lên cấp trên."))
                else:
                    messages.success(request, _("Đã lưu báo cáo."))
            except CaunoiError as error:
                form.add_error(None, str(error))
            else:
                return redirect("reports:periodic", pk=report.pk)
    data = selectors.periodic_report_data(report)
    return render(
        request,
        "reports/periodic.html",
        _context(
            request,
            report.unit,
            report=report,
            data=data,
            charts=charts_of(data),
            form=form,
            editable=editable,
            may_review=_may_review(request, report.unit),
            comments=report.comments.select_related("author"),
            late=report.request is not None
            and selectors.is_late(
                request=report.request, report=report, today=timezone.localdate()
            ),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def periodic_comment(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        services.report_comment(
            report=report,
            text=request.POST.get("text", ""),
            by=_user(request),
            ask_revision="revise" in request.POST,
        )
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã gửi ý kiến."))
    return redirect("reports:periodic", pk=report.pk)
