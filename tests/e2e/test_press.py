"""Press in a real browser: an officer schedules "the second Thursday of every month at 14:00"
from the form, sees it on the calendar, opens one briefing, and the public press page lists it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from caunoi.core.models import RoleName
from tests.conftest import PASSWORD, World, make_person

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def _second_thursday(month: date) -> date:
    first = month.replace(day=1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 7)


def test_an_officer_schedules_a_recurring_briefing_and_sees_it_on_the_calendar(
    page: Page, new_context: Callable[..., BrowserContext], world: World, artifacts: Path
) -> None:
    make_person("canbo", world.commune, RoleName.EDITOR)
    page.goto("/staff/login/")
    page.locator("#id_username").fill("canbo")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.get_by_test_id("nav-press").click()
    page.get_by_test_id("series-new").click()

    form = page.get_by_test_id("series-form")
    form.get_by_label("Tên buổi giao ban").fill("Giao ban báo chí định kỳ")
    form.get_by_label("Theo tuần trong tháng").check()
    form.get_by_label("Vào ngày").select_option(label="Thứ Năm")
    form.get_by_role("checkbox", name="tuần thứ hai", exact=True).check()
    today = date.today()
    form.get_by_label("Bắt đầu từ ngày").fill(today.replace(day=1).isoformat())
    form.get_by_label("Giờ bắt đầu").fill("14:00")
    form.get_by_label("Địa điểm").fill("Hội trường UBND xã")
    form.locator("button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("thứ Năm tuần thứ hai hằng tháng")
    calendar = page.get_by_test_id("calendar")
    entry = calendar.get_by_test_id("calendar-briefing")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("14:00 Giao ban báo chí định kỳ")
    page.screenshot(path=str(artifacts / "press-calendar.png"), full_page=True)

    page.get_by_role("link", name=re.compile("Tháng sau")).click()
    expect(page.get_by_test_id("calendar-briefing")).to_have_count(1)
    entry = page.get_by_test_id("calendar-briefing")
    entry.click()
    expect(page.get_by_test_id("briefing-title")).to_have_text("Giao ban báo chí định kỳ")
    nxt = today.replace(day=28) + timedelta(days=7)
    expect(page.get_by_test_id("briefing-when")).to_contain_text(
        _second_thursday(nxt).strftime("%d/%m/%Y")
    )

    page.screenshot(path=str(artifacts / "press-briefing.png"), full_page=True)

    public = new_context().new_page()  # a citizen or journalist, not logged in
    public.goto("/u/tinh-thu/xa-dong/bao-chi/")
    expect(public.get_by_test_id("public-briefings")).to_contain_text("Giao ban báo chí định kỳ")
    public.get_by_test_id("lang-en").click()
    expect(public.get_by_test_id("public-briefings")).to_contain_text("Thursday")
    public.screenshot(path=str(artifacts / "press-public-en.png"), full_page=True)
