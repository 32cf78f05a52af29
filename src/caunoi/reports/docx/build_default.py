"""Write the default Word template (Decree 30/2020/NĐ-CP layout) that ships with caunoi.

Run `uv run python -m caunoi.reports.docx.build_default` after changing it; the .docx beside
this file is what units download, adjust in Word and upload back. Placeholders are Jinja
(docxtpl): {{ body_name }}, {{ parent_name }}, {{ number_line }}, {{ place_date }}, {{ title }},
{{ subtitle }}, {{ figures }}, {{ achievements }}, {{ limitations }}, {{ next_tasks }},
{{ signer_title }}, {{ signer_name }}, {{ nation }}, {{ motto }}, {{ recipients_heading }} and a
loop over {{ recipients }}. Every word of the document comes from a placeholder, filled in the
unit's document language (reports.DocumentSettings.language)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from caunoi.reports.docx import DEFAULT, FONT


def _font(document: object) -> None:
    style = document.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)


def _rule(paragraph: Paragraph, indent_mm: float) -> None:
    """A thin line under the paragraph, shortened at both ends to sit under the text."""
    paragraph.paragraph_format.left_indent = Mm(indent_mm)
    paragraph.paragraph_format.right_indent = Mm(indent_mm)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _line(
    cell_or_doc: _Cell | object,
    text: str,
    *,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
) -> Paragraph:
    if first and isinstance(cell_or_doc, _Cell):
        paragraph = cell_or_doc.paragraphs[0]
    else:
        paragraph = cell_or_doc.add_paragraph()  # type: ignore[union-attr]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    return paragraph


def _page_numbers_from_page_two(section: object) -> None:
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    paragraph = section.header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _widths(table: object, widths: tuple[Mm, ...]) -> None:
    """Fixed column widths that Word and LibreOffice both keep (grid and cells)."""
    table.autofit = False  # type: ignore[attr-defined]
    grid = table._tbl.tblGrid  # type: ignore[attr-defined]
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _no_borders(table: object) -> None:
    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def build(path: Path = DEFAULT) -> Path:
    document = Document()
    _font(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    _page_numbers_from_page_two(section)

    header = document.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    _widths(header, (Mm(64), Mm(101)))
    left, right = header.rows[0].cells
    _line(left, "{{ parent_name|upper }}", size=13, first=True)
    _line(left, "{{ body_name|upper }}", size=13, bold=True)
    _rule(_line(left, "", size=3), 20)
    _line(right, "{{ nation }}", size=12, bold=True, first=True)
    _line(right, "{{ motto }}", size=14, bold=True)
    _rule(_line(right, "", size=3), 22)
    number, place = header.rows[1].cells
    _line(number, "{{ number_line }}", size=13, first=True)
    _line(place, "{{ place_date }}", size=14, italic=True, first=True)

    _line(document, "", size=14)
    _line(document, "{{ title }}", size=14, bold=True)
    _line(document, "{{ subtitle }}", size=14, bold=True)
    _rule(_line(document, "", size=6), 65)
    _line(document, "", size=14)

    body = WD_ALIGN_PARAGRAPH.JUSTIFY
    _line(document, "I. SỐ LIỆU KẾT QUẢ", size=14, bold=True, align=body)
    document.add_paragraph("{{ figures }}")
    _line(document, "II. KẾT QUẢ ĐẠT ĐƯỢC", size=14, bold=True, align=body)
    _line(document, "{{ achievements }}", size=14, align=body)
    _line(document, "III. HẠN CHẾ, KHÓ KHĂN", size=14, bold=True, align=body)
    _line(document, "{{ limitations }}", size=14, align=body)
    _line(document, "IV. NHIỆM VỤ THỜI GIAN TỚI", size=14, bold=True, align=body)
    _line(document, "{{ next_tasks }}", size=14, align=body)
    _line(document, "", size=14)

    signature = document.add_table(rows=1, cols=2)
    _no_borders(signature)
    _widths(signature, (Mm(80), Mm(85)))
    recipients, signer = signature.rows[0].cells
    _line(
        recipients,
        "{{ recipients_heading }}",
        size=12,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first=True,
    )
    _line(recipients, "{%p for r in recipients %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(recipients, "- {{ r }};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(recipients, "{%p endfor %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(signer, "{{ signer_title|upper }}", size=14, bold=True, first=True)
    for _ in range(4):
        _line(signer, "", size=14)
    _line(signer, "{{ signer_name }}", size=14, bold=True)
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
