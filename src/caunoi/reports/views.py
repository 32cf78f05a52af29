"""Staff screens of reports: the dashboard of a unit and its exports. Views parse, check the
permission, call one selector or service, and render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from caunoi.core.charts import bar_chart, line_chart
from caunoi.core.errors import CaunoiError
from caunoi.core.permissions import Action, can, require
from caunoi.reports import services
from caunoi.reports.docx import DEFAULT
from caunoi.reports.models import (
    DOCUMENT_LANGUAGES,
    DocumentSettings,
    Export,
    ExportState,
    PeriodicReport,
)
from caunoi.reports.official import default_place, default_symbol
from caunoi.reports.periods import KINDS, PeriodInputError, period_from, period_query
from caunoi.reports.sections import Period
from caunoi.reports.selectors import report_data
from caunoi.staff.views import _context, _unit, _user

Data = dict[str, Any]


def charts_of(data: Data) -> list[Any]:
    drawn = []
    for section in data["sections"]:
        for chart in section["charts"]:
            draw = line_chart if chart["kind"] == "line" else bar_chart
            drawn.append(
                {
                    "svg": draw(
                        title=chart["title"], labels=chart["labels"], series=chart["series"]
                    ),
                    "chart": chart,
                    "section": section["key"],
                }
            )
    return drawn


def _link_rows(data: Data) -> None:
    for section in data["sections"]:
        for table in section["tables"]:
            links = table.get("links") or []
            table["linked"] = [
                (row, links[i] if i < len(links) else "") for i, row in enumerate(table["rows"])
            ]


def _sorted_children(data: Data, sort: str, descending: bool) -> list[Data]:
    rows: list[Data] = data["children"]
    if sort == "name" or not sort:
        return sorted(rows, key=lambda r: r["unit"]["name"], reverse=descending)
    per_1000 = sort.endswith(":1000")
    key = sort.removesuffix(":1000")

    def value(row: Data) -> tuple[bool, float]:
        found = (row["per_1000"] if per_1000 else row["values"]).get(key)
        missing = found is None
        # Units without a value (no population) always go last.
        return (missing != descending, float(found or 0))

    return sorted(rows, key=value, reverse=descending)


def period_form(request: HttpRequest) -> Data:
    return {
        "kinds": [(k, label) for k, label in _kind_labels().items() if k in KINDS],
        "params": {k: request.GET.get(k, "") for k in ("kind", "year", "number", "start", "end")},
    }


def _kind_labels() -> dict[str, str]:
    return {
        "month": _("Tháng"),
        "quarter": _("Quý"),
        "half": _("6 tháng"),
        "year": _("Năm"),
        "range": _("Khoảng ngày"),
    }


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    user = _user(request)
    extra: Data = {"shown": unit, **period_form(request)}
    try:
        period = period_from(request.GET)
    except PeriodInputError as error:
        extra.update(period_error=str(error), period_field=error.field)
        return render(
            request, "reports/dashboard.html", _context(request, unit, **extra), status=400
        )
    data = report_data(unit=unit, period=period)
    _link_rows(data)
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir") == "desc"
    extra.update(
        data=data,
        period=period,
        query=period_query(period),
        charts=charts_of(data),
        children=_sorted_children(data, sort, descending),
        sort=sort,
        descending=descending,
        ancestors=[
            a for a in unit.__class__.objects.get_ancestors(unit) if can(user, Action.UNIT_VIEW, a)
        ],
    )
    return render(request, "reports/dashboard.html", _context(request, unit, **extra))


@login_required
@require_POST
def export_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    report = None
    if request.POST.get("report"):
        report = get_object_or_404(PeriodicReport, pk=request.POST["report"], unit=unit)
    try:
        period = (
            Period(report.start, report.end, report.kind)
            if report is not None
            else period_from(request.POST)
        )
        export = services.export_start(
            unit=unit,
            period=period,
            format=request.POST.get("format", ""),
            by=_user(request),
            report=report,
        )
    except CaunoiError as error:
        messages.error(request, str(error))
        return redirect("reports:dashboard", pk=unit.pk)
    return redirect("reports:export", pk=export.pk)


def _export(request: HttpRequest, pk: int) -> Export:
    export = get_object_or_404(Export.objects.select_related("unit"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, export.unit)
    return export


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export(request, pk)
    expired = export.expires_at < timezone.now()
    context = _context(
        request,
        export.unit,
        export=export,
        expired=expired,
        working=export.state in (ExportState.WAITING, ExportState.RUNNING),
    )
    template = "reports/_export_status.html" if request.htmx else "reports/export.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    export = _export(request, pk)
    if export.state != ExportState.DONE or not export.file:
        messages.error(request, _("Tệp chưa sẵn sàng để tải về."))
        return redirect("reports:export", pk=export.pk)
    if export.expires_at < timezone.now():
        messages.error(request, _("Tệp đã hết hạn lưu giữ. Hãy xuất lại."))
        return redirect("reports:export", pk=export.pk)
    name = str(export.file.name).rsplit("/", 1)[-1]
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)


class DocumentSettingsForm(forms.Form):
    symbol = forms.CharField(
        label=gettext_lazy("Ký hiệu cơ quan"),
        max_length=30,
        required=False,
        help_text=gettext_lazy('Phần sau "BC-" trong số văn bản, ví dụ UBND hoặc TTVHTT.'),
    )
    place = forms.CharField(label=gettext_lazy("Địa danh"), max_length=80, required=False)
    signer_title = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"), max_length=120, required=False
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Họ tên người ký"), max_length=120, required=False
    )
    recipients = forms.CharField(
        label=gettext_lazy("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Mỗi dòng một nơi nhận."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Ngôn ngữ văn bản"),
        choices=DOCUMENT_LANGUAGES,
        initial="vi",
        required=False,  # left out (an older form, a script): Vietnamese
        help_text=gettext_lazy(
            "Văn bản Word là văn bản của đơn vị: được viết toàn bộ bằng ngôn ngữ này, dù người "
            "xuất đang dùng giao diện tiếng Việt hay tiếng Anh. Thể thức Nghị định 30 là văn "
            "bản tiếng Việt; chỉ chọn tiếng Anh khi cần một bản tiếng Anh."
        ),
    )
    template = forms.FileField(
        label=gettext_lazy("Mẫu văn bản riêng (.docx)"),
        required=False,
        help_text=gettext_lazy(
            "Tải mẫu mặc định về, sửa trong Word (giữ nguyên các chỗ điền {{ ... }}) rồi tải lên."
        ),
    )


@login_required
def document_settings(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERIODIC_REPORT_PREPARE)
    found = DocumentSettings.objects.filter(unit=unit).first()
    initial = {
        "symbol": found.symbol if found else default_symbol(unit),
        "place": found.place if found else default_place(unit),
        "signer_title": found.signer_title if found else "",
        "signer_name": found.signer_name if found else "",
        "recipients": found.recipients if found else "",
        "language": found.language if found else "vi",
    }
    form = DocumentSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and "reset" in request.POST:
        services.template_reset(unit=unit, by=_user(request))
        messages.success(request, _("Đã quay về mẫu văn bản mặc định."))
        return redirect("reports:documents", pk=unit.pk)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.pop("template")
        form.cleaned_data["language"] = form.cleaned_data.get("language") or "vi"
        try:
            services.settings_save(
                unit=unit,
                by=_user(request),
                template=upload,
                template_name=getattr(upload, "name", "template.docx"),
                **form.cleaned_data,
            )
        except CaunoiError as error:
            form.add_error("template", str(error))
        else:
            messages.success(request, _("Đã lưu cách trình bày văn bản."))
            return redirect("reports:documents", pk=unit.pk)
    return render(
        request,
        "reports/documents.html",
        _context(request, unit, shown=unit, form=form, found=found),
        status=400 if form.errors else 200,
    )


@login_required
def default_template(request: HttpRequest) -> FileResponse:
    return FileResponse(DEFAULT.open("rb"), as_attachment=True, filename=DEFAULT.name)
