"""The staff results screen: counts per question, one cross-tabulation, charts beside tables."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caunoi.core.charts import bar_chart
from caunoi.core.permissions import Action, require
from caunoi.staff.views import _context, _user, current_unit
from caunoi.surveys import results as figures
from caunoi.surveys.models import Survey


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("unit"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, survey.unit)
    language = (get_language() or "vi")[:2]
    found = figures.survey_results(survey, language)
    charts = {
        q.name: bar_chart(
            title=q.label,
            labels=[r.label for r in q.rows],
            series={_("Số câu trả lời"): [r.count for r in q.rows]},
        )
        for q in found.questions
        if q.rows
    }
    question = request.GET.get("q", "")
    by = request.GET.get("by", "")
    table = figures.crosstab(survey, question, by, language, found) if question and by else None
    table_chart = None
    if table is not None:
        table_chart = bar_chart(
            title=table.title,
            labels=table.columns,
            series={row: table.cells[i] for i, row in enumerate(table.rows)},
        )
    return render(
        request,
        "surveys/results.html",
        _context(
            request,
            current_unit(request),
            survey=survey,
            found=found,
            charts=charts,
            choices=figures.options(survey, language),
            question=question,
            by=by,
            by_unit=figures.BY_UNIT,
            table=table,
            table_rows=list(zip(table.rows, table.cells, strict=True)) if table else [],
            table_chart=table_chart,
        ),
    )


@login_required
def results_by_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """Results per child unit of the survey's unit, with the same small-group protection."""
    survey = get_object_or_404(Survey.objects.select_related("unit"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, survey.unit)
    language = (get_language() or "vi")[:2]
    found = figures.survey_results(survey, language)
    table = figures.results_by_unit(survey, language, found)
    questions = []
    if table is not None:
        for q in table.questions:
            chart = bar_chart(
                title=q.label,
                labels=table.columns,
                series={row: q.percents[i] for i, row in enumerate(q.rows)},
            )
            rows = [
                (label, list(zip(q.cells[i], q.percents[i], strict=True)))
                for i, label in enumerate(q.rows)
            ]
            questions.append((q, chart, rows))
    return render(
        request,
        "surveys/results_units.html",
        _context(
            request,
            current_unit(request),
            survey=survey,
            found=found,
            table=table,
            questions=questions,
        ),
    )
