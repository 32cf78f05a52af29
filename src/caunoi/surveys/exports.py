"""XLSX and CSV of the same protected aggregates the results screen shows, and raw answers
(closed questions only, only from k answers up, free text only if the unit admin allows)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]

from caunoi.core import audit
from caunoi.core.permissions import Action, require
from caunoi.staff.views import _user
from caunoi.surveys import results as figures
from caunoi.surveys.models import Survey

TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def aggregate_rows(
    survey: Survey, language: str, question: str = "", by: str = ""
) -> list[list[Any]]:
    found = figures.survey_results(survey, language)
    rows: list[list[Any]] = [[_("Câu hỏi"), _("Trả lời"), _("Số câu trả lời"), _("Tỉ lệ (%)")]]
    rows.append([_("Tổng số câu trả lời"), "", found.total, ""])
    for q in found.questions:
        for row in q.rows:
            rows.append([q.label, row.label, row.count, round(row.percent, 1)])
        if q.answered is not None:
            rows.append([q.label, _("đã trả lời"), q.answered, ""])
        if q.mean is not None:
            rows.append([q.label, _("trung bình"), q.mean, ""])
        if q.hidden_note:
            rows.append([q.label, q.hidden_note, "", ""])
    table = figures.crosstab(survey, question, by, language, found) if question and by else None
    if table is not None:
        rows.append([])
        rows.append([table.title, *table.columns])
        for label, cells in zip(table.rows, table.cells, strict=True):
            rows.append([label, *cells])
        rows.append([_("Tổng"), *table.column_totals])
        if table.merged_note:
            rows.append([table.merged_note])
    return rows


def _send(rows: list[list[Any]], fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows(rows)
        body: bytes = ("\ufeff" + buffer.getvalue()).encode()
    else:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        body = out.getvalue()
    response = HttpResponse(body, content_type=TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _survey(request: HttpRequest, pk: int, fmt: str) -> Survey:
    if fmt not in TYPES:
        raise Http404
    survey = get_object_or_404(Survey.objects.select_related("unit"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, survey.unit)
    return survey


@login_required
def results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = _survey(request, pk, fmt)
    language = (get_language() or "vi")[:2]
    rows = aggregate_rows(survey, language, request.GET.get("q", ""), request.GET.get("by", ""))
    return _send(rows, fmt, f"khao-sat-{survey.pk}-ket-qua")


def unit_rows(survey: Survey, language: str) -> list[list[Any]]:
    """The results per child unit: counts and the share of each unit's answers."""
    table = figures.results_by_unit(survey, language)
    if table is None:
        return [[_("Chưa đủ %(k)d câu trả lời nên chưa có kết quả.") % {"k": survey.k}]]
    head = [_("Câu hỏi"), _("Trả lời")]
    rows: list[list[Any]] = [[*head, *table.columns]]
    rows.append([_("Tổng số câu trả lời"), "", *table.totals])
    for q in table.questions:
        for label, cells, percents in zip(q.rows, q.cells, q.percents, strict=True):
            rows.append([q.label, label, *cells])
            rows.append([q.label, f"{label} (%)", *[round(p, 1) for p in percents]])
        if q.hidden_note:
            rows.append([q.label, q.hidden_note])
    if table.merged_note:
        rows.append([table.merged_note])
    return rows


@login_required
def results_units_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = _survey(request, pk, fmt)
    language = (get_language() or "vi")[:2]
    return _send(unit_rows(survey, language), fmt, f"khao-sat-{survey.pk}-theo-don-vi")


@login_required
def answers_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = _survey(request, pk, fmt)
    require(_user(request), Action.SURVEY_MANAGE, survey.unit)
    header, rows = figures.closed_rows(survey)
    if len(rows) < survey.k:
        return HttpResponse(
            _("Chưa đủ %(k)d câu trả lời nên chưa xuất dữ liệu thô.") % {"k": survey.k},
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    audit.record(
        "caunoi.survey.answers_exported",
        actor=_user(request),
        unit=survey.unit,
        obj=survey,
        changes={"answers": [None, len(rows)], "free_text": [None, survey.free_text_export]},
    )
    rows.sort(key=lambda row: [str(v) for v in row])
    return _send([header, *rows], fmt, f"khao-sat-{survey.pk}-cau-tra-loi")
