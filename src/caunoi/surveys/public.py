"""Public survey pages on a unit's portal: the list of open surveys and the answer form.

No account and no tracking: the only thing kept about a visitor is a random token in a cookie,
set when they answer, whose hash stops a second answer to the same survey."""

from __future__ import annotations

import secrets

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caunoi.core import selectors as core_selectors
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit
from caunoi.core.ratelimit import rate_limit
from caunoi.surveys import form as forms
from caunoi.surveys import render as drawing
from caunoi.surveys import selectors, services
from caunoi.surveys.models import Survey, SurveyVersion

COOKIE = "caunoi_survey_token"
COOKIE_AGE = 400 * 24 * 3600


def _unit_at(slugs: str) -> Unit:
    unit = core_selectors.unit_by_slugs(slugs.split("/"))
    if unit is None:
        raise Http404
    return unit


def _language() -> str:
    return (get_language() or "vi")[:2]


def survey_list(request: HttpRequest, slugs: str) -> HttpResponse:
    unit = _unit_at(slugs)
    today = timezone.localdate()
    return render(
        request,
        "surveys/portal_list.html",
        {
            "shown": unit,
            "ancestors": list(Unit.objects.get_ancestors(unit)),
            "surveys": list(selectors.surveys_on_portal(unit=unit, today=today)),
        },
    )


def _survey_on(unit: Unit, pk: int) -> tuple[Survey, SurveyVersion]:
    """The survey and its latest version in one query."""
    version = (
        SurveyVersion.objects.select_related("survey__unit")
        .filter(survey_id=pk)
        .order_by("-number")
        .first()
    )
    if version is None or not unit.is_within(version.survey.unit):
        raise Http404
    return version.survey, version


def _page_after(form: forms.Form, relevant: list[str], page: int, step: int) -> int:
    """The next (or previous) page with at least one question that applies."""
    pages_with = {f.page for f in form.fields if f.name in relevant}
    at = page + step
    while 0 <= at < form.pages:
        if at in pages_with:
            return at
        at += step
    return page


@rate_limit("post")
def survey_answer(request: HttpRequest, slugs: str, pk: int) -> HttpResponse:
    unit = _unit_at(slugs)
    survey, version = _survey_on(unit, int(pk))
    form = forms.load(version.form)
    language = _language()
    today = timezone.localdate()
    token = request.COOKIES.get(COOKIE, "")
    raw: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    notice = ""
    page = 0
    place = unit.pk
    status = 200
    if request.method == "POST":
        raw = drawing.raw_from(request.POST, form)
        page = _int(request.POST.get("_page"), 0, form.pages - 1)
        place = _int(request.POST.get("_unit"), unit.pk, None)
        uses_script = request.POST.get("_js") == "1"
        action = request.POST.get("_action", "send")
        checked = forms.check(form, raw, today, language)
        if action == "back":
            page = _page_after(form, checked.relevant, page, -1)
        elif action == "next" and not survey.one_page:
            here = {f.name for f in form.fields if f.page == page}
            errors = {k: v for k, v in checked.errors.items() if k in here}
            if not errors:
                page = _page_after(form, checked.relevant, page, 1)
        else:
            shown = set(request.POST.getlist("_shown"))
            unseen = [
                name
                for name in checked.relevant
                if name not in shown and (survey.one_page or form.by_name()[name].page == page)
            ]
            if unseen and not uses_script:
                notice = _(
                    "Theo câu trả lời của bạn, có thêm câu hỏi bên dưới. Hãy xem lại rồi gửi."
                )
            elif not survey.one_page and _page_after(form, checked.relevant, page, 1) != page:
                page = _page_after(form, checked.relevant, page, 1)
            else:
                response = _send(request, survey, version, place, raw, today, language, token, form)
                if isinstance(response, HttpResponse):
                    return response
                errors, notice = response
                if errors and not survey.one_page:
                    page = min(form.by_name()[name].page for name in errors)
        status = 400 if errors or notice else 200
    # Built only when the page is drawn: a stored answer goes straight to the thanks page.
    context: dict[str, object] = {
        "shown": unit,
        "ancestors": list(Unit.objects.get_ancestors(unit)),
        "survey": survey,
        "version": version,
        "is_open": survey.is_open(today),
        "answered": bool(token)
        and selectors.has_answered(digest=services.token_digest(survey, token)),
        "places": selectors.answer_units(unit=unit),
    }
    values = {k: " ".join(v) for k, v in raw.items()}
    fields = drawing.shown_fields(form, values, errors, language, today)
    visible = [f for f in fields if survey.one_page or f.page == page]
    context.update(
        {
            "fields": visible,
            "shown_names": [
                f.name for f in visible if f.applies and f.kind not in ("calculate", "hidden")
            ],
            "carried": [] if survey.one_page else drawing.carried(raw, form, page),
            "page": page,
            "pages": form.pages,
            "last_page": survey.one_page
            or _page_after(form, _relevant(form, raw, today, language), page, 1) == page,
            "errors": errors,
            "notice": notice,
            "place": place,
            "spec": forms.spec(form),
        }
    )
    response = render(request, "surveys/portal_answer.html", context, status=status)
    add_never_cache_headers(response)
    return response


def _relevant(
    form: forms.Form, raw: dict[str, list[str]], today: object, language: str
) -> list[str]:
    return forms.check(form, raw, today, language).relevant  # type: ignore[arg-type]


def _int(text: str | None, default: int, most: int | None) -> int:
    try:
        value = int(text or "")
    except ValueError:
        return default
    if value < 0 or (most is not None and value > most):
        return default
    return value


def _send(
    request: HttpRequest,
    survey: Survey,
    version: SurveyVersion,
    place: int,
    raw: dict[str, list[str]],
    today: object,
    language: str,
    token: str,
    form: forms.Form,
) -> HttpResponse | tuple[dict[str, str], str]:
    new_token = token or secrets.token_urlsafe(24)
    try:
        services.answer_submit(
            survey=survey,
            version=version,
            unit=place,
            raw=raw,
            today=today,  # type: ignore[arg-type]
            language=language,
            token=new_token,
            form=form,
        )
    except services.AnswerInvalid as invalid:
        return invalid.checked.errors, str(invalid)
    except CaunoiError as error:
        return {}, str(error)
    response = redirect(request.path + "cam-on/")
    if not token:
        response.set_cookie(
            COOKIE,
            new_token,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def survey_thanks(request: HttpRequest, slugs: str, pk: int) -> HttpResponse:
    unit = _unit_at(slugs)
    survey, _version = _survey_on(unit, int(pk))
    return render(
        request,
        "surveys/portal_thanks.html",
        {"shown": unit, "ancestors": list(Unit.objects.get_ancestors(unit)), "survey": survey},
    )
