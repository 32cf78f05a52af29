"""The periodic report as a Word document in the official layout (Decree 30/2020/NĐ-CP).

The layout lives in a .docx template (the default one in reports/docx/, or the one a unit
uploaded); this module only fills its placeholders, so a unit changes the look in Word."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docxtpl import DocxTemplate  # type: ignore[import-untyped]
from jinja2 import TemplateError

from caunoi.core.errors import CaunoiError
from caunoi.reports.docx import DEFAULT, FONT

MARKER = "[[caunoi-figures]]"
REQUIRED = ("body_name", "number_line", "place_date", "title", "figures")
Data = dict[str, Any]


class TemplateProblem(CaunoiError):
    pass


def vn_number(value: Any) -> str:
    """1234567 → "1.234.567", 12.5 → "12,5" (Vietnamese official documents)."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        whole, _dot, decimals = f"{value:,.2f}".partition(".")
        return whole.replace(",", ".") + "," + decimals.rstrip("0")
    if isinstance(value, int | float):
        return f"{int(value):,}".replace(",", ".")
    return str(value)


def open_template(source: IO[bytes] | Path | None) -> DocxTemplate:
    """Load a template and check it has every placeholder the report needs."""
    try:
        template = DocxTemplate(source if source is not None else DEFAULT)
        found = template.get_undeclared_template_variables()
    except TemplateError as error:
        raise TemplateProblem(
            _("Mẫu văn bản có chỗ điền viết sai (%(error)s). Hãy sửa trong Word rồi tải lên lại.")
            % {"error": error}
        ) from error
    except Exception as error:  # a file that is not a Word document at all
        raise TemplateProblem(
            _("Tệp mẫu không phải văn bản Word (.docx) đọc được. Hãy chọn tệp .docx.")
        ) from error
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise TemplateProblem(
            _("Mẫu văn bản thiếu chỗ điền: %(names)s. Hãy thêm vào mẫu rồi tải lên lại.")
            % {"names": ", ".join(f"{{{{ {name} }}}}" for name in missing)}
        )
    return template


def _cell_text(cell: Any, text: str, *, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(12)
    run.font.name = FONT


def _grid(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for name, value in (("w:val", "single"), ("w:sz", "4"), ("w:color", "000000")):
            element.set(qn(name), value)
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _table(document: Any, columns: list[str], rows: list[list[Any]]) -> None:
    table = document.add_table(rows=1 + len(rows), cols=len(columns))
    _grid(table)
    for cell, title in zip(table.rows[0].cells, columns, strict=True):
        _cell_text(cell, title, bold=True)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            numeric = isinstance(value, int | float) or value is None
            _cell_text(cell, vn_number(value) if numeric else str(value), right=numeric)


def _paragraph(document: Any, text: str, *, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Pt(28)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(14)
    run.font.name = FONT


def _figures(document: Any, data: Data) -> None:
    columns = [_("Chỉ tiêu"), _("Kỳ này"), _("Kỳ trước"), _("Cùng kỳ năm trước")]
    for number, section in enumerate(data["sections"], start=1):
        _paragraph(document, f"{number}. {section['title']}", bold=True)
        if section["figures"]:
            rows = [
                [
                    f["label"] + (f" ({f['unit']})" if f["unit"] else ""),
                    f["value"],
                    f.get("previous"),
                    f.get("last_year"),
                ]
                for f in section["figures"]
            ]
            _table(document, columns, rows)
        for table in section["tables"]:
            _paragraph(document, table["title"])
            _table(document, table["columns"], table["rows"])
    if not data["sections"]:
        _paragraph(document, _("Chưa có số liệu nào trong kỳ này."))


def _insert_figures(document: Any, data: Data) -> None:
    """Put the section tables where the template's {{ figures }} paragraph stands."""
    marker = next((p for p in document.paragraphs if MARKER in p.text), None)
    if marker is None:  # the placeholder sat inside a table cell or a text box
        marker = document.add_paragraph(MARKER)
    body = document.element.body
    before = len(body)
    _figures(document, data)
    added = list(body)[before - 1 : len(body) - 1]  # new elements sit before the sectPr
    for element in added:
        marker._p.addprevious(element)
    marker._p.getparent().remove(marker._p)


def render(
    *,
    data: Data,
    context: dict[str, Any],
    template_file: IO[bytes] | Path | None = None,
    progress: Callable[[int], None] = lambda percent: None,
) -> bytes:
    """The finished .docx: `context` holds the words (names, number, narrative), `data` the
    numbers from selectors.report_data."""
    template = open_template(template_file)
    progress(30)
    values = {**context, "figures": MARKER}
    try:
        template.render(values, autoescape=True)
    except TemplateError as error:
        raise TemplateProblem(
            _("Mẫu văn bản có chỗ điền viết sai (%(error)s). Hãy sửa trong Word rồi tải lên lại.")
            % {"error": error}
        ) from error
    progress(60)
    _insert_figures(template.docx, data)
    out = io.BytesIO()
    template.save(out)
    progress(95)
    return out.getvalue()
