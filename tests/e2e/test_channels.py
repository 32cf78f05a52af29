"""The delivery board in a real browser: a failed delivery is sent again with one click."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from caunoi.channels.models import Channel, ChannelKind, Delivery, DeliveryStatus
from caunoi.core.models import Role, RoleName, Unit, UnitKind, User
from caunoi.publishing.models import Article
from tests.worker import run_worker

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "a-long-e2e-password-42"


def test_an_officer_retries_a_failed_delivery_from_the_board(page: Page) -> None:
    unit = Unit.objects.add_root(
        {"name": "Xã Thử", "kind": UnitKind.COMMUNE, "slug": "xa-thu", "code": "E2E1"}
    )
    officer = User.objects.create_user(username="bientap.e2e", password=PASSWORD, full_name="Biên")
    Role.objects.create(user=officer, unit=unit, name=RoleName.EDITOR)
    article = Article.objects.create(
        unit=unit,
        kind="news",
        title="Lịch tiêm chủng tháng 12",
        author=officer,
        state="published",
        published_at=timezone.now(),
    )
    channel = Channel.objects.create(
        unit=unit,
        kind=ChannelKind.YOUTUBE,
        name="Kênh video xã",
        url="https://www.youtube.com/@xathu",
    )
    delivery = Delivery.objects.create(
        channel=channel,
        article=article,
        unit=unit,
        status=DeliveryStatus.FAILED,
        attempts=8,
        error_kind="retry",
        last_error="network unreachable",
    )

    page.goto("/staff/login/")
    page.locator("#id_username").fill("bientap.e2e")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.get_by_test_id("nav-deliveries").click()
    row = page.get_by_test_id(f"delivery-{delivery.pk}")
    expect(row.get_by_test_id("status")).to_have_text("Thất bại sau nhiều lần thử")
    expect(row).to_contain_text("network unreachable")

    row.get_by_test_id("retry").click()
    expect(page.locator(".messages")).to_contain_text("Đã xếp lịch gửi lại ngay.")
    expect(row.get_by_test_id("status")).to_have_text("Sẽ thử lại")
    expect(row.get_by_test_id("retry")).to_be_visible()

    run_worker()
    page.reload()
    expect(row.get_by_test_id("status")).to_have_text("Đã gửi")
    expect(row.get_by_test_id("retry")).to_have_count(0)
    expect(row.get_by_role("link", name="mở")).to_have_attribute(
        "href", "https://www.youtube.com/@xathu"
    )
