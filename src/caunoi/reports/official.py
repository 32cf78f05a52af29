"""The words of an official document around the numbers: issuing body, number and symbol,
place and date, title, signer and recipients, from the unit's document settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import IO, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caunoi.core.models import Unit, UnitKind
from caunoi.core.text import fold
from caunoi.reports.models import DocumentSettings, PeriodicReport
from caunoi.reports.sections import Period

_ADMINISTRATIVE = {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE}
_PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ")


def _vietnamese() -> bool:
    return (get_language() or "vi").startswith("vi")


def place_date(place: str, day: date) -> str:
    """ "Lào Cai, ngày 05 tháng 3 năm 2026": days below 10 and months 1–2 take a leading zero.
    In another document language, that language's own long date: "Lào Cai, 5 March 2026"."""
    if not _vietnamese():
        return f"{place}, {date_format(day, 'j F Y')}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def body_name(unit: Unit | None) -> str:
    """The issuing body: a commune's people's committee, or the organization itself."""
    if unit is None:
        return ""
    if unit.kind in _ADMINISTRATIVE:
        name = unit.name[:1].lower() + unit.name[1:] if _vietnamese() else unit.name
        return _("Ủy ban nhân dân %(name)s") % {"name": name}
    return unit.name


def default_symbol(unit: Unit) -> str:
    if unit.kind in _ADMINISTRATIVE:
        return "UBND"
    words = [w for w in fold(unit.name).upper().split() if w[:1].isalpha()]
    return "".join(w[0] for w in words)[:10]


def default_place(unit: Unit) -> str:
    top = Unit.objects.get_root(unit)
    name = str(top.name)
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def period_label(period: Period) -> str:
    year = period.start.year
    if period.kind == "month":
        return _("tháng %(month)d năm %(year)d") % {"month": period.start.month, "year": year}
    if period.kind == "quarter":
        roman = ("I", "II", "III", "IV")[(period.start.month - 1) // 3]
        return _("quý %(quarter)s năm %(year)d") % {"quarter": roman, "year": year}
    if period.kind == "half":
        if period.start.month == 1:
            return _("6 tháng đầu năm %(year)d") % {"year": year}
        return _("6 tháng cuối năm %(year)d") % {"year": year}
    if period.kind == "year":
        return _("năm %(year)d") % {"year": year}
    return _("từ ngày %(start)s đến ngày %(end)s") % {
        "start": f"{period.start:%d/%m/%Y}",
        "end": f"{period.end:%d/%m/%Y}",
    }


def document_language(unit: Unit) -> str:
    """The language the unit writes its official documents in (Vietnamese unless set)."""
    found = DocumentSettings.objects.filter(unit=unit).values_list("language", flat=True).first()
    return found or "vi"


def document_context(
    *, unit: Unit, period: Period, report: PeriodicReport | None = None
) -> dict[str, Any]:
    """The words of the document, in the active language (the caller sets the unit's
    document language: see `document_language`)."""
    found = DocumentSettings.objects.filter(unit=unit).first() or DocumentSettings(unit=unit)
    parent = Unit.objects.get_parent(unit)
    symbol = found.symbol or default_symbol(unit)
    number = report.number if report is not None and report.number else None
    day = (
        timezone.localdate(report.submitted_at)
        if report is not None and report.submitted_at
        else timezone.localdate()
    )
    recipients = [line.strip(" -;") for line in found.recipients.splitlines() if line.strip()]
    return {
        "body_name": body_name(unit),
        "parent_name": body_name(parent),
        "nation": _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        "motto": _("Độc lập - Tự do - Hạnh phúc"),
        "number_line": _("Số: %(number)s/BC-%(symbol)s")
        % {"number": number if number else " " * 6, "symbol": symbol},
        "place_date": place_date(found.place or default_place(unit), day),
        "title": _("BÁO CÁO"),
        "subtitle": _("Kết quả công tác thông tin, truyền thông %(period)s")
        % {"period": period_label(period)},
        "achievements": report.achievements if report is not None else "",
        "limitations": report.limitations if report is not None else "",
        "next_tasks": report.next_tasks if report is not None else "",
        "signer_title": found.signer_title or _("Thủ trưởng cơ quan"),
        "signer_name": found.signer_name,
        "recipients_heading": _("Nơi nhận:"),
        "recipients": recipients or [body_name(parent) or _("Như trên"), _("Lưu: VT")],
    }


@contextmanager
def template_file(unit: Unit) -> Iterator[IO[bytes] | None]:
    """The unit's own template if it uploaded one, else None (the default template)."""
    found = DocumentSettings.objects.filter(unit=unit).exclude(template="").first()
    if found is None:
        yield None
        return
    with found.template.open("rb") as handle:
        yield handle
