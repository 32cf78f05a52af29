"""Surveys in a real browser (Debian chromium): the shared expression table run by our browser
evaluator, immediate feedback with JavaScript, the same form without JavaScript, on a phone."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from caunoi.core.models import RoleName
from caunoi.surveys.models import Answer, Survey
from tests.conftest import World, make_person
from tests.surveys.conftest import make_survey
from tests.surveys.test_check_cases import TABLE, spec_of

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]
CASES = json.loads((Path(__file__).parents[1] / "surveys" / "expression_cases.json").read_text())[
    "cases"
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
RUN_ALL = """cases => cases.map(c => {
  try {
    const v = window.CaunoiExpressions.runRaw(c.expression,
      {values: c.values, current: c.current, today: c.today, item: c.item});
    if (typeof v === "object") {
      const n = v.v;
      const text = isNaN(n) ? "NaN" : (n > 0 ? "Infinity" : "-Infinity");
      return {kind: "number", value: isFinite(n) ? n : text};
    }
    return {kind: typeof v, value: v};
  } catch (e) { return {kind: "error", value: e.name}; }
})"""


CHECK_ALL = """([cases, specs, today]) => cases.map(c => {
  const got = window.CaunoiCheck.check(specs[c.form], c.raw, today);
  return {errors: Object.keys(got.errors).sort(), relevant: got.relevant, values: got.values};
})"""


def _survey(world: World, **extra: Any) -> Survey:
    return make_survey(world, make_person("bientap", world.commune, RoleName.EDITOR), **extra)


def _url(survey: Survey) -> str:
    return f"/u/tinh-thu/xa-dong/khao-sat/{survey.pk}/"


def _agrees(got: dict[str, Any], case: dict[str, Any]) -> bool:
    if case.get("error"):
        return got == {"kind": "error", "value": "ExpressionError"}
    if "number" in case:
        return got["kind"] == "number" and str(got["value"]) == case["number"]
    want = case["result"]
    if isinstance(want, bool):
        return got == {"kind": "boolean", "value": want}
    if isinstance(want, (int, float)):
        return got["kind"] == "number" and math.isclose(got["value"], want)
    return got == {"kind": "string", "value": want}


def test_the_browser_evaluator_agrees_with_the_shared_table(page: Page, world: World) -> None:
    survey = _survey(world)
    page.goto(_url(survey))
    results = page.evaluate(RUN_ALL, CASES)
    wrong = [
        (case["expression"], got)
        for case, got in zip(CASES, results, strict=True)
        if not _agrees(got, case)
    ]
    assert wrong == []


def test_the_browser_check_agrees_with_the_shared_table_of_submissions(
    page: Page, world: World
) -> None:
    """Choice filters, several choices, ranks, ranges, or_other, skip logic and calculations:
    the browser's check.js gives the server's verdict for every case."""
    survey = _survey(world)
    page.goto(_url(survey))
    cases = TABLE["cases"]
    specs = {name: spec_of(name) for name in {c["form"] for c in cases}}
    got = page.evaluate(CHECK_ALL, [cases, specs, TABLE["today"]])
    wrong = [
        (case["about"], answer)
        for case, answer in zip(cases, got, strict=True)
        if answer != {k: case[k] for k in ("errors", "relevant", "values")}
    ]
    assert wrong == []


def test_a_rank_and_a_filtered_choice_get_feedback_in_the_browser(page: Page, world: World) -> None:
    survey = _survey(world)
    page.goto(_url(survey))
    page.get_by_label("Có").check()
    priority = page.locator('select[name="priority"]')
    priority.nth(0).select_option("roads")
    priority.nth(1).select_option("roads")
    expect(page.get_by_test_id("q-priority").locator(".error")).to_have_text(
        "Mỗi lựa chọn chỉ được chọn một lần."
    )
    priority.nth(1).select_option("schools")
    expect(page.get_by_test_id("q-priority").locator(".error")).to_have_text(
        "Hãy xếp hạng tất cả các lựa chọn, mỗi lựa chọn một vị trí."
    )
    priority.nth(2).select_option("clinics")
    expect(page.get_by_test_id("q-priority").locator(".error")).to_be_hidden()


def test_skip_logic_and_constraints_answer_at_once_on_a_phone(
    new_context: Callable[..., BrowserContext], world: World, artifacts: Path
) -> None:
    survey = _survey(world)
    page = new_context(**PHONE).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(_url(survey))
    services = page.get_by_test_id("q-services")
    expect(services).to_be_hidden()
    page.get_by_label("Có").check()
    expect(services).to_be_visible()
    page.get_by_label("Không").first.check()
    expect(services).to_be_hidden()
    page.get_by_label("Có").check()
    age = page.locator("#i-age")
    age.fill("7")
    expect(page.get_by_test_id("q-age").locator(".error")).to_have_text("Tuổi từ 15 đến 100")
    age.fill("34")
    expect(page.get_by_test_id("q-age").locator(".error")).to_be_hidden()
    # Cascading choices: only the communes of the chosen district.
    page.locator('select[name="district"]').select_option("south")
    assert (
        page.locator('select[name="commune"] option[value="n1"]').get_attribute("hidden")
        is not None
    )
    page.locator('select[name="commune"]').select_option("s1")
    page.get_by_label("Thuế").check()
    page.locator('.q-range input[value="4"]').check()
    for position, value in enumerate(["roads", "schools", "clinics"]):
        page.locator('select[name="priority"]').nth(position).select_option(value)
    page.screenshot(path=str(artifacts / "survey-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    stored = Answer.objects.get()
    assert stored.values["services"] == "tax"
    assert stored.values["commune"] == "s1"
    page.goto(_url(survey))
    expect(page.get_by_test_id("already")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e]


def test_the_browser_stops_a_send_with_a_missing_required_answer(page: Page, world: World) -> None:
    survey = _survey(world)
    page.goto(_url(survey))
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("q-age").locator(".error")).to_have_text("Câu này cần được trả lời.")
    assert Answer.objects.count() == 0


def test_without_javascript_the_server_shows_new_questions_then_stores(
    new_context: Callable[..., BrowserContext], world: World
) -> None:
    survey = _survey(world)
    page = new_context(java_script_enabled=False, **PHONE).new_page()
    page.goto(_url(survey))
    expect(page.get_by_test_id("q-services")).to_be_hidden()
    page.locator("#i-age").fill("34")
    page.get_by_label("Có").check()
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("notice")).to_be_visible()
    expect(page.get_by_test_id("q-services")).to_be_visible()
    assert Answer.objects.count() == 0
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    assert Answer.objects.get().values["used"] == "yes"


def test_a_page_per_group_survey_in_english_without_javascript(
    new_context: Callable[..., BrowserContext], world: World
) -> None:
    survey = _survey(world, one_page=False)
    context = new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(f"/lang/en/?next={_url(survey)}")
    expect(page.get_by_text("Your age")).to_be_visible()
    page.locator("#i-age").fill("40")
    page.get_by_label("Yes").check()
    page.get_by_test_id("next").click()
    expect(page.get_by_text("Satisfaction")).to_be_visible()
    page.locator('.q-range input[value="5"]').check()
    for position, value in enumerate(["clinics", "roads", "schools"]):
        page.locator('select[name="priority"]').nth(position).select_option(value)
    page.get_by_test_id("next").click()
    expect(page.get_by_text("District")).to_be_visible()
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    values = Answer.objects.get().values
    assert values["score"] == "5"
    assert values["priority"] == "clinics roads schools"
