"""The one table of whole-submission cases (choice filters, several choices, ranks, ranges,
skip logic, calculations), against the server's check. The browser's check (check.js) runs the
same table in tests/e2e/test_surveys.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from caunoi.surveys import form as forms
from caunoi.surveys.xlsform import convert

HERE = Path(__file__).parent
TABLE = json.loads((HERE / "check_cases.json").read_text())
TODAY = date.fromisoformat(TABLE["today"])


def spec_of(name: str) -> list[dict[str, Any]]:
    return forms.spec(forms.load(convert((HERE / "forms" / name).read_bytes(), name)))


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["about"] for c in TABLE["cases"]])
def test_the_server_agrees_with_the_shared_table(case: dict[str, Any]) -> None:
    form = forms.load(convert((HERE / "forms" / case["form"]).read_bytes(), case["form"]))
    checked = forms.check(form, case["raw"], TODAY, "vi")
    assert sorted(checked.errors) == case["errors"]
    assert checked.relevant == case["relevant"]
    assert checked.values == case["values"]


def test_the_table_covers_choice_filters_several_choices_ranks_and_ranges() -> None:
    kinds = {field["kind"] for field in spec_of("all_types.md")}
    assert {"select_multiple", "rank", "range", "select_one", "calculate", "hidden"} <= kinds
    about = " ".join(c["about"] for c in TABLE["cases"])
    for needle in ("choice_filter", "select_multiple", "rank", "range", "or_other", "calculate"):
        assert needle in about, needle
    assert any(c["errors"] for c in TABLE["cases"])
    assert any(not c["errors"] for c in TABLE["cases"])
