"""GeoReport v2 reads: discovery, services, service definitions, requests, tokens.

POST requests is in intake.py; both share /requests.<format> through `requests`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import dateparse, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caunoi.feedback import selectors as feedback
from caunoi.open311 import formats, intake, shapes
from caunoi.open311.endpoint import Problem, endpoint, jurisdiction, within
from caunoi.open311.selectors import with_media

WINDOW = timedelta(days=90)  # the spec's default span, and the longest one may ask for
MAX_REQUESTS = 1000  # the spec's default cap; page_size may not exceed it
API_CHANGESET = "2026-11-23T00:00:00+07:00"  # when this API's shape last changed


@require_GET
@endpoint
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311:root"))
    data = {
        "changeset": API_CHANGESET,
        "contact": settings.CAUNOI_OPEN311_CONTACT,
        "key_service": settings.CAUNOI_OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": shapes.SPECIFICATION,
                "url": url.rstrip("/"),
                "changeset": API_CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return formats.respond(fmt, "discovery", data)


@require_GET
@endpoint
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    unit = jurisdiction(request.GET)
    listed = [shapes.service(c) for c in feedback.categories_for(unit=unit)]
    return formats.respond(fmt, "services", listed)


@require_GET
@endpoint
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    unit = jurisdiction(request.GET)
    found = next((c for c in feedback.categories_for(unit=unit) if c.code == code), None)
    if found is None:
        raise Problem(404, _("service_code: không có lĩnh vực “%(code)s” ở đây.") % {"code": code})
    return formats.respond(fmt, "service_definition", shapes.service_definition(found))


@require_http_methods(["GET", "POST"])
@endpoint
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return intake.post_request(request, fmt=fmt)
    return _request_list(request, fmt)


def _moment(name: str, text: str) -> datetime:
    try:
        parsed = dateparse.parse_datetime(text.strip().replace(" ", "+"))
    except ValueError:
        parsed = None
    if parsed is None:
        raise Problem(
            400,
            _("%(name)s: “%(value)s” không phải ngày giờ; dùng dạng 2026-01-31T00:00:00Z.")
            % {"name": name, "value": text},
        )
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _window(start_text: str, end_text: str) -> tuple[datetime, datetime]:
    start = _moment("start_date", start_text) if start_text else None
    end = _moment("end_date", end_text) if end_text else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        assert end is not None
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if end < start:
        raise Problem(400, _("end_date: phải sau start_date."))
    if end - start > WINDOW:
        raise Problem(400, _("start_date, end_date: khoảng thời gian không được quá 90 ngày."))
    return start, end


def _whole(name: str, text: str, *, default: int, largest: int) -> int:
    if not text.strip():
        return default
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= largest:
        raise Problem(
            400,
            _("%(name)s: phải là số nguyên từ 1 đến %(largest)s.")
            % {"name": name, "largest": largest},
        )
    return number


def _listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _public_id(text: str) -> str:
    wanted = text.strip().upper()
    if "-" not in wanted and len(wanted) == 8:
        wanted = f"{wanted[:4]}-{wanted[4:]}"
    return wanted


def _status(text: str) -> str:
    """ "open", "closed", or "" for both."""
    statuses = {s.lower() for s in _listed(text)}
    unknown = statuses - {"open", "closed"}
    if unknown:
        raise Problem(
            400,
            _("status: “%(value)s” không hợp lệ; dùng open, closed hoặc cả hai.")
            % {"value": sorted(unknown)[0]},
        )
    return statuses.pop() if len(statuses) == 1 else ""


def _request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    unit = jurisdiction(params)
    page = _whole("page", params.get("page", ""), default=1, largest=1_000_000)
    size = _whole(
        "page_size", params.get("page_size", ""), default=MAX_REQUESTS, largest=MAX_REQUESTS
    )
    ids = _listed(params.get("service_request_id", ""))
    if ids:  # "This overrides all other arguments."
        reports = feedback.reports_public(unit=unit).filter(
            public_id__in=[_public_id(i) for i in ids[:MAX_REQUESTS]]
        )
    else:
        reports = feedback.reports_public(unit=unit, status=_status(params.get("status", "")))
        codes = _listed(params.get("service_code", ""))
        if codes:
            reports = reports.filter(category__code__in=codes)
        start, end = _window(params.get("start_date", ""), params.get("end_date", ""))
        reports = reports.filter(created_at__gte=start, created_at__lte=end)
    first = (page - 1) * size
    base = request.build_absolute_uri("/")
    listed = [
        shapes.service_request(r, base_url=base) for r in with_media(reports)[first : first + size]
    ]
    return formats.respond(fmt, "service_requests", listed)


@require_GET
@endpoint
def request_detail(request: HttpRequest, public_id: str, *, fmt: str) -> HttpResponse:
    report = feedback.report_by_public_id(public_id)
    scope = jurisdiction(request.GET) if request.GET.get("jurisdiction_id") else None
    if report is None or (scope is not None and not within(report.unit, scope)):
        raise Problem(404, _("service_request_id: không có phản ánh “%(id)s”.") % {"id": public_id})
    report = with_media(feedback.reports_public(unit=report.unit).filter(pk=report.pk)).get()
    shown = shapes.service_request(report, base_url=request.build_absolute_uri("/"))
    return formats.respond(fmt, "service_requests", [shown])


@require_GET
@endpoint
def token(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    """Our service requests are realtime, so an id is returned at once; a client that keeps
    what it got as a token can still turn it into the id here."""
    report = feedback.report_by_public_id(token)
    scope = jurisdiction(request.GET) if request.GET.get("jurisdiction_id") else None
    if report is None or (scope is not None and not within(report.unit, scope)):
        raise Problem(404, _("token: không có mã “%(token)s”.") % {"token": token})
    listed = [{"service_request_id": report.public_id, "token": token}]
    return formats.respond(fmt, "service_requests", listed)


@endpoint
def not_found(request: HttpRequest, rest: str = "", *, fmt: str) -> HttpResponse:
    raise Problem(
        404,
        _("Không có địa chỉ này trong GeoReport v2; xem discovery.%(fmt)s.") % {"fmt": fmt},
    )
