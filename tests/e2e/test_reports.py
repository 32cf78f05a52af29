"""Reports in a real browser: the dashboard with its chart, then a Word export made by the
worker, followed on its progress page and downloaded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from caunoi.core.models import Role, RoleName, Unit, UnitKind, User
from tests.reports.conftest import SampleSection
from tests.worker import run_worker

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "a-long-e2e-password-42"


@pytest.fixture
def office() -> Iterator[tuple[Unit, SampleSection]]:
    from caunoi.reports.sections import register, unregister

    province = Unit.objects.add_root(
        {"name": "Tỉnh Lào Cai", "kind": UnitKind.PROVINCE, "slug": "lao-cai", "code": "10"}
    )
    commune = Unit.objects.add_child(
        Unit.objects.get(pk=province.pk),
        {"name": "Phường Sa Pa", "kind": UnitKind.COMMUNE, "slug": "sa-pa", "population": 25_000},
    )
    user = User.objects.create_user(username="lanhdao.tinh", password=PASSWORD)
    Role.objects.create(user=user, unit=province, name=RoleName.APPROVER)
    section = SampleSection()
    register(section)
    for month, n in ((1, 40), (2, 55), (3, 61)):
        section.add(commune, date(2026, month, 10), n=n)
        section.add(commune, date(2026, month, 12), "sample.answered", n=n - 5)
    yield province, section
    unregister(section.key)


def test_the_dashboard_shows_a_chart_and_exports_a_word_report(
    page: Page, office: tuple[Unit, SampleSection], artifacts: Path
) -> None:
    province, _section = office
    page.goto("/staff/login/")
    page.locator("#id_username").fill("lanhdao.tinh")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_load_state()

    page.get_by_test_id("nav-reports").click()
    form = page.get_by_test_id("period-form")
    form.locator("select[name=kind]").select_option("quarter")
    form.locator("input[name=year]").fill("2026")
    form.locator("input[name=number]").fill("1")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("chart").first.locator("svg")).to_be_visible()
    expect(page.locator('[data-testid=figures-sample] [data-key="sample.received"]')).to_have_text(
        "156"
    )
    expect(page.get_by_test_id("children")).to_contain_text("Phường Sa Pa")
    page.screenshot(path=str(artifacts / "reports-dashboard.png"), full_page=True)

    page.get_by_test_id("export-docx").click()
    expect(page.get_by_test_id("export-status")).to_be_visible()
    run_worker()
    download_link = page.get_by_test_id("export-download")
    expect(download_link).to_be_visible(timeout=15_000)  # htmx polls the status every 2 s
    with page.expect_download() as downloading:
        download_link.click()
    saved = artifacts / "reports-export.docx"
    downloading.value.save_as(saved)
    word = Document(str(saved))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "quý I năm 2026" in text
    header = word.tables[0].rows[0].cells[1].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert ["Đã tiếp nhận", "156", "0", "0"] in [
        [c.text for c in row.cells] for t in word.tables for row in t.rows
    ]
    assert province.name
