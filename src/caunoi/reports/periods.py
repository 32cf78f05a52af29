"""Reading a period from what a person typed (query string, form, API), with messages that say
which field to fix."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.reports.sections import Period, PeriodError

KINDS = ("month", "quarter", "half", "year", "range")


class PeriodInputError(PeriodError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _int(params: Mapping[str, str], name: str, low: int, high: int, default: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise PeriodInputError(name, _("Hãy nhập một số.")) from None
    if not low <= value <= high:
        raise PeriodInputError(
            name, _("Hãy chọn từ %(low)d đến %(high)d.") % {"low": low, "high": high}
        )
    return value


def _date(params: Mapping[str, str], name: str) -> date:
    raw = (params.get(name) or "").strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise PeriodInputError(name, _("Hãy nhập ngày theo dạng năm-tháng-ngày.")) from None


def period_from(params: Mapping[str, str]) -> Period:
    """kind=month|quarter|half|year with year and number, or kind=range with start and end.
    Nothing given: the current quarter."""
    today = timezone.localdate()
    kind = (params.get("kind") or "quarter").strip()
    if kind not in KINDS:
        raise PeriodInputError("kind", _("Hãy chọn tháng, quý, 6 tháng, năm hoặc khoảng ngày."))
    if kind == "range":
        start, end = _date(params, "start"), _date(params, "end")
        try:
            return Period(start, end, "range")
        except PeriodError as error:
            raise PeriodInputError("end", str(error)) from None
    year = _int(params, "year", 2000, 2100, today.year)
    if kind == "month":
        return Period.month(year, _int(params, "number", 1, 12, today.month))
    if kind == "quarter":
        return Period.quarter(year, _int(params, "number", 1, 4, (today.month - 1) // 3 + 1))
    if kind == "half":
        return Period.half(year, _int(params, "number", 1, 2, 1 if today.month <= 6 else 2))
    return Period.year(year)


def period_query(period: Period) -> str:
    """The query string that gives `period` back through `period_from`."""
    if period.kind == "month":
        number = period.start.month
    elif period.kind == "quarter":
        number = (period.start.month - 1) // 3 + 1
    elif period.kind == "half":
        number = 1 if period.start.month == 1 else 2
    elif period.kind == "year":
        return f"kind=year&year={period.start.year}"
    else:
        return f"kind=range&start={period.start.isoformat()}&end={period.end.isoformat()}"
    return f"kind={period.kind}&year={period.start.year}&number={number}"
