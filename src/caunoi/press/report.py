"""The press section of the periodic report: briefings held, outlets attending, releases sent,
coverage items, for a unit's subtree over a period."""

from __future__ import annotations

from django.utils.translation import gettext as _

from caunoi.core.models import Unit
from caunoi.press.selectors import figures, people_attending
from caunoi.reports.sections import Chart, Figure, Period, SectionResult, Table


class PressSection:
    key = "press"
    order = 40

    def title(self) -> str:
        return _("Báo chí: giao ban, thông cáo, bài phản ánh")

    def build(self, *, unit: Unit, period: Period) -> SectionResult:
        found = figures(unit=unit, start=period.start, end=period.end)
        outlets = [name for name, _n in found.coverage_by_outlet]
        counts = [float(n) for _name, n in found.coverage_by_outlet]
        return SectionResult(
            key=self.key,
            title=self.title(),
            figures=[
                Figure(
                    "briefings_held", _("Buổi giao ban báo chí đã tổ chức"), found.briefings_held
                ),
                Figure("urgent_held", _("Trong đó giao ban đột xuất"), found.urgent_held),
                Figure("outlets_attending", _("Cơ quan báo chí dự"), found.outlets_attending),
                Figure(
                    "people_attending",
                    _("Lượt phóng viên dự"),
                    people_attending(unit=unit, start=period.start, end=period.end),
                ),
                Figure("releases_sent", _("Thông cáo báo chí đã gửi"), found.releases_sent),
                Figure("coverage_items", _("Bài báo phản ánh"), found.coverage_items),
            ],
            tables=[
                Table(
                    "coverage_by_outlet",
                    _("Bài báo phản ánh theo cơ quan báo chí"),
                    [_("Cơ quan báo chí"), _("Số bài")],
                    [[name, n] for name, n in found.coverage_by_outlet],
                )
            ],
            charts=[
                Chart(
                    "coverage_by_outlet",
                    _("Bài báo phản ánh theo cơ quan báo chí"),
                    "bar",
                    outlets,
                    {_("Số bài"): counts},
                )
            ]
            if outlets
            else [],
        )
