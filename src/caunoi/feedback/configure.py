"""Staff screens for a unit administrator: categories and their questions and templates, the
unit's area, complaint guidance, and the holiday calendar."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

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
from caunoi.core.permissions import Action, require
from caunoi.feedback import selectors, setup
from caunoi.feedback.models import (
    CalendarDay,
    Category,
    CategoryAttribute,
    Datatype,
    DayKind,
    UnitArea,
    UnitGuidance,
)
from caunoi.feedback.public import map_settings
from caunoi.staff.views import _context, _unit, _user


class CategoryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Category
        fields = list(setup.CATEGORY_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class QuestionForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Mã"))
    description = forms.CharField(label=gettext_lazy("Câu hỏi"), max_length=300)
    datatype = forms.ChoiceField(label=gettext_lazy("Kiểu trả lời"), choices=Datatype.choices)
    required = forms.BooleanField(label=gettext_lazy("Bắt buộc"), required=False)
    values_text = forms.CharField(
        label=gettext_lazy("Lựa chọn (mỗi dòng một, dạng ma=Tên)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TemplateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên mẫu"), max_length=150)
    body = forms.CharField(label=gettext_lazy("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}))


class AreaForm(forms.Form):
    geojson = forms.CharField(
        label=gettext_lazy("Vùng (GeoJSON Polygon/MultiPolygon, tọa độ kinh độ, vĩ độ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    handles_reports = forms.BooleanField(
        label=gettext_lazy("Đơn vị này tự xử lý phản ánh trong vùng"), required=False, initial=True
    )


class GuidanceForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Hướng dẫn gửi khiếu nại, tố cáo (nơi nhận, giờ tiếp dân, giấy tờ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DayForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=DayKind.choices)
    name = forms.CharField(label=gettext_lazy("Tên"), max_length=150)


def _done(request: HttpRequest, error: CaunoiError | None) -> None:
    if error is None:
        messages.success(request, _("Đã lưu."))
    else:
        messages.error(request, str(error))


@login_required
def settings_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.FEEDBACK_CONFIGURE)
    user = _user(request)
    area = UnitArea.objects.filter(unit=unit).first()
    guidance = UnitGuidance.objects.filter(unit=unit).first()
    year = int(request.GET.get("nam") or timezone.localdate().year)
    category_form = CategoryForm(request.POST or None, prefix="c")
    area_form = AreaForm(
        request.POST or None,
        prefix="a",
        initial={
            "geojson": json.dumps(area.geometry) if area else "",
            "handles_reports": area.handles_reports if area else True,
        },
    )
    guidance_form = GuidanceForm(
        request.POST or None,
        prefix="g",
        initial={"text": guidance.complaint_guidance if guidance else ""},
    )
    day_form = DayForm(request.POST or None, prefix="d")
    if request.method == "POST":
        error: CaunoiError | None = None
        what = request.POST.get("what")
        try:
            if what == "category" and category_form.is_valid():
                made = setup.category_save(unit=unit, by=user, **category_form.cleaned_data)
                _done(request, None)
                return redirect("feedback:category", pk=made.pk)
            if what == "area" and area_form.is_valid():
                setup.area_set(unit=unit, by=user, **area_form.cleaned_data)
            elif what == "guidance" and guidance_form.is_valid():
                setup.guidance_set(unit=unit, by=user, text=guidance_form.cleaned_data["text"])
            elif what == "day" and day_form.is_valid():
                setup.calendar_day_set(unit=unit, by=user, **day_form.cleaned_data)
            elif what == "day_delete":
                row = get_object_or_404(CalendarDay, pk=request.POST.get("day_id"))
                setup.calendar_day_delete(unit=unit, by=user, row=row)
            else:
                error = CaunoiError(_("Chưa lưu được: hãy sửa các ô được đánh dấu."))
        except CaunoiError as problem:
            error = problem
        _done(request, error)
        if error is None:
            return redirect("feedback:settings", pk=unit.pk)
    return render(
        request,
        "feedback/staff_settings.html",
        _context(
            request,
            unit,
            own=selectors.categories_defined(unit=unit),
            inherited=selectors.categories_for(unit=unit).exclude(unit=unit),
            category_form=category_form,
            area_form=area_form,
            guidance_form=guidance_form,
            day_form=day_form,
            area=area,
            map=map_settings(unit),
            draw_texts=_draw_texts(),
            calendar_editable=unit.depth == 1,
            year=year,
            days=CalendarDay.objects.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)),
        ),
        status=400 if request.method == "POST" else 200,
    )


def _draw_texts() -> dict[str, str]:
    """The map drawing tool's words (Leaflet.draw's own are English only)."""
    return {
        "polygon": _("Vẽ vùng (đa giác)"),
        "rectangle": _("Vẽ vùng hình chữ nhật"),
        "edit": _("Sửa các đỉnh"),
        "remove": _("Xóa vùng"),
        "start": _("Bấm để đặt đỉnh đầu tiên."),
        "cont": _("Bấm để đặt đỉnh tiếp theo."),
        "end": _("Bấm vào đỉnh đầu tiên để khép vùng."),
        "rectangle_start": _("Bấm và kéo để vẽ hình chữ nhật."),
        "release": _("Thả chuột để xong."),
        "finish": _("Xong"),
        "undo": _("Bỏ đỉnh vừa đặt"),
        "cancel": _("Hủy"),
        "save": _("Giữ thay đổi"),
        "clear": _("Xóa hết"),
        "edit_tip": _("Kéo các đỉnh để sửa vùng."),
        "remove_tip": _("Bấm vào vùng cần xóa."),
        "error": _("Các cạnh của vùng không được cắt nhau."),
    }


@login_required
def category_page(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(Category.objects.select_related("unit"), pk=pk)
    user = _user(request)
    require(user, Action.FEEDBACK_CONFIGURE, category.unit)
    form = CategoryForm(request.POST or None, instance=category, prefix="c")
    question_form = QuestionForm(request.POST or None, prefix="q")
    template_form = TemplateForm(request.POST or None, prefix="t")
    if request.method == "POST":
        what = request.POST.get("what")
        error: CaunoiError | None = None
        try:
            if what == "category" and form.is_valid():
                fresh = Category.objects.get(pk=category.pk)
                setup.category_save(
                    unit=category.unit, by=user, category=fresh, **form.cleaned_data
                )
            elif what == "question" and question_form.is_valid():
                setup.attribute_add(category=category, by=user, **question_form.cleaned_data)
            elif what == "question_delete":
                question = get_object_or_404(
                    CategoryAttribute, pk=request.POST.get("question_id"), category=category
                )
                setup.attribute_delete(question=question, by=user)
            elif what == "template" and template_form.is_valid():
                setup.template_add(category=category, by=user, **template_form.cleaned_data)
            else:
                error = CaunoiError(_("Chưa lưu được: hãy sửa các ô được đánh dấu."))
        except CaunoiError as problem:
            error = problem
        _done(request, error)
        if error is None:
            return redirect("feedback:category", pk=category.pk)
    context: dict[str, Any] = {
        "category": category,
        "form": form,
        "question_form": question_form,
        "template_form": template_form,
        "questions": category.attributes.all(),
        "templates": category.templates.all(),
    }
    return render(
        request,
        "feedback/staff_category.html",
        _context(request, category.unit, **context),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def sweep_now(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.FEEDBACK_CONFIGURE)
    from caunoi.feedback.tasks import sweep_schedule

    sweep_schedule()
    messages.success(request, _("Đã lên lịch kiểm tra quá hạn hằng giờ."))
    return redirect("feedback:settings", pk=unit.pk)
