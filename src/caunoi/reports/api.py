"""JSON API of reports for staff tools: the same numbers as the dashboard and the exports,
described by OpenAPI at /api/reports/openapi.json. Session login (the staff account)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.security import django_auth

from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, require
from caunoi.reports.models import PeriodicReport
from caunoi.reports.periods import PeriodInputError, period_from
from caunoi.reports.selectors import periodic_report_data, report_data

api = NinjaAPI(
    title="caunoi reports",
    version="1",
    urls_namespace="reports_api",
    docs_url=None,  # the docs page loads Swagger from a CDN; the OpenAPI JSON stays
    auth=django_auth,
    description="Roll-up figures of a unit's subtree for a period, and periodic reports.",
)


class PeriodQuery(Schema):
    kind: str = "quarter"
    year: str | None = None
    number: str | None = None
    start: str | None = None
    end: str | None = None


class PeriodicOut(Schema):
    id: int
    unit_id: int
    state: str
    number: int | None
    submitted_at: str | None
    achievements: str
    limitations: str
    next_tasks: str
    data: dict[str, Any]


@api.exception_handler(PeriodInputError)
def _bad_period(request: HttpRequest, error: PeriodInputError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": [{"loc": ["query", error.field], "msg": str(error)}]},
        status=400,
    )


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Bạn không có quyền xem báo cáo của đơn vị này.")}, status=403
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@api.get("/units/{unit_id}", response=dict[str, Any], summary="A unit's report for a period")
def unit_report(request: HttpRequest, unit_id: int, period: Query[PeriodQuery]) -> Any:
    """kind=month|quarter|half|year with year and number, or kind=range with start and end
    (YYYY-MM-DD). Every figure covers the unit's whole subtree."""
    unit = get_object_or_404(Unit, pk=unit_id)
    require(_user(request), Action.UNIT_VIEW, unit)
    params = {k: v for k, v in period.dict().items() if v is not None}
    return report_data(unit=unit, period=period_from(params))


@api.get("/periodic/{report_id}", response=PeriodicOut, summary="A periodic report")
def periodic_report(request: HttpRequest, report_id: int) -> Any:
    """A submitted report carries the numbers frozen when it was submitted."""
    report = get_object_or_404(PeriodicReport.objects.select_related("unit"), pk=report_id)
    require(_user(request), Action.UNIT_VIEW, report.unit)
    return {
        "id": report.pk,
        "unit_id": report.unit_id,
        "state": report.state,
        "number": report.number,
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
        "achievements": report.achievements,
        "limitations": report.limitations,
        "next_tasks": report.next_tasks,
        "data": periodic_report_data(report),
    }
