"""Reading an uploaded table (CSV, XLSX or the old XLS) into numbered rows of cells.

Line numbers are the ones a person sees in a spreadsheet: the first row is line 1."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from django.utils.translation import gettext as _

from caunoi.core.errors import ImportRejected, RowError

Cell = str | int | float | date | datetime | None
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[Cell]

    def blank(self) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in self.cells)


def _reject(message: str, line: int = 1) -> ImportRejected:
    return ImportRejected([RowError(line, message)])


def _csv_rows(data: bytes) -> list[Row]:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _reject(_("tệp không phải văn bản UTF-8; trong Excel hãy lưu lại dạng “CSV UTF-8”"))
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        rows.append(Row(number, list(cells)))
        if number > MAX_ROWS:
            raise _reject(_("tệp có hơn %(n)d dòng; hãy chia nhỏ tệp") % {"n": MAX_ROWS}, number)
    return rows


def _xlsx_rows(data: bytes) -> list[Row]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _reject(_("không mở được tệp Excel (%(error)s)") % {"error": error}) from error
    sheet = book.worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append(Row(number, list(values)))
        if number > MAX_ROWS:
            raise _reject(_("tệp có hơn %(n)d dòng; hãy chia nhỏ tệp") % {"n": MAX_ROWS}, number)
    book.close()
    return rows


def _xls_rows(data: bytes) -> list[Row]:
    import xlrd  # type: ignore[import-untyped]

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as error:  # xlrd raises XLRDError and others for a damaged file
        raise _reject(_("không mở được tệp Excel (%(error)s)") % {"error": error}) from error
    sheet = book.sheet_by_index(0)
    rows = []
    for index in range(min(sheet.nrows, MAX_ROWS + 1)):
        cells: list[Cell] = []
        for cell in sheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                cells.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            elif cell.ctype == xlrd.XL_CELL_EMPTY:
                cells.append(None)
            else:
                cells.append(cell.value)
        rows.append(Row(index + 1, cells))
    return rows


def read_rows(name: str, data: bytes) -> list[Row]:
    """Rows of a CSV, XLSX or XLS file, chosen by its name and checked by its first bytes."""
    if len(data) > MAX_BYTES:
        raise _reject(
            _("tệp lớn hơn %(mb)d MB; hãy xuất từng quý hoặc từng tháng")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise _reject(_("tệp trống"))
    suffix = PurePath(name).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _xls_rows(data)
    if suffix in (".xlsx", ".xls"):
        raise _reject(_("tệp mang đuôi %(suffix)s nhưng không phải tệp Excel") % {"suffix": suffix})
    return _csv_rows(data)
