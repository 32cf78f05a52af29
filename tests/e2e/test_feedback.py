"""A citizen reports a problem in a real browser (map click, a photo), follows it by e-mail,
and a handler answers it; the citizen sees the answer and the follower gets it by e-mail."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from caunoi.core.models import RoleName
from caunoi.feedback.models import Category, Follower, Report, Status, UnitArea
from caunoi.feedback.routing import bounds
from tests.conftest import PASSWORD, World, make_person
from tests.e2e.test_demo_office import log_in
from tests.mail import Inbox, body_of
from tests.worker import run_worker

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

# A square around the commune; the map opens on it.
AREA = {
    "type": "Polygon",
    "coordinates": [[[106.0, 21.0], [106.3, 21.0], [106.3, 21.3], [106.0, 21.3], [106.0, 21.0]]],
}


@pytest.fixture
def office(world: World, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path
    # Any same-origin image will do as a tile: the test must not reach the internet.
    settings.CAUNOI_MAP_TILES = "/static/caunoi/favicon.svg?z={z}&x={x}&y={y}"
    Category.objects.create(unit=world.province, code="lighting", name="Chiếu sáng công cộng")
    min_lat, max_lat, min_lon, max_lon = bounds(AREA)
    UnitArea.objects.create(
        unit=world.commune,
        geometry=AREA,
        min_lat=min_lat,
        max_lat=max_lat,
        min_lon=min_lon,
        max_lon=max_lon,
    )
    return world


def photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "den-hong.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "orange").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_citizen_reports_with_a_photo_follows_it_and_a_handler_answers(
    office: World, page: Page, smtp: Inbox, tmp_path: Path, artifacts: Path
) -> None:
    handler = make_person("xuly.dong", office.commune, RoleName.CASE_HANDLER)
    page.goto("/u/tinh-thu/xa-dong/")
    page.get_by_test_id("portal-report").click()
    page.get_by_test_id("category-lighting").click()
    expect(page.get_by_test_id("privacy")).to_contain_text("chỉ cán bộ")
    page.locator("#id_description").fill("Đèn đường ngõ 7 tắt cả tuần, đi tối rất nguy hiểm.")
    page.locator("#report-map").click()  # a point in the middle of the commune
    expect(page.locator("#id_lat")).not_to_have_value("")
    page.locator("#id_photos").set_input_files(str(photo_file(tmp_path)))
    page.locator("#id_contact_email").fill("dan@example.com")
    page.locator("#id_follow").check()
    page.screenshot(path=str(artifacts / "feedback-form.png"), full_page=True)
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("received")).to_be_visible()
    public_id = page.get_by_test_id("public-id").inner_text()
    report = Report.objects.get(public_id=public_id)
    assert report.unit == office.commune
    assert report.photos.count() == 1
    page.screenshot(path=str(artifacts / "feedback-received.png"), full_page=True)

    run_worker()  # the confirmation e-mail and the handler's notification
    (confirm,) = smtp.to("dan@example.com")
    link = re.search(r"http\S+/phan-anh/theo-doi/\S+/", body_of(confirm))
    assert link is not None
    page.goto("/phan-anh/" + link.group(0).split("/phan-anh/", 1)[1])  # the link, on this server
    page.get_by_test_id("confirm-follow").click()
    expect(page.get_by_test_id("follow-confirmed")).to_be_visible()
    assert Follower.objects.get().confirmed_at is not None

    staff = page.context.browser.new_context(base_url=page.url.split("/phan-anh")[0])  # type: ignore[union-attr]
    desk = staff.new_page()
    log_in(desk, handler.username, PASSWORD)
    desk.goto(f"/staff/reports/{report.pk}/")
    desk.get_by_test_id("step-acknowledge").click()
    expect(desk.get_by_test_id("report-status")).to_have_text("Đã tiếp nhận")
    desk.locator("#id_outcome").select_option("fixed")
    desk.locator("#id_answer").fill("Đã thay bóng đèn ngõ 7 ngày hôm nay. Cảm ơn bạn.")
    desk.get_by_test_id("step-resolve").click()
    expect(desk.get_by_test_id("report-status")).to_have_text("Đã có kết quả")
    desk.screenshot(path=str(artifacts / "feedback-handler.png"), full_page=True)
    staff.close()

    page.goto(f"/phan-anh/{public_id}/")
    expect(page.get_by_test_id("answer")).to_contain_text("Đã thay bóng đèn ngõ 7")
    expect(page.get_by_test_id("report-photo")).to_have_count(1)
    expect(page.get_by_test_id("history")).to_contain_text("Đã có kết quả")
    assert Report.objects.get(pk=report.pk).status == Status.RESOLVED
    run_worker()
    assert "Đã thay bóng đèn ngõ 7" in body_of(smtp.to("dan@example.com")[-1])


def test_without_javascript_the_form_still_takes_an_address(
    office: World, new_context: Any
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/u/tinh-thu/xa-dong/phan-anh/gui/?linh-vuc=lighting")
    page.locator("#id_description").fill("Đèn đường trước chợ không sáng.")
    page.locator("#id_address").fill("Trước chợ xã Đông")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("received")).to_be_visible()
    assert Report.objects.get().address == "Trước chợ xã Đông"
