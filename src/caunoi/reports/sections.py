"""The one interface between `reports/` and the apps that own figures.

An app registers a section in its AppConfig.ready():

    from caunoi.reports.sections import register
    register(FeedbackSection())

A section turns (unit subtree, period) into a SectionResult: headline figures, tables and
chart data. `reports/` renders, compares, exports and freezes those results; it never reads
another app's tables. Changes to this module are additive only: every app builds on it.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext as _

from caunoi.core.errors import CaunoiError

if TYPE_CHECKING:
    from caunoi.core.models import Unit


class PeriodError(CaunoiError):
    pass


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in the office's time zone."""

    start: date
    end: date
    kind: str = "range"  # month, quarter, half, year or range

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                _("Kỳ báo cáo kết thúc (%(end)s) trước khi bắt đầu (%(start)s). Hãy sửa lại ngày.")
                % {"start": self.start.isoformat(), "end": self.end.isoformat()}
            )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(
            date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
        )

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), cls.month(year, first + 2).end, "quarter")

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        first = 6 * (half - 1) + 1
        return cls(date(year, first, 1), cls.month(year, first + 5).end, "half")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before, of the same kind (the same length for a range)."""
        if self.kind == "month":
            before = self.start - timedelta(days=1)
            return Period.month(before.year, before.month)
        if self.kind in ("quarter", "half", "year"):
            months = {"quarter": 3, "half": 6, "year": 12}[self.kind]
            index = (self.start.year * 12 + self.start.month - 1) - months
            start = date(index // 12, index % 12 + 1, 1)
            end_index = index + months - 1
            end = Period.month(end_index // 12, end_index % 12 + 1).end
            return Period(start, end, self.kind)
        return Period(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), "range"
        )

    def same_last_year(self) -> Period:
        def back(day: date) -> date:
            last = calendar.monthrange(day.year - 1, day.month)[1]
            return date(day.year - 1, day.month, min(day.day, last))

        return Period(back(self.start), back(self.end), self.kind)


@dataclass
class Figure:
    """One headline number: "Phản ánh đã tiếp nhận: 124"."""

    key: str
    label: str
    value: float | int | None
    unit: str = ""  # "%", "ngày", ...
    url: str = ""  # where the underlying items are listed, if the app has such a page


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]  # numbers stay numbers: exports write them as numbers
    links: list[str] = field(default_factory=list)  # per row, the underlying items ("" = none)


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar" or "line"
    labels: list[str]
    series: dict[str, list[float]]


@dataclass
class SectionResult:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


class Section(Protocol):
    key: str  # "publishing", "feedback", "surveys", "press", "training"
    order: int  # place in the report, low first

    def title(self) -> str: ...

    def build(self, *, unit: Unit, period: Period) -> SectionResult: ...


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


# --- Counters (additive) -------------------------------------------------------------------
# An app whose figures are counts feeds them as they happen through
# caunoi.reports.services.count(unit=..., day=..., key="feedback.received"), and reads subtree
# totals back with caunoi.reports.counters.totals(...). To let `caunoi reports check` prove the
# counters agree with its raw data, the section also offers a recount:


@dataclass(frozen=True)
class RawCount:
    """What the raw data says: `value` events of `key` at `unit_id` itself on `day`."""

    unit_id: int
    key: str
    day: date
    value: int


class CountedSection(Section, Protocol):
    counter_keys: tuple[str, ...]  # every key this section feeds, "<app>.<what>"
    # Optional: `counter_prefixes = ("feedback.",)` when the section also feeds keys made as
    # data arrives ("feedback.category.12.received"); the check then covers them all.

    def recount(
        self, *, start: date, end: date, unit_ids: Collection[int] | None = None
    ) -> list[RawCount]:
        """Count the raw data again, per unit where it happened, key and day; only the raw
        data held by `unit_ids` when given (the check goes through the tree in batches)."""
        ...

    # Optional: `recount_span() -> tuple[date, date] | None`, the first and last day of the
    # raw data, so the check reads only the days that hold something.


# Optional on any section, for the table comparing child units: one grouped read for all of
# them instead of one build() per child:
#     def figures_by_unit(self, *, units: Sequence[Unit], period: Period)
#         -> dict[int, list[Figure]]: ...
# returning, for each unit's subtree, the same headline figures build() would.


def counted_sections() -> list[CountedSection]:
    return [s for s in sections() if hasattr(s, "recount") and hasattr(s, "counter_keys")]  # type: ignore[misc]


def unregister(key: str) -> None:
    """Forget a section (tests register their own and remove them afterwards)."""
    _SECTIONS.pop(key, None)
