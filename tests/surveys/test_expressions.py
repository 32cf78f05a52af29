"""The one table of expression cases, against the Python evaluator (the browser side runs the
same table in tests/e2e/test_surveys.py)."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from caunoi.surveys.expressions import Context, ExpressionError, parse, run, to_number

CASES = json.loads((Path(__file__).parent / "expression_cases.json").read_text())["cases"]


def _same(got: Any, case: dict[str, Any]) -> bool:
    if "number" in case:
        expected = float(case["number"].replace("Infinity", "inf"))
        number = to_number(got) if not isinstance(got, bool) else math.nan
        return (math.isnan(expected) and math.isnan(number)) or number == expected
    want = case["result"]
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    if isinstance(want, (int, float)):
        return isinstance(got, float) and got == want
    return got == want


@pytest.mark.parametrize("case", CASES, ids=[c["expression"] or "(empty)" for c in CASES])
def test_the_python_evaluator_agrees_with_the_shared_table(case: dict[str, Any]) -> None:
    if case.get("error"):
        with pytest.raises(ExpressionError):
            parse(case["expression"])
        return
    context = Context(
        case["values"], case["current"], date.fromisoformat(case["today"]), case.get("item")
    )
    got = run(case["expression"], context)
    assert _same(got, case), f"{case['expression']} gave {got!r}"


def test_the_table_covers_every_function_and_operator() -> None:
    text = " ".join(c["expression"] for c in CASES)
    for needle in [
        "selected(",
        "count-selected(",
        "string-length(",
        "regex(",
        "if(",
        "coalesce(",
        "concat(",
        "today()",
        "not(",
        " and ",
        " or ",
        " div ",
        " mod ",
        "${",
        ". ",
        "<=",
        ">=",
        "!=",
        "*",
        "+",
        "-",
    ]:
        assert needle in text, needle
