"""The training section of the periodic report: sessions held, people trained, completion rate."""

from __future__ import annotations

from django.utils.translation import gettext as _

from caunoi.core.models import Unit
from caunoi.reports.sections import Figure, Period, SectionResult
from caunoi.training.selectors import figures


class TrainingSection:
    key = "training"
    order = 50

    def title(self) -> str:
        return _("Tập huấn, bồi dưỡng")

    def build(self, *, unit: Unit, period: Period) -> SectionResult:
        found = figures(unit=unit, start=period.start, end=period.end)
        return SectionResult(
            key=self.key,
            title=self.title(),
            figures=[
                Figure("sessions_held", _("Lớp tập huấn đã tổ chức"), found.sessions_held),
                Figure("people_trained", _("Người được tập huấn"), found.people_trained),
                Figure("people_completed", _("Người hoàn thành"), found.people_completed),
                Figure("completion_rate", _("Tỷ lệ hoàn thành"), found.completion_rate, "%"),
            ],
        )
