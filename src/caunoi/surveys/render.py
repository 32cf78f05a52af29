"""What a template needs to draw a form: each field with its texts in the reader's language,
its current value, its error and whether it applies, plus the expressions the browser checks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from caunoi.surveys.expressions import Context
from caunoi.surveys.form import Field, Form, _is_true, allowed_choices, pick


@dataclass
class Shown:
    name: str
    kind: str
    label: str
    hint: str
    appearance: str
    value: str
    chosen: list[str]
    choices: list[tuple[str, str, str, bool]]  # value, label, the choice row as JSON, applies
    error: str
    applies: bool
    page: int
    group: str
    required: bool
    attrs: dict[str, str] = field(default_factory=dict)
    ranks: list[tuple[int, str]] = field(default_factory=list)
    minimum: str = ""
    maximum: str = ""
    step: str = ""


def _attrs(item: Field, language: str) -> dict[str, str]:
    attrs = {"data-name": item.name, "data-kind": item.kind}
    if item.relevant:
        attrs["data-relevant"] = " and ".join(f"({c})" for c in item.relevant)
    if item.required and item.required.lower() not in ("no", "false", "false()"):
        attrs["data-required"] = item.required
        attrs["data-required-message"] = pick(item.required_message, language)
    if item.constraint:
        attrs["data-constraint"] = item.constraint
        attrs["data-constraint-message"] = pick(item.constraint_message, language)
    if item.calculate:
        attrs["data-calculate"] = item.calculate
    if item.choice_filter:
        attrs["data-choice-filter"] = item.choice_filter
    return attrs


def shown_fields(
    form: Form,
    values: dict[str, str],
    errors: dict[str, str],
    language: str,
    today: date,
) -> list[Shown]:
    context = Context(dict(values), "", today)
    shown: list[Shown] = []
    for item in form.fields:
        applies = all(_is_true(c, context) for c in item.relevant)
        if not applies:
            context.values[item.name] = ""  # type: ignore[index]
        value = values.get(item.name, item.default if item.kind != "hidden" else "")
        if item.kind == "calculate" or item.kind == "hidden":
            shown.append(
                Shown(
                    item.name,
                    item.kind,
                    "",
                    "",
                    "",
                    value,
                    [],
                    [],
                    "",
                    applies,
                    item.page,
                    "",
                    False,
                    _attrs(item, language),
                )
            )
            continue
        choices: list[tuple[str, str, str, bool]] = []
        if item.kind in ("select_one", "select_multiple", "rank"):
            keep = set(allowed_choices(item, context)) if item.choice_filter else None
            choices = [
                (
                    str(c["name"]),
                    pick(c.get("label", c["name"]), language) or str(c["name"]),
                    json.dumps({k: str(v) for k, v in c.items() if k != "label"})
                    if item.choice_filter
                    else "",
                    keep is None or str(c["name"]) in keep,
                )
                for c in item.choices
            ]
        chosen = value.split() if item.kind in ("select_multiple", "rank") else [value]
        required = bool(item.required) and item.required.lower() in ("yes", "true", "true()")
        entry = Shown(
            name=item.name,
            kind=item.kind,
            label=pick(item.label, language),
            hint=pick(item.hint, language),
            appearance=item.appearance,
            value=value,
            chosen=chosen,
            choices=choices,
            error=errors.get(item.name, ""),
            applies=applies,
            page=item.page,
            group=" — ".join(pick(g, language) for g in item.groups if pick(g, language)),
            required=required,
            attrs=_attrs(item, language),
        )
        if item.kind == "rank":
            entry.ranks = [
                (position, chosen[position - 1] if position <= len(chosen) else "")
                for position in range(1, len(choices) + 1)
            ]
        if item.kind == "range":
            entry.minimum = item.parameters.get("start", "1")
            entry.maximum = item.parameters.get("end", "10")
            entry.step = item.parameters.get("step", "1")
            entry.choices = [(v, v, "", True) for v in item.range_values()]
        shown.append(entry)
    return shown


def as_raw(values: dict[str, str], form: Form) -> dict[str, list[str]]:
    """Stored values back into the shape of a submission (to carry pages forward)."""
    raw: dict[str, list[str]] = {}
    for item in form.fields:
        if item.name in values:
            text = values[item.name]
            raw[item.name] = text.split() if item.kind in ("select_multiple", "rank") else [text]
    return raw


def carried(raw: dict[str, list[str]], form: Form, page: int) -> list[tuple[str, str]]:
    """Answers from other pages, sent along as hidden inputs."""
    pairs: list[tuple[str, str]] = []
    for item in form.fields:
        if item.answerable and item.page != page:
            pairs.extend((item.name, v) for v in raw.get(item.name, []) if v)
    return pairs


def raw_from(post: Any, form: Form) -> dict[str, list[str]]:
    return {item.name: post.getlist(item.name) for item in form.fields if item.answerable}
