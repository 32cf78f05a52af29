"""A section registered by the tests themselves: citizen reports "received" and "answered",
counted through the reports counters, with its raw data kept in a list so a recount can be
compared with the roll-ups."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest

from caunoi.core.models import Unit
from caunoi.reports import counters
from caunoi.reports.sections import (
    Chart,
    Figure,
    Period,
    RawCount,
    SectionResult,
    Table,
    register,
    unregister,
)

# feedback's fixtures, for the tests of its counters (and its media directory for every test)
from tests.feedback.conftest import _media, fb  # noqa: F401

KEYS = ("sample.received", "sample.answered")


@dataclass
class SampleSection:
    key: str = "sample"
    order: int = 10
    counter_keys: tuple[str, ...] = KEYS
    raw: list[RawCount] = field(default_factory=list)

    def title(self) -> str:
        return "Phản ánh mẫu"

    def add(self, unit: Unit, day: date, key: str = "sample.received", n: int = 1) -> None:
        """The app's write: the raw row and its counter, together."""
        self.raw.append(RawCount(unit.pk, key, day, n))
        counters.count(unit=unit, key=key, day=day, amount=n)

    def build(self, *, unit: Unit, period: Period) -> SectionResult:
        found = counters.totals(unit=unit, period=period, keys=KEYS)
        months = counters.monthly(unit=unit, period=period, keys=KEYS)
        received, answered = found["sample.received"], found["sample.answered"]
        return SectionResult(
            key=self.key,
            title=self.title(),
            figures=[
                Figure("received", "Đã tiếp nhận", received, url=f"/items/{unit.pk}/"),
                Figure("answered", "Đã trả lời", answered),
                Figure(
                    "answered_share",
                    "Tỉ lệ trả lời",
                    round(100 * answered / received, 1) if received else None,
                    "%",
                ),
            ],
            tables=[
                Table(
                    "by_month",
                    "Theo tháng",
                    ["Tháng", "Đã tiếp nhận", "Đã trả lời"],
                    [[m, v["sample.received"], v["sample.answered"]] for m, v in months.items()],
                )
            ],
            charts=[
                Chart(
                    "by_month",
                    "Phản ánh theo tháng",
                    "bar",
                    list(months),
                    {
                        "Đã tiếp nhận": [float(v["sample.received"]) for v in months.values()],
                        "Đã trả lời": [float(v["sample.answered"]) for v in months.values()],
                    },
                )
            ],
        )

    def recount(
        self, *, start: date, end: date, unit_ids: Collection[int] | None = None
    ) -> list[RawCount]:
        return [
            r
            for r in self.raw
            if start <= r.day <= end and (unit_ids is None or r.unit_id in unit_ids)
        ]


@pytest.fixture
def sample() -> Iterator[SampleSection]:
    section = SampleSection()
    register(section)
    yield section
    unregister(section.key)
