"""Our own import template (docs/metrics.md), as CSV or XLSX, with two example rows."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.utils.translation import get_language

from caunoi.core.errors import CaunoiError
from caunoi.metrics.layouts import TEMPLATE_COLUMNS


def _rows(example_day: date) -> list[list[object]]:
    english = (get_language() or "vi").startswith("en")
    header: list[object] = [
        names[1] if english else names[0] for names in TEMPLATE_COLUMNS.values()
    ]
    day = example_day.isoformat()
    channel_row: list[object] = [day, "", "", "", 320, 910, 41, 6, 3, 12, "", 3240]
    post_row: list[object] = [
        day,
        "123456789_987654321",
        "Lịch tiếp công dân tháng này",
        "",
        180,
        400,
        25,
        4,
        2,
        9,
        "",
        "",
    ]
    return [header, channel_row, post_row]


def build(fmt: str, example_day: date) -> tuple[bytes, str]:
    rows = _rows(example_day)
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    if fmt == "xlsx":
        from openpyxl import Workbook  # type: ignore[import-untyped]

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "so-lieu"
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return (
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise CaunoiError(f"unknown template format {fmt}")
