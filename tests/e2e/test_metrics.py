"""Importing a Facebook export in a real browser: upload, preview, a file with a wrong date
refused line by line, confirm, and the figures on the metrics page and the home page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from caunoi.channels.models import Channel, ChannelKind
from caunoi.core.models import Role, RoleName, Unit, UnitKind, User
from caunoi.metrics.models import ChannelFigure
from tests.metrics.files import FB_PAGE, csv_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "a-long-test-password-42"


def _office() -> Channel:
    province = Unit.objects.add_root(
        {"name": "Tỉnh Thử", "kind": UnitKind.PROVINCE, "slug": "tinh-thu", "code": "T1"}
    )
    commune = Unit.objects.add_child(
        Unit.objects.get(pk=province.pk),
        {"name": "Xã Đông", "kind": UnitKind.COMMUNE, "slug": "xa-dong", "code": "C1"},
    )
    user = User.objects.create_user(username="bientap", password=PASSWORD, full_name="Biên Tập")
    Role.objects.create(user=user, unit=commune, name=RoleName.EDITOR)
    return Channel.objects.create(unit=commune, kind=ChannelKind.FACEBOOK, name="Xã Đông — Tin")


def _log_in(page: Page) -> None:
    page.goto("/staff/login/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_url("**/staff/")


def test_an_officer_imports_a_facebook_export_after_seeing_its_preview(
    page: Page, tmp_path: Path, artifacts: Path
) -> None:
    channel = _office()
    _log_in(page)
    page.get_by_test_id("menu-metrics").click()
    page.get_by_test_id("metrics-import-link").click()

    wrong = tmp_path / "wrong.csv"
    wrong.write_bytes(csv_bytes([FB_PAGE[0], FB_PAGE[2], ["2026-13-45", "1", "", "5", "", ""]]))
    page.select_option("#id_channel", str(channel.pk))
    page.set_input_files("#id_file", str(wrong))
    page.get_by_test_id("import-preview").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("2026-13-45")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody td").first).to_have_text("3")
    assert not ChannelFigure.objects.exists()

    good = tmp_path / "page-insights.csv"
    good.write_bytes(csv_bytes(FB_PAGE))
    page.select_option("#id_channel", str(channel.pk))
    page.set_input_files("#id_file", str(good))
    page.get_by_test_id("import-preview").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("page-insights.csv")
    expect(page.get_by_test_id("import-sample")).to_contain_text("Daily Total Reach")
    page.screenshot(path=str(artifacts / "metrics-preview.png"), full_page=True)
    assert not ChannelFigure.objects.exists()

    page.get_by_test_id("import-confirm").click()
    page.goto(page.url.split("?")[0] + "?start=2026-01-01&end=2026-01-31&grain=day")
    expect(page.get_by_test_id("metrics-reach")).to_have_text("2000")
    assert ChannelFigure.objects.filter(channel=channel, metric="reach").count() == 3

    # The same file again: the preview says it replaces, and the total stays the same.
    page.get_by_test_id("metrics-import-link").click()
    page.select_option("#id_channel", str(channel.pk))
    page.set_input_files("#id_file", str(good))
    page.get_by_test_id("import-preview").click()
    expect(page.get_by_test_id("import-replaced")).to_be_visible()
    page.get_by_test_id("import-confirm").click()
    page.goto(page.url.split("?")[0] + "?start=2026-01-01&end=2026-01-31&grain=day")
    expect(page.get_by_test_id("metrics-reach")).to_have_text("2000")
