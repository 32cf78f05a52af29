"""A handler, in a real browser, blurs a face on a citizen's photo by dragging over it and
adds a photo of the result; the public page shows only the blurred photo and the result."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Page, expect

from caunoi.core.models import RoleName
from caunoi.feedback import handling
from caunoi.feedback.models import Category, Photo, Source
from caunoi.feedback.services import report_submit
from tests.conftest import PASSWORD, World, make_person
from tests.e2e.test_demo_office import log_in
from tests.feedback.test_photos import FACE, checkered_png, spread

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_a_handler_blurs_a_face_by_dragging_and_adds_a_result_photo(
    world: World, page: Page, settings: object, tmp_path: Path, artifacts: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    category = Category.objects.create(unit=world.province, code="waste", name="Rác thải")
    handler = make_person("xuly.tinh", world.province, RoleName.CASE_HANDLER)
    report = report_submit(
        category=category,
        description="Rác đổ trộm ven suối; ảnh có người đi qua.",
        unit=world.commune,
        photos=[SimpleUploadedFile("rac.png", checkered_png(), "image/png")],
        source=Source.PORTAL,
    )
    handling.report_acknowledge(report=report, by=handler)
    photo = report.photos.get()

    log_in(page, handler.username, PASSWORD)
    page.goto(f"/staff/reports/{report.pk}/")
    original = page.locator(".redact-canvas img").first
    expect(original).to_be_visible()
    page.wait_for_function("document.querySelector('.redact-canvas img').complete")
    box = original.bounding_box()
    assert box is not None
    scale = box["width"] / 160
    x, y, w, h = FACE
    page.mouse.move(box["x"] + (x - 2) * scale, box["y"] + (y - 2) * scale)
    page.mouse.down()
    page.mouse.move(box["x"] + (x + w / 2) * scale, box["y"] + (y + h / 2) * scale, steps=4)
    page.mouse.move(box["x"] + (x + w + 2) * scale, box["y"] + (y + h + 2) * scale, steps=4)
    page.mouse.up()
    expect(page.locator(".redact-box")).to_have_count(1)
    expect(page.get_by_test_id("regions")).not_to_have_value("")
    page.screenshot(path=str(artifacts / "feedback-redact.png"), full_page=True)
    page.get_by_test_id("blur-save").click()
    expect(page.get_by_test_id("blurred-tag")).to_be_visible()
    photo.refresh_from_db()
    ((rx, ry, rw, rh),) = photo.regions
    assert rx <= x  # covers the face…
    assert ry <= y
    assert rx + rw >= x + w
    assert ry + rh >= y + h
    assert max(rw, rh) < 60  # …and not much more

    result = tmp_path / "sau.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (200, 150), "green").save(buffer, "JPEG")
    result.write_bytes(buffer.getvalue())
    page.get_by_test_id("result-input").set_input_files(str(result))
    page.get_by_test_id("result-add").click()
    expect(page.get_by_test_id("result-photos").locator("img")).to_have_count(1)

    public = page.context.browser.new_context(base_url=page.url.split("/staff")[0])  # type: ignore[union-attr]
    citizen = public.new_page()
    citizen.goto(f"/phan-anh/{report.public_id}/")
    expect(citizen.get_by_test_id("report-photo")).to_have_count(1)
    expect(citizen.get_by_test_id("result-photo")).to_have_count(1)
    shown = citizen.request.get(f"/phan-anh/anh/{photo.pk}/").body()
    assert spread(shown, FACE) < 10
    assert citizen.request.get(f"/staff/report-photos/{photo.pk}/original/").url.endswith(
        f"/staff/login/?next=/staff/report-photos/{photo.pk}/original/"
    )
    citizen.screenshot(path=str(artifacts / "feedback-public-photos.png"), full_page=True)
    public.close()
    assert Photo.objects.filter(report=report, by_handler=True).count() == 1
