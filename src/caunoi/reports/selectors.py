"""Reading reports: one function builds the numbers, and the dashboard, the API, the Word and
Excel files all render what it returns (so they can never show different numbers)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from caunoi.core.models import Unit
from caunoi.reports.models import PeriodicReport, ReportRequest, ReportState
from caunoi.reports.sections import Period, SectionResult, sections

Data = dict[str, Any]


def section_results(*, unit: Unit, period: Period) -> list[SectionResult]:
    return [section.build(unit=unit, period=period) for section in sections()]


def _section_data(result: SectionResult) -> Data:
    return dataclasses.asdict(result)


def _per_1000(value: Any, population: int | None) -> float | None:
    if not population or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return round(value * 1000 / population, 2)


def headline_by_unit(*, units: list[Unit], period: Period) -> dict[int, dict[str, Any]]:
    """Each unit's headline figures ("feedback.received": 12, ...): one grouped pass per section
    that offers `figures_by_unit`, one build per unit for the others."""
    found: dict[int, dict[str, Any]] = {u.pk: {} for u in units}
    for section in sections():
        grouped = getattr(section, "figures_by_unit", None)
        if grouped is not None:
            per_unit = grouped(units=units, period=period)
        else:
            per_unit = {u.pk: section.build(unit=u, period=period).figures for u in units}
        for pk, figures in per_unit.items():
            found[pk].update({f"{section.key}.{f.key}": f.value for f in figures})
    return found


def _children(*, unit: Unit, period: Period, columns: list[Data]) -> list[Data]:
    children = list(Unit.objects.get_children(unit).order_by("name"))
    if not children:
        return []
    figures = headline_by_unit(units=children, period=period)
    rows = []
    for child in children:
        values = figures[child.pk]
        rows.append(
            {
                "unit": {"id": child.pk, "name": child.name, "population": child.population},
                "values": {c["key"]: values.get(c["key"]) for c in columns},
                "per_1000": {
                    c["key"]: _per_1000(values.get(c["key"]), child.population)
                    if not c["unit"]
                    else None
                    for c in columns
                },
            }
        )
    return rows


def _period_data(period: Period) -> Data:
    return {"kind": period.kind, "start": period.start.isoformat(), "end": period.end.isoformat()}


def report_data(*, unit: Unit, period: Period, children: bool = True) -> Data:
    """Every number of `unit`'s report for `period`: sections, comparisons, child units."""
    results = section_results(unit=unit, period=period)
    # The comparisons need the headline figures only, not the tables and charts.
    previous = headline_by_unit(units=[unit], period=period.previous())[unit.pk]
    last_year = headline_by_unit(units=[unit], period=period.same_last_year())[unit.pk]
    data_sections = []
    columns: list[Data] = []
    for result in results:
        item = _section_data(result)
        for figure in item["figures"]:
            key = f"{result.key}.{figure['key']}"
            figure["previous"] = previous.get(key)
            figure["last_year"] = last_year.get(key)
            if isinstance(figure["value"], int | float) and not isinstance(figure["value"], bool):
                columns.append({"key": key, "label": figure["label"], "unit": figure["unit"]})
        data_sections.append(item)
    return {
        "unit": {"id": unit.pk, "name": unit.name, "population": unit.population},
        "period": _period_data(period),
        "previous": _period_data(period.previous()),
        "last_year": _period_data(period.same_last_year()),
        "sections": data_sections,
        "columns": columns,
        "children": _children(unit=unit, period=period, columns=columns) if children else [],
    }


def periodic_report_data(report: PeriodicReport) -> Data:
    """A submitted report's frozen numbers; a draft's current ones."""
    if report.snapshot is not None and report.state != ReportState.DRAFT:
        return dict(report.snapshot)
    return report_data(unit=report.unit, period=report_period(report), children=False)


def report_period(report: PeriodicReport | ReportRequest) -> Period:
    return Period(report.start, report.end, report.kind)


def reports_of(*, unit: Unit) -> QuerySet[PeriodicReport]:
    return PeriodicReport.objects.filter(unit=unit).select_related("request")


def requests_for(*, unit: Unit) -> QuerySet[ReportRequest]:
    """Requests from the level directly above `unit`."""
    parent = Unit.objects.get_parent(unit)
    if parent is None:
        return ReportRequest.objects.none()
    return ReportRequest.objects.filter(unit=parent)


def is_late(*, request: ReportRequest, report: PeriodicReport | None, today: date) -> bool:
    if report is not None and report.submitted_at is not None:
        return timezone.localdate(report.submitted_at) > request.deadline
    return today > request.deadline


def request_status(*, request: ReportRequest) -> list[Data]:
    """For each unit directly below the requesting one: its report, submitted or not, late."""
    today = timezone.localdate()
    children = list(Unit.objects.get_children(request.unit).order_by("name"))
    reports = {
        r.unit_id: r
        for r in PeriodicReport.objects.filter(
            unit__in=children, start=request.start, end=request.end
        )
    }
    return [
        {
            "unit": child,
            "report": reports.get(child.pk),
            "late": is_late(request=request, report=reports.get(child.pk), today=today),
        }
        for child in children
    ]
