"""The citizen's pages: report a problem (no account), the tracking page with its history,
follow by e-mail, reopen and rate, and each unit's public list of reports. No contact detail
ever reaches these pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.core import selectors as core_selectors
from caunoi.core.models import Unit
from caunoi.core.permissions import Action, can
from caunoi.core.ratelimit import rate_limit
from caunoi.feedback import followers, handling, selectors
from caunoi.feedback.duplicates import suggest_duplicates
from caunoi.feedback.forms import FollowForm, RateForm, ReopenForm, ReportForm
from caunoi.feedback.models import Photo, Report, Source, Status
from caunoi.feedback.services import Contact, ReportRejected, report_submit

PAGE = 30


def _unit_at(slugs: str) -> Unit:
    unit = core_selectors.unit_by_slugs(slugs.split("/"))
    if unit is None:
        raise Http404
    return unit


def _public(request: HttpRequest, response: HttpResponse, max_age: int = 120) -> HttpResponse:
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=max_age)
    return response


def _places(unit: Unit) -> list[Unit]:
    return list(core_selectors.subtree(unit).order_by("path")[:500])


def tracking_url(report: Report, *, secret: bool = False) -> str:
    url = f"/phan-anh/{report.public_id}/"
    return f"{url}?ma={report.secret}" if secret else url


def map_settings(unit: Unit) -> dict[str, str]:
    """The tile server, and where the map opens: the unit's area, else the configured centre."""
    from caunoi.feedback.models import UnitArea

    centre = settings.CAUNOI_MAP_CENTER
    area = UnitArea.objects.filter(unit__in=[*Unit.objects.get_ancestors(unit), unit])
    nearest = area.order_by("-unit__depth").first() if settings.CAUNOI_MAP_TILES else None
    if nearest is not None:
        lat, lon = (nearest.min_lat + nearest.max_lat) / 2, (nearest.min_lon + nearest.max_lon) / 2
        centre = f"{lat:.5f},{lon:.5f},13"
    return {
        "tiles": settings.CAUNOI_MAP_TILES,
        "attribution": settings.CAUNOI_MAP_ATTRIBUTION,
        "center": centre,
    }


def report_new(request: HttpRequest, slugs: str) -> HttpResponse:
    """Step one without a category: pick one. Step two: the form with its extra questions."""
    unit = _unit_at(slugs)
    categories = list(selectors.categories_for(unit=unit))
    code = request.POST.get("category") or request.GET.get("linh-vuc", "")
    category = next((c for c in categories if c.code == code), None)
    context: dict[str, Any] = {
        "shown": unit,
        "ancestors": list(Unit.objects.get_ancestors(unit)),
        "categories": categories,
        "category": category,
        "map": map_settings(unit),
        "retention_days": settings.CAUNOI_REPORT_CONTACT_RETENTION_DAYS,
    }
    if category is None:
        return _public(request, render(request, "feedback/report_pick.html", context))
    return _report_form(request, unit, category, context)


@rate_limit("report")
def _report_form(
    request: HttpRequest, unit: Unit, category: Any, context: dict[str, Any]
) -> HttpResponse:
    form = ReportForm(
        request.POST or None, request.FILES or None, category=category, places=_places(unit)
    )
    context["form"] = form
    if request.method != "POST":
        return render(request, "feedback/report_form.html", context)
    if request.POST.get("website"):  # the honeypot: people never see this field
        form.add_error(None, _("Không gửi được phản ánh. Hãy tải lại trang và thử lại."))
        return render(request, "feedback/report_form.html", context, status=400)
    if not form.is_valid():
        return render(request, "feedback/report_form.html", context, status=400)
    data = form.cleaned_data
    place = None
    if data["place_unit"]:
        place = core_selectors.subtree(unit).filter(pk=data["place_unit"]).first()
    if not data["send_anyway"]:
        lat, lon = _float(data["lat"]), _float(data["lon"])
        similar = suggest_duplicates(
            category=category, description=data["description"], lat=lat, lon=lon, unit=place
        )
        similar = [s for s in similar if s.report.is_public]
        if similar:
            context["similar"] = similar
            context["had_photos"] = bool(data["photos"])
            return render(request, "feedback/report_form.html", context, status=200)
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
            source=Source.PORTAL,
        )
    except ReportRejected as rejected:
        form.show_rejection(rejected)
        return render(request, "feedback/report_form.html", context, status=400)
    if data["follow"] and data["contact_email"]:
        followers.follow_request(
            report=report, email=data["contact_email"], language=get_language() or "vi"
        )
    return redirect(tracking_url(report, secret=True) + "&moi=1")


def _float(text: str) -> float | None:
    try:
        return float(text.replace(",", ".")) if text else None
    except ValueError:
        return None


def lookup(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("ma", "").strip()
    if wanted:
        report = selectors.report_by_public_id(wanted)
        if report is not None:
            return redirect(tracking_url(report))
    return render(request, "feedback/lookup.html", {"wanted": wanted, "missing": bool(wanted)})


def _report(public_id: str) -> Report:
    report = selectors.report_by_public_id(public_id)
    if report is None:
        raise Http404
    return report


def _owner(request: HttpRequest, report: Report) -> str:
    """The secret from the citizen's own link, when it matches; else ""."""
    given = request.GET.get("ma") or request.POST.get("ma") or ""
    full = Report.objects.only("secret").get(pk=report.pk)
    return given if given and given == full.secret else ""


def tracking(request: HttpRequest, public_id: str, **forms: Any) -> HttpResponse:
    report = _report(public_id)
    secret = _owner(request, report)
    reopen_allowed = report.status in (Status.RESOLVED, Status.CLOSED) and bool(secret)
    context = {
        "report": report,
        "photos": selectors.public_photos(report),
        "result_photos": selectors.result_photos(report),
        "media_link": _media_link(report),
        "history": selectors.public_history(report),
        "guidance": selectors.guidance_for(report.unit) if report.legal_kind else "",
        "secret": secret,
        "new": request.GET.get("moi") == "1" and bool(secret),
        "follow_form": forms.get("follow_form") or FollowForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "rate_form": forms.get("rate_form") or RateForm(),
        "reopen_allowed": reopen_allowed,
        "followed": forms.get("followed", False),
        "error": forms.get("error", ""),
    }
    response = render(
        request, "feedback/tracking.html", context, status=400 if forms.get("error") else 200
    )
    if secret:
        patch_cache_control(response, private=True, no_store=True)
        response["Referrer-Policy"] = "no-referrer"
        return response
    return _public(request, response, max_age=60)


def _media_link(report: Report) -> str:
    """The photo link a 311 app sent, once a handler checked and published it."""
    if report.source != Source.OPEN311 or not report.is_public:
        return ""
    from caunoi.open311.selectors import submitted_media_url

    return submitted_media_url(report, public_only=True)


@require_POST
@rate_limit("post")
def follow(request: HttpRequest, public_id: str) -> HttpResponse:
    report = _report(public_id)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return tracking(request, public_id, follow_form=form, error=_("Hãy sửa địa chỉ thư."))
    try:
        followers.follow_request(
            report=report, email=form.cleaned_data["email"], language=get_language() or "vi"
        )
    except followers.FollowError as error:
        return tracking(request, public_id, follow_form=form, error=str(error))
    return tracking(request, public_id, followed=True)


def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            follower = followers.follow_confirm(token=token)
        except followers.FollowError as error:
            return render(request, "feedback/follow_done.html", {"error": str(error)}, status=404)
        return render(request, "feedback/follow_done.html", {"report": follower.report})
    # A GET only shows a button: mail scanners that open links must not confirm anything.
    return render(request, "feedback/follow_done.html", {"confirm": token})


def follow_stop(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        report = followers.unfollow(token=token)
        return render(request, "feedback/follow_done.html", {"stopped": True, "report": report})
    return render(request, "feedback/follow_done.html", {"stop": token})


@require_POST
@rate_limit("post")
def reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    report = _report(public_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return tracking(request, public_id, reopen_form=form, error=_("Hãy ghi lý do."))
    try:
        handling.report_reopen(
            report=report, secret=request.POST.get("ma", ""), reason=form.cleaned_data["reason"]
        )
    except handling.ReportError as error:
        return tracking(request, public_id, reopen_form=form, error=str(error))
    return HttpResponseRedirect(tracking_url(report) + f"?ma={request.POST.get('ma', '')}")


@require_POST
@rate_limit("post")
def rate(request: HttpRequest, public_id: str) -> HttpResponse:
    report = _report(public_id)
    form = RateForm(request.POST)
    if not form.is_valid():
        return tracking(request, public_id, rate_form=form, error=_("Hãy chọn số sao."))
    try:
        handling.report_rate(
            report=report,
            secret=request.POST.get("ma", ""),
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except handling.ReportError as error:
        return tracking(request, public_id, rate_form=form, error=str(error))
    return HttpResponseRedirect(tracking_url(report) + f"?ma={request.POST.get('ma', '')}")


def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A report photo: public once the report is, unless hidden; always for its handlers."""
    found = Photo.objects.select_related("report", "report__unit").filter(pk=pk).first()
    if found is None:
        raise Http404
    visible = found.report.is_public and not found.hidden
    if not visible and not can(request.user, Action.REPORT_HANDLE, found.report.unit):
        raise Http404
    if not found.public_file:  # a hidden photo erased at the end of the retention period
        raise Http404
    # Everyone gets the blurred copy here, handlers too: this address is the public one.
    response = FileResponse(found.public_file.open("rb"), content_type=found.content_type)
    if visible:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def unit_reports(request: HttpRequest, slugs: str) -> HttpResponse:
    """The unit's public list and map of reports, filtered by category, status and period."""
    from caunoi.feedback.filters import PublicFilter

    unit = _unit_at(slugs)
    chosen = PublicFilter.from_request(request, unit)
    reports = selectors.reports_public(unit=unit, **chosen.arguments())
    page = Paginator(reports, PAGE).get_page(request.GET.get("page"))
    points = [
        {"id": r.public_id, "lat": r.lat, "lon": r.lon, "status": r.get_status_display()}
        for r in page.object_list
        if r.lat is not None and r.lon is not None
    ]
    return _public(
        request,
        render(
            request,
            "feedback/unit_reports.html",
            {
                "shown": unit,
                "ancestors": list(Unit.objects.get_ancestors(unit)),
                "page": page,
                "filter": chosen,
                "query": chosen.query(),
                "points": points,
                "map": map_settings(unit),
            },
        ),
    )
