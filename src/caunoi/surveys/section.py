"""The surveys section of periodic reports: surveys held and answers received in a subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from caunoi.reports.sections import Figure, Period, SectionResult, Table
from caunoi.surveys.models import Answer, AnswerSource, Survey

if TYPE_CHECKING:
    from caunoi.core.models import Unit


class SurveysSection:
    key = "surveys"
    order = 30

    def title(self) -> str:
        return _("Khảo sát ý kiến")

    def build(self, *, unit: Unit, period: Period) -> SectionResult:
        held = (
            Survey.objects.filter(unit__path__startswith=unit.path)
            .filter(opens_on__lte=period.end, closes_on__gte=period.start)
            .select_related("unit")
            .annotate(
                n=Count(
                    "answers",
                    filter=Q(answers__day__gte=period.start, answers__day__lte=period.end),
                )
            )
            .order_by("opens_on", "pk")
        )
        answers = Answer.objects.filter(
            survey__unit__path__startswith=unit.path, day__gte=period.start, day__lte=period.end
        )
        paper = answers.filter(source=AnswerSource.PAPER).count()
        total = answers.count()
        rows = [
            [s.title, s.unit.name, s.opens_on.isoformat(), s.closes_on.isoformat(), s.n]
            for s in held
        ]
        return SectionResult(
            key=self.key,
            title=self.title(),
            figures=[
                Figure("surveys_held", _("Khảo sát được tổ chức"), len(rows)),
                Figure("answers", _("Câu trả lời nhận được"), total),
                Figure("paper_answers", _("Trong đó phiếu giấy"), paper),
            ],
            tables=[
                Table(
                    "surveys",
                    _("Các khảo sát trong kỳ"),
                    [_("Khảo sát"), _("Đơn vị"), _("Mở"), _("Đóng"), _("Câu trả lời")],
                    rows,
                )
            ],
        )
