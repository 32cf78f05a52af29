"""XLSForm in: read the workbook, refuse what caunoi does not render, convert with pyxform.

Every problem names the sheet, the row and the column, in plain words. Nothing is stored here;
the caller keeps the converted form only when there is no problem at all."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from caunoi.core.errors import ImportRejected, RowError
from caunoi.surveys.expressions import ExpressionError, parse, references

if TYPE_CHECKING:
    from pyxform.errors import PyXFormError  # type: ignore[import-untyped]
    from pyxform.xls2json_backends import DefinitionData  # type: ignore[import-untyped]

EXTENSIONS = {".xlsx": ".xlsx", ".xls": ".xls", ".csv": ".csv", ".md": ".md", ".txt": ".md"}
MAX_BYTES = 2_000_000
SUPPORTED_TYPES = (
    "text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "note",
    "date",
    "range",
    "rank",
    "begin_group",
    "end_group",
    "calculate",
    "hidden",
)
WITH_LIST = ("select_one", "select_multiple", "rank")
QUESTION_APPEARANCES = {"", "minimal", "likert", "multiline"}
GROUP_APPEARANCES = {"", "field-list"}
COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "choice_filter",
    "default",
    "appearance",
    "calculation",
    "parameters",
}
EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "choice_filter", "required")


class FormError(RowError):
    """A problem at one place of the workbook."""

    __slots__ = ("column", "sheet")

    def __init__(self, sheet: str, line: int, column: str, message: str) -> None:
        super().__init__(line, message)
        self.sheet = sheet
        self.column = column

    def __str__(self) -> str:
        where = _("Trang tính “%(sheet)s”") % {"sheet": self.sheet}
        if self.line:
            where += _(", dòng %(row)d") % {"row": self.line}
        if self.column:
            where += _(", cột %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column(headers: list[str], name: str) -> str:
    if name in headers:
        return f"{_letter(headers.index(name))} ({name})"
    return name


def _type_words(raw: str) -> list[str]:
    words = raw.strip().split()
    if len(words) >= 2 and f"{words[0]}_{words[1]}".lower() in SUPPORTED_TYPES:
        words = [f"{words[0]}_{words[1]}".lower(), *words[2:]]
    if words:
        words[0] = words[0].lower()
    return words


def _read(data: bytes, filename: str) -> DefinitionData:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ImportRejected(
            [
                FormError(
                    filename,
                    0,
                    "",
                    _("Chỉ nhận tệp XLSForm dạng .xlsx, .xls, .csv hoặc bảng markdown (.md)."),
                )
            ]
        )
    if len(data) > MAX_BYTES:
        raise ImportRejected(
            [FormError(filename, 0, "", _("Tệp lớn hơn 2 MB; một biểu mẫu không cần lớn thế."))]
        )
    from pyxform.xls2json_backends import get_xlsform

    try:
        return get_xlsform(BytesIO(data), file_type=EXTENSIONS[suffix])
    except Exception as error:
        raise ImportRejected(
            [
                FormError(
                    filename,
                    0,
                    "",
                    _("Không đọc được tệp (%(reason)s). Hãy lưu lại đúng định dạng rồi tải lên.")
                    % {"reason": str(error)[:200]},
                )
            ]
        ) from error


def _check_survey(workbook: DefinitionData) -> list[FormError]:
    problems: list[FormError] = []
    rows = list(workbook.survey or [])
    headers = list((workbook.survey_header or [{}])[0].keys())
    lists = {str(row.get("list_name", "")).strip() for row in workbook.choices or []}
    names = {str(row.get("name", "")).strip() for row in rows}
    for header in headers:
        base = header.split("::")[0].strip().lower()
        if base.startswith(("$", "_")) or base in COLUMNS:
            continue
        if any(str(row.get(header, "")).strip() for row in rows):
            problems.append(
                FormError(
                    "survey",
                    1,
                    _column(headers, header),
                    _(
                        "cột “%(name)s” không được hỗ trợ; hãy xoá cột này. "
                        "Các cột dùng được: %(ok)s."
                    )
                    % {"name": header, "ok": ", ".join(sorted(COLUMNS))},
                )
            )
    for index, row in enumerate(rows):
        line = index + 2
        raw = str(row.get("type", "")).strip()
        if not raw:
            continue
        words = _type_words(raw)
        kind = words[0]
        if kind not in SUPPORTED_TYPES:
            problems.append(
                FormError(
                    "survey",
                    line,
                    _column(headers, "type"),
                    _("kiểu câu hỏi “%(type)s” không được hỗ trợ. Các kiểu dùng được: %(ok)s.")
                    % {"type": raw, "ok": ", ".join(SUPPORTED_TYPES)},
                )
            )
            continue
        if kind in WITH_LIST:
            extra = words[2:]
            if len(words) < 2 or extra not in ([], ["or_other"]) or (extra and kind == "rank"):
                problems.append(
                    FormError(
                        "survey",
                        line,
                        _column(headers, "type"),
                        _(
                            "“%(type)s” cần đúng một tên danh sách lựa chọn, "
                            "ví dụ “%(kind)s co_khong”."
                        )
                        % {"type": raw, "kind": kind},
                    )
                )
            elif words[1] not in lists:
                problems.append(
                    FormError(
                        "survey",
                        line,
                        _column(headers, "type"),
                        _(
                            "không có danh sách lựa chọn “%(list)s” trong trang tính “choices”. "
                            "Hãy thêm các dòng có list_name là “%(list)s”."
                        )
                        % {"list": words[1]},
                    )
                )
        appearance = str(row.get("appearance", "")).strip()
        allowed = GROUP_APPEARANCES if kind == "begin_group" else QUESTION_APPEARANCES
        if appearance not in allowed:
            problems.append(
                FormError(
                    "survey",
                    line,
                    _column(headers, "appearance"),
                    _("cách hiển thị “%(value)s” không được hỗ trợ; dùng: %(ok)s.")
                    % {"value": appearance, "ok": ", ".join(sorted(a for a in allowed if a))},
                )
            )
        for column in EXPRESSION_COLUMNS:
            text = str(row.get(column, "")).strip()
            if not text or (
                column == "required"
                and text.lower() in ("yes", "no", "true", "false", "true()", "false()")
            ):
                continue
            try:
                tree = parse(text)
            except ExpressionError as error:
                problems.append(
                    FormError(
                        "survey",
                        line,
                        _column(headers, column),
                        _("biểu thức “%(text)s” không đúng cú pháp: %(reason)s.")
                        % {"text": text, "reason": str(error)},
                    )
                )
                continue
            unknown = sorted(references(tree) - names)
            if unknown:
                problems.append(
                    FormError(
                        "survey",
                        line,
                        _column(headers, column),
                        _("biểu thức nhắc tới câu hỏi không có trong biểu mẫu: %(names)s.")
                        % {"names": ", ".join("${" + n + "}" for n in unknown)},
                    )
                )
    return problems


_ROW = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
_SHEET = re.compile(r"'(survey|choices|settings)' sheet")


def _pyxform_problem(error: PyXFormError) -> FormError:
    text = str(error)
    row = _ROW.search(text)
    sheet = _SHEET.search(text)
    return FormError(
        sheet.group(1) if sheet else "survey",
        int(row.group(1)) if row else 0,
        "",
        _("pyxform báo lỗi: %(message)s") % {"message": _ROW.sub("", text).strip()},
    )


def convert(data: bytes, filename: str) -> dict[str, Any]:
    """The form as pyxform's JSON, or ImportRejected listing every problem found."""
    workbook = _read(data, filename)
    if not workbook.survey:
        raise ImportRejected(
            [
                FormError(
                    "survey", 0, "", _("Tệp không có trang tính “survey” hoặc trang này trống.")
                )
            ]
        )
    problems = _check_survey(workbook)
    if problems:
        raise ImportRejected(list(problems))
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json  # type: ignore[import-untyped]

    stem = re.sub(r"[^A-Za-z0-9_]", "_", PurePath(filename).stem) or "form"
    if not stem[0].isalpha():
        stem = f"form_{stem}"
    try:
        form = workbook_to_json(workbook_dict=workbook, form_name="data", fallback_form_name=stem)
    except PyXFormError as error:
        raise ImportRejected([_pyxform_problem(error)]) from error
    return form
