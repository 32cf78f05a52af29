"""The report as an Excel workbook: one sheet per section, numbers stored as numbers, the
header row frozen, plus a sheet comparing the child units."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

Data = dict[str, Any]
_BAD = re.compile(r"[\[\]:*?/\\]")


def _title(name: str, used: set[str]) -> str:
    base = _BAD.sub(" ", name).strip()[:28] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        title, n = f"{base[:25]} ({n})", n + 1
    used.add(title.lower())
    return title


def _header(sheet: Worksheet, row: int, columns: list[str]) -> None:
    for column, value in enumerate(columns, start=1):
        sheet.cell(row=row, column=column, value=value).font = Font(bold=True)


def _section(sheet: Worksheet, section: Data) -> None:
    _header(
        sheet,
        1,
        [_("Chỉ tiêu"), _("Kỳ này"), _("Đơn vị tính"), _("Kỳ trước"), _("Cùng kỳ năm trước")],
    )
    sheet.freeze_panes = "A2"
    row = 2
    for f in section["figures"]:
        for column, value in enumerate(
            [f["label"], f["value"], f["unit"], f.get("previous"), f.get("last_year")], start=1
        ):
            sheet.cell(row=row, column=column, value=value)
        row += 1
    for table in section["tables"]:
        row += 1
        sheet.cell(row=row, column=1, value=table["title"]).font = Font(bold=True, italic=True)
        _header(sheet, row + 1, table["columns"])
        row += 2
        for values in table["rows"]:
            for column, value in enumerate(values, start=1):
                sheet.cell(row=row, column=column, value=value)
            row += 1
    sheet.column_dimensions["A"].width = 48


def _children(sheet: Worksheet, data: Data) -> None:
    columns = data["columns"]
    names = [_("Đơn vị"), _("Dân số")]
    for c in columns:
        names += [c["label"], _("%(label)s / 1.000 dân") % {"label": c["label"]}]
    _header(sheet, 1, names)
    sheet.freeze_panes = "B2"
    for row, child in enumerate(data["children"], start=2):
        values: list[Any] = [child["unit"]["name"], child["unit"]["population"]]
        for c in columns:
            values += [child["values"][c["key"]], child["per_1000"][c["key"]]]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    sheet.column_dimensions["A"].width = 40


def render(*, data: Data, progress: Callable[[int], None] = lambda percent: None) -> bytes:
    book = Workbook()
    used: set[str] = set()
    first = book.active
    assert first is not None
    book.remove(first)
    total = max(1, len(data["sections"]))
    for index, section in enumerate(data["sections"], start=1):
        _section(book.create_sheet(_title(section["title"], used)), section)
        progress(10 + 80 * index // total)
    if data["children"]:
        _children(book.create_sheet(_title(_("Đơn vị trực thuộc"), used)), data)
    if not book.worksheets:
        book.create_sheet(_title(_("Không có số liệu"), used))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
