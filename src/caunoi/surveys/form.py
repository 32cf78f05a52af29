"""A converted form as a list of fields, and the server's check of a submission.

The server decides: relevance, calculations, required, types, choice lists and constraints are
evaluated here with caunoi.surveys.expressions; the browser only gives earlier feedback."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from caunoi.surveys.expressions import Context, Value, run, to_bool, to_number, to_string

KINDS = {
    "text": "text",
    "integer": "integer",
    "decimal": "decimal",
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "note": "note",
    "date": "date",
    "range": "range",
    "rank": "rank",
    "calculate": "calculate",
    "hidden": "hidden",
}
CLOSED = ("select_one", "select_multiple", "rank", "range", "integer", "decimal", "date")
CATEGORICAL = ("select_one", "select_multiple", "rank", "range")
TEXT_LIMIT = 5000
_INTEGER = re.compile(r"^-?\d{1,15}$")
_DECIMAL = re.compile(r"^-?(\d{1,15}(\.\d{1,10})?|\.\d{1,10})$")


def pick(text: Any, language: str) -> str:
    """The text in `language` ("vi", "en"), else the default column, else the first one."""
    if isinstance(text, str):
        return text
    if not isinstance(text, dict) or not text:
        return ""
    for key, value in text.items():
        if key.endswith(f"({language})") or key == language:
            return str(value)
    if "default" in text:
        return str(text["default"])
    return str(next(iter(text.values())))


@dataclass
class Field:
    name: str
    kind: str
    label: Any = ""
    hint: Any = ""
    appearance: str = ""
    relevant: list[str] = field(default_factory=list)  # the groups' conditions, then its own
    required: str = ""
    required_message: Any = ""
    constraint: str = ""
    constraint_message: Any = ""
    calculate: str = ""
    choice_filter: str = ""
    default: str = ""
    choices: list[dict[str, Any]] = field(default_factory=list)
    parameters: dict[str, str] = field(default_factory=dict)
    page: int = 0
    groups: list[Any] = field(default_factory=list)  # labels of the groups it sits in

    @property
    def answerable(self) -> bool:
        return self.kind not in ("note", "calculate", "hidden")

    @property
    def closed(self) -> bool:
        return self.kind in CLOSED

    def choice_label(self, name: str, language: str) -> str:
        for choice in self.choices:
            if choice["name"] == name:
                return pick(choice.get("label", name), language) or name
        return name

    def range_values(self) -> list[str]:
        start = to_number(self.parameters.get("start", "1"))
        end = to_number(self.parameters.get("end", "10"))
        step = to_number(self.parameters.get("step", "1")) or 1.0
        found: list[str] = []
        at = start
        while (at <= end if step > 0 else at >= end) and len(found) < 1000:
            found.append(to_string(at))
            at = round(at + step, 10)
        return found


@dataclass
class Form:
    fields: list[Field]
    languages: list[str]
    pages: int

    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def closed_fields(self) -> list[Field]:
        return [f for f in self.fields if f.closed]


def _walk(
    children: list[dict[str, Any]],
    into: list[Field],
    conditions: list[str],
    groups: list[Any],
    page: list[int],
    top: bool,
) -> None:
    loose = False
    for child in children:
        kind = child.get("type", "")
        bind = child.get("bind", {}) or {}
        control = child.get("control", {}) or {}
        if kind == "group":
            if control.get("bodyless"):
                continue
            if top:
                page[0] += 1 if (into or loose) else 0
                loose = False
            inner = [*conditions, bind["relevant"]] if bind.get("relevant") else conditions
            _walk(
                child.get("children", []),
                into,
                inner,
                [*groups, child.get("label", "")],
                page,
                False,
            )
            if top:
                page[0] += 1
            continue
        if top:
            loose = True
        name = child["name"]
        own = bind.get("relevant", "")
        label = child.get("label", "")
        if kind == "text" and name.endswith("_other") and label == "Specify other.":
            label = _("Ghi rõ lựa chọn khác")
        into.append(
            Field(
                name=name,
                kind=KINDS.get(kind, kind),
                label=label,
                hint=child.get("hint", ""),
                appearance=str(control.get("appearance", "")),
                relevant=[*conditions, own] if own else list(conditions),
                required=str(bind.get("required", "")),
                required_message=bind.get("jr:requiredMsg", ""),
                constraint=str(bind.get("constraint", "")),
                constraint_message=bind.get("jr:constraintMsg", ""),
                calculate=str(bind.get("calculate", "")),
                choice_filter=str(child.get("choice_filter", "")),
                default=str(child.get("default", "")),
                choices=[_other_label(c) for c in child.get("choices", [])],
                parameters={k: str(v) for k, v in (child.get("parameters") or {}).items()},
                page=page[0],
                groups=list(groups),
            )
        )


def _other_label(choice: dict[str, Any]) -> dict[str, Any]:
    """pyxform labels or_other's choice "Other" in every language; say it in the reader's."""
    label = choice.get("label")
    texts = set(label.values()) if isinstance(label, dict) else {label}
    if choice.get("name") == "other" and texts == {"Other"}:
        return {**choice, "label": _("Khác")}
    return dict(choice)


def _languages(form: dict[str, Any]) -> list[str]:
    found: list[str] = []

    def visit(node: dict[str, Any]) -> None:
        label = node.get("label")
        if isinstance(label, dict):
            for key in label:
                match = re.search(r"\((\w+)\)$", key)
                code = match.group(1) if match else key
                if code not in found:
                    found.append(code)
        for child in node.get("children", []):
            visit(child)

    visit(form)
    return found


def load(form: dict[str, Any]) -> Form:
    fields: list[Field] = []
    page = [0]
    _walk(form.get("children", []), fields, [], [], page, True)
    pages = max((f.page for f in fields), default=0) + 1
    # Renumber pages so there are no gaps.
    order = sorted({f.page for f in fields})
    for f in fields:
        f.page = order.index(f.page)
    return Form(fields, _languages(form), len(order) or pages)


def spec(form: Form) -> list[dict[str, Any]]:
    """What the browser's check (static/surveys/check.js) needs of each field: no labels."""
    return [
        {
            "name": f.name,
            "kind": f.kind,
            "relevant": f.relevant,
            "required": f.required,
            "constraint": f.constraint,
            "calculate": f.calculate,
            "choice_filter": f.choice_filter,
            "default": f.default,
            "choices": [
                {k: str(v) for k, v in choice.items() if k != "label"} for choice in f.choices
            ],
            "parameters": f.parameters,
        }
        for f in form.fields
    ]


# --- checking a submission ----------------------------------------------------------------------


@dataclass
class Checked:
    values: dict[str, str]
    errors: dict[str, str]
    relevant: list[str]  # answerable fields that apply, in order


def _is_true(expression: str, context: Context) -> bool:
    if expression.lower() in ("yes", "true", "true()"):
        return True
    if expression.lower() in ("", "no", "false", "false()"):
        return False
    return to_bool(run(expression, context))


def allowed_choices(item: Field, context: Context) -> list[str]:
    if item.kind == "range":
        return item.range_values()
    names = []
    for choice in item.choices:
        if item.choice_filter:
            row = {k: str(v) for k, v in choice.items() if k != "label"}
            if not to_bool(
                run(item.choice_filter, Context(context.values, "", context.today, row))
            ):
                continue
        names.append(str(choice["name"]))
    return names


def _raw(item: Field, raw: Mapping[str, list[str]]) -> str:
    given = [v.strip() for v in raw.get(item.name, []) if v.strip()]
    if item.kind in ("select_multiple", "rank"):
        return " ".join(given)
    return given[0] if given else ""


def _type_error(item: Field, value: str, context: Context) -> str:
    kind = item.kind
    if kind == "integer" and not _INTEGER.match(value):
        return _("Hãy nhập một số nguyên, ví dụ 12.")
    if kind == "decimal" and not _DECIMAL.match(value):
        return _("Hãy nhập một số, dùng dấu chấm cho phần thập phân, ví dụ 2.5.")
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return _("Hãy nhập ngày theo dạng năm-tháng-ngày, ví dụ 2026-11-23.")
    if kind == "text" and len(value) > TEXT_LIMIT:
        return _("Câu trả lời dài quá %(n)d ký tự.") % {"n": TEXT_LIMIT}
    if kind in ("select_one", "range") and value not in allowed_choices(item, context):
        return _("“%(value)s” không nằm trong các lựa chọn của câu này.") % {"value": value}
    if kind in ("select_multiple", "rank"):
        chosen = value.split()
        allowed = allowed_choices(item, context)
        wrong = [c for c in chosen if c not in allowed]
        if wrong:
            return _("“%(value)s” không nằm trong các lựa chọn của câu này.") % {
                "value": " ".join(wrong)
            }
        if len(set(chosen)) != len(chosen):
            return _("Mỗi lựa chọn chỉ được chọn một lần.")
        if kind == "rank" and sorted(chosen) != sorted(allowed):
            return _("Hãy xếp hạng tất cả các lựa chọn, mỗi lựa chọn một vị trí.")
    return ""


def check(form: Form, raw: Mapping[str, list[str]], today: date, language: str) -> Checked:
    """What the submission `raw` (name -> given values) means under `form`, and what is wrong."""
    values: dict[str, str] = {}
    for item in form.fields:
        if item.kind == "hidden":
            values[item.name] = item.default
        elif item.answerable:
            values[item.name] = _raw(item, raw)
    errors: dict[str, str] = {}
    relevant: list[str] = []
    context = Context(values, "", today)
    for item in form.fields:
        applies = all(_is_true(condition, context) for condition in item.relevant)
        if item.kind == "calculate" and item.calculate:
            result: Value = run(item.calculate, context) if applies else ""
            values[item.name] = to_string(result)
            continue
        if not item.answerable:
            continue
        if not applies:
            values[item.name] = ""
            continue
        relevant.append(item.name)
        value = values[item.name]
        context.current = value
        if value == "":
            if item.required and _is_true(item.required, context):
                errors[item.name] = pick(item.required_message, language) or _(
                    "Câu này cần được trả lời."
                )
            continue
        problem = _type_error(item, value, context)
        if not problem and item.constraint and not to_bool(run(item.constraint, context)):
            problem = pick(item.constraint_message, language) or _(
                "Câu trả lời chưa hợp lệ, hãy xem lại."
            )
        if problem:
            errors[item.name] = problem
    kept = {k: v for k, v in values.items() if v != "" and k in set(relevant) | _computed(form)}
    return Checked(kept, errors, relevant)


def _computed(form: Form) -> set[str]:
    return {f.name for f in form.fields if f.kind in ("calculate", "hidden")}
