"""Staff screens for reach and engagement: the roll-up page, and importing a file through
upload → preview (with every wrong line listed) → confirm. Views parse, check, call one
service or selector, and render."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from caunoi.core.errors import CaunoiError, ImportRejected
from caunoi.core.permissions import Action, can, require, units_where
from caunoi.metrics import charts, selectors, services, template_file
from caunoi.metrics.layouts import LAYOUTS
from caunoi.metrics.models import ImportBatch, ImportState, Metric
from caunoi.metrics.parsing import parse
from caunoi.metrics.tasks import schedule_ensure
from caunoi.staff.views import _context, _no_unit, _unit, _user, current_unit

GRAIN_CHOICES = [
    ("day", gettext_lazy("Theo ngày")),
    ("month", gettext_lazy("Theo tháng")),
    ("quarter", gettext_lazy("Theo quý")),
    ("year", gettext_lazy("Theo năm")),
]
MAX_DAYS = {"day": 93, "month": 366 * 3, "quarter": 366 * 10, "year": 366 * 30}


class RangeForm(forms.Form):
    grain = forms.ChoiceField(label=gettext_lazy("Gộp"), choices=GRAIN_CHOICES, required=False)
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        data["grain"] = data.get("grain") or "month"
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or date(data["end"].year, 1, 1)
        if data["end"] < data["start"]:
            raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
        if (data["end"] - data["start"]).days > MAX_DAYS[data["grain"]]:
            raise forms.ValidationError(
                _("Khoảng thời gian quá dài để gộp như vậy; hãy chọn gộp theo tháng, quý hoặc năm.")
            )
        return data


class ImportForm(forms.Form):
    channel = forms.TypedChoiceField(label=gettext_lazy("Kênh"), coerce=int)
    layout = forms.ChoiceField(
        label=gettext_lazy("Dạng tệp"),
        choices=[("auto", gettext_lazy("Tự nhận biết"))]
        + [(key, layout.label) for key, layout in LAYOUTS.items()],
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp CSV hoặc Excel"),
        help_text=gettext_lazy("Tệp xuất từ Facebook, Zalo OA, hoặc tệp mẫu của caunoi."),
    )


@login_required
def metrics_here(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return _no_unit(request)
    return redirect("metrics:overview", pk=unit.pk)


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    form = RangeForm(request.GET)
    if not form.is_valid():
        return render(
            request, "metrics/overview.html", _context(request, unit, form=form), status=400
        )
    data = form.cleaned_data
    result = selectors.rollup(unit=unit, start=data["start"], end=data["end"], grain=data["grain"])
    schedule_ensure()  # the periodic insights pull keeps itself queued; this starts it once
    return render(
        request,
        "metrics/overview.html",
        _context(
            request,
            unit,
            form=form,
            result=result,
            charts=charts.rollup_charts(result),
            top=selectors.top_posts(unit=unit, start=data["start"], end=data["end"]),
            imports=selectors.recent_imports(unit=unit),
            pulls=selectors.recent_pulls(unit=unit),
            may_import=can(_user(request), Action.METRICS_IMPORT, unit),
            metrics=[(m, Metric(m).label) for m in selectors.FLOWS],
        ),
    )


def _import_form(request: HttpRequest, unit: Any) -> ImportForm:
    form = ImportForm(request.POST or None, request.FILES or None)
    channels = selectors.importable_channels(
        units=units_where(_user(request), Action.METRICS_IMPORT), within=unit
    )
    form.fields["channel"].choices = [  # type: ignore[attr-defined]
        (c.pk, f"{c.unit.name} — {c.name} ({c.get_kind_display()})") for c in channels
    ]
    return form


@login_required
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.METRICS_IMPORT)
    form = _import_form(request, unit)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        from caunoi.channels.models import Channel

        channel = get_object_or_404(
            Channel.objects.select_related("unit"), pk=form.cleaned_data["channel"]
        )
        upload = form.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            form.add_error("file", _("Tệp lớn hơn 20 MB; hãy xuất từng quý hoặc từng tháng."))
        else:
            try:
                batch, _parsed = services.import_preview(
                    channel=channel,
                    by=_user(request),
                    file_name=upload.name or "upload",
                    data=upload.read(),
                    layout=form.cleaned_data["layout"],
                )
            except ImportRejected as rejected:
                errors = rejected.errors
            except CaunoiError as error:
                form.add_error(None, str(error))
            else:
                return redirect("metrics:import_preview", pk=batch.pk)
    return render(
        request,
        "metrics/import.html",
        _context(request, unit, form=form, errors=errors, shown=unit),
        status=400 if errors or form.errors else 200,
    )


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("channel__unit", "by"), pk=pk)
    require(_user(request), Action.METRICS_IMPORT, batch.channel.unit)
    return batch


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    parsed = None
    if batch.state == ImportState.PREVIEWED:
        parsed = parse(batch.file_name, bytes(batch.content), layout=batch.file_format)
    totals = parsed.totals() if parsed else {}
    return render(
        request,
        "metrics/preview.html",
        _context(
            request,
            current_unit(request),
            batch=batch,
            parsed=parsed,
            layout=LAYOUTS[batch.file_format],
            totals=[(Metric(m).label, totals[m]) for m in Metric.values if m in totals],
            sample=parsed.figures[:30] if parsed else [],
            raw_names=sorted({(Metric(f.metric).label, f.raw_name) for f in parsed.figures})
            if parsed
            else [],
        ),
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        done = services.import_confirm(batch=batch, by=_user(request))
    except ImportRejected as rejected:
        messages.error(request, str(rejected))
        return redirect("metrics:import_preview", pk=batch.pk)
    except CaunoiError as error:
        messages.error(request, str(error))
        return redirect("metrics:import_preview", pk=batch.pk)
    messages.success(
        request,
        _("Đã nhập %(n)d số liệu của %(channel)s (%(replaced)d số liệu cũ được thay bằng số mới).")
        % {"n": done.figures, "channel": done.channel.name, "replaced": done.replaced},
    )
    return redirect("metrics:overview", pk=done.channel.unit_id)


@login_required
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404(fmt)
    content, content_type = template_file.build(fmt, timezone.localdate() - timedelta(days=1))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="caunoi-so-lieu-mau.{fmt}"'
    return response
