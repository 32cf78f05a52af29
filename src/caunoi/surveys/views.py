"""Staff screens for surveys: list, create, change, upload the form, enter paper answers."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from caunoi.core.errors import CaunoiError, ImportRejected
from caunoi.core.models import Unit
from caunoi.core.permissions import Action, can, require
from caunoi.staff.views import _context, _unit, _user, current_unit
from caunoi.surveys import form as forms_
from caunoi.surveys import render as drawing
from caunoi.surveys import selectors, services
from caunoi.surveys.models import K_MINIMUM, Survey


class SurveyForm(forms.ModelForm[Survey]):
    class Meta:
        model = Survey
        fields = [
            "title",
            "description",
            "opens_on",
            "closes_on",
            "k",
            "one_page",
            "free_text_export",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_k(self) -> int:
        k = int(self.cleaned_data["k"])
        if k < K_MINIMUM:
            raise forms.ValidationError(
                _("k không được nhỏ hơn %(n)d: nhóm nhỏ hơn dễ làm lộ người trả lời.")
                % {"n": K_MINIMUM}
            )
        return k


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp XLSForm"),
        help_text=gettext_lazy(".xlsx, .xls, .csv hoặc bảng markdown (.md), tối đa 2 MB."),
    )


def _survey(request: HttpRequest, pk: int, action: Action = Action.UNIT_VIEW) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("unit"), pk=pk)
    require(_user(request), action, survey.unit)
    return survey


@login_required
def survey_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    return render(
        request,
        "surveys/list.html",
        _context(
            request,
            unit,
            surveys=list(selectors.surveys_in(unit=unit)),
            may_manage=can(_user(request), Action.SURVEY_MANAGE, unit),
        ),
    )


@login_required
def survey_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.SURVEY_MANAGE)
    today = timezone.localdate()
    form = SurveyForm(request.POST or None, initial={"opens_on": today, "closes_on": today, "k": 5})
    form.fields["free_text_export"].disabled = not can(_user(request), Action.UNIT_CHANGE, unit)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(unit=unit, by=_user(request), **form.cleaned_data)
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã tạo khảo sát. Bây giờ hãy tải lên biểu mẫu XLSForm."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/survey_form.html",
        _context(request, unit, form=form),
        status=400 if form.errors else 200,
    )


@login_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Officers change the survey; the unit admin alone turns free-text export on or off."""
    survey = _survey(request, pk)
    user = _user(request)
    manages = can(user, Action.SURVEY_MANAGE, survey.unit)
    administers = can(user, Action.UNIT_CHANGE, survey.unit)
    if not (manages or administers):
        require(user, Action.SURVEY_MANAGE, survey.unit)
    form = SurveyForm(request.POST or None, instance=survey)
    for name, field in form.fields.items():
        field.disabled = not administers if name == "free_text_export" else not manages
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, by=_user(request), **form.cleaned_data)
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/survey_form.html",
        _context(request, current_unit(request), form=form, survey=survey),
        status=400 if form.errors else 200,
    )


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    user = _user(request)
    may_manage = can(user, Action.SURVEY_MANAGE, survey.unit)
    upload = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST":
        require(user, Action.SURVEY_MANAGE, survey.unit)
        if upload.is_valid():
            handle = upload.cleaned_data["file"]
            try:
                version = services.form_upload(
                    survey=survey, by=user, data=handle.read(), filename=handle.name
                )
            except ImportRejected as rejected:
                problems = [str(e) for e in rejected.errors]
            except CaunoiError as error:
                problems = [str(error)]
            else:
                messages.success(
                    request, _("Đã nhận biểu mẫu, phiên bản %(n)d.") % {"n": version.number}
                )
                return redirect("surveys:detail", pk=survey.pk)
    latest = selectors.latest_version(survey=survey)
    loaded = forms_.load(latest.form) if latest else None
    language = (get_language() or "vi")[:2]
    return render(
        request,
        "surveys/detail.html",
        _context(
            request,
            current_unit(request),
            survey=survey,
            version=latest,
            questions=[
                (f, forms_.pick(f.label, language)) for f in (loaded.fields if loaded else [])
            ],
            counts=selectors.version_counts(survey=survey),
            total=selectors.answer_count(survey=survey),
            upload=upload,
            problems=problems,
            may_manage=may_manage,
            may_administer=can(user, Action.UNIT_CHANGE, survey.unit),
            portal_url=f"{survey.unit.get_portal_url()}khao-sat/{survey.pk}/",
        ),
        status=400 if problems or upload.errors else 200,
    )


@login_required
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff type in a paper answer; it is checked exactly like a portal answer."""
    survey = _survey(request, pk, Action.SURVEY_MANAGE)
    version = selectors.latest_version(survey=survey)
    if version is None:
        messages.error(request, _("Khảo sát chưa có biểu mẫu."))
        return redirect("surveys:detail", pk=survey.pk)
    form = forms_.load(version.form)
    language = (get_language() or "vi")[:2]
    today = timezone.localdate()
    raw: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    place = survey.unit.pk
    problem = ""
    if request.method == "POST":
        raw = drawing.raw_from(request.POST, form)
        place = int(request.POST.get("_unit") or survey.unit.pk)
        day = _day(request.POST.get("_day", ""), today)
        where = Unit.objects.filter(pk=place).first() or survey.unit
        try:
            services.answer_submit(
                survey=survey,
                version=version,
                unit=where,
                raw=raw,
                today=day,
                language=language,
                by=_user(request),
            )
        except services.AnswerInvalid as invalid:
            errors = invalid.checked.errors
            problem = str(invalid)
        except CaunoiError as error:
            problem = str(error)
        else:
            messages.success(request, _("Đã lưu phiếu giấy. Có thể nhập phiếu tiếp theo."))
            return redirect("surveys:paper", pk=survey.pk)
    values = {k: " ".join(v) for k, v in raw.items()}
    return render(
        request,
        "surveys/paper.html",
        _context(
            request,
            current_unit(request),
            survey=survey,
            fields=drawing.shown_fields(form, values, errors, language, today),
            spec=forms_.spec(form),
            places=selectors.answer_units(unit=survey.unit),
            place=place,
            problem=problem,
            today=today,
        ),
        status=400 if problem else 200,
    )


def _day(text: str, today: date) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return today
