"""Photos after intake: the handler blurs faces and number plates before a photo is public
(the original stays for handlers until the retention period ends), and adds photos of the
result to the answer."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image, ImageStat

from caunoi.core.models import AuditEntry
from caunoi.feedback import handling, photos
from caunoi.feedback.models import Outcome, Photo, Report, Status
from caunoi.feedback.sweep import sweep
from tests.conftest import logged_in
from tests.feedback.conftest import Feedback
from tests.feedback.test_intake import submit

pytestmark = pytest.mark.django_db

# The "face": a fine checkerboard at (40, 30), 40 × 40, on a plain grey photo of 160 × 120.
FACE = (40, 30, 40, 40)


def checkered_png() -> bytes:
    image = Image.new("RGB", (160, 120), (128, 128, 128))
    x0, y0, w, h = FACE
    for x in range(x0, x0 + w):
        for y in range(y0, y0 + h):
            image.putpixel((x, y), (0, 0, 0) if (x // 2 + y // 2) % 2 else (255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def upload(name: str = "anh.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else checkered_png(), "image/png")


def spread(data: bytes, box: tuple[int, int, int, int]) -> float:
    """How much the pixels in `box` vary: a checkerboard a lot, a blurred one hardly."""
    x, y, w, h = box
    with Image.open(io.BytesIO(data)) as image:
        return float(ImageStat.Stat(image.convert("L").crop((x, y, x + w, y + h))).stddev[0])


def acknowledged(fb: Feedback) -> Report:
    report = submit(fb, photos=[upload()])
    return handling.report_acknowledge(report=report, by=fb.handler)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_blurred_photo_is_the_only_one_the_public_gets(fb: Feedback) -> None:
    report = acknowledged(fb)
    photo = report.photos.get()
    client = logged_in(fb.handler)
    done = client.post(
        f"/staff/report-photos/{photo.pk}/blur/", {"regions": "40, 30, 40, 40"}, follow=True
    )
    assert done.status_code == 200
    photo.refresh_from_db()
    assert photo.redacted
    assert photo.regions == [[40, 30, 40, 40]]
    public = body(Client().get(f"/phan-anh/anh/{photo.pk}/"))
    assert spread(public, FACE) < 10  # the face is a smudge
    assert spread(checkered_png(), FACE) > 100
    with Image.open(io.BytesIO(public)) as image:  # outside the region nothing changed
        assert image.convert("RGB").getpixel((150, 110)) == (128, 128, 128)
    tracking = Client().get(f"/phan-anh/{report.public_id}/").content.decode()
    assert f"/phan-anh/anh/{photo.pk}/" in tracking
    assert "/original/" not in tracking
    original = client.get(f"/staff/report-photos/{photo.pk}/original/")
    assert original.status_code == 200
    assert "no-store" in original["Cache-Control"]
    assert spread(body(original), FACE) > 100
    assert AuditEntry.objects.filter(action="caunoi.report.photo_blurred").count() == 1


def test_only_the_unit_s_handlers_see_the_original(fb: Feedback) -> None:
    photo = acknowledged(fb).photos.get()
    url = f"/staff/report-photos/{photo.pk}/original/"
    assert Client().get(url).status_code == 302  # to the login page
    assert logged_in(fb.sibling_handler).get(url).status_code == 404
    blur = f"/staff/report-photos/{photo.pk}/blur/"
    assert logged_in(fb.sibling_handler).post(blur, {"regions": "1, 1, 9, 9"}).status_code == 404
    assert Photo.objects.get(pk=photo.pk).regions == []


@pytest.mark.parametrize(
    ("regions", "message"),
    [
        ("40 30 40", "cần bốn số"),
        ("a, b, c, d", "cần bốn số"),
        ("150, 100, 40, 40", "vượt ra ngoài ảnh"),
        ("-5, 0, 20, 20", "vượt ra ngoài ảnh"),
        ("10, 10, 2, 30", "ít nhất 4 điểm ảnh"),
    ],
)
def test_bad_regions_are_refused_with_the_line_and_nothing_is_saved(
    fb: Feedback, tmp_path: Path, regions: str, message: str
) -> None:
    photo = acknowledged(fb).photos.get()
    files_before = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    page = logged_in(fb.handler).post(
        f"/staff/report-photos/{photo.pk}/blur/", {"regions": "10, 10, 20, 20\n" + regions}
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "Dòng 2" in text
    assert message in text
    assert regions in text  # what the handler typed is kept to fix
    photo.refresh_from_db()
    assert not photo.redacted
    assert photo.regions == []
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == files_before


def test_regions_may_be_written_with_tabs_spaces_or_semicolons() -> None:
    parsed = photos.parse_regions("1,2,10,10\n 3\t4\t10\t10 ; 5, 6, 10.4, 10", width=50, height=50)
    assert parsed == [(1, 2, 10, 10), (3, 4, 10, 10), (5, 6, 10, 10)]


def test_removing_the_regions_shows_the_photo_unblurred_again(
    fb: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    photo = acknowledged(fb).photos.get()
    photos.photo_blur(photo=photo, by=fb.handler, regions=[FACE])
    photo.refresh_from_db()
    blurred_name = photo.redacted.name
    with django_capture_on_commit_callbacks(execute=True):
        photos.photo_blur(photo=photo, by=fb.handler, regions=[])
    photo.refresh_from_db()
    assert not photo.redacted
    assert not photo.image.storage.exists(blurred_name)
    assert spread(body(Client().get(f"/phan-anh/anh/{photo.pk}/")), FACE) > 100


def test_the_unblurred_original_is_erased_with_the_contact_details(
    fb: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    report = acknowledged(fb)
    photo = report.photos.get()
    photos.photo_blur(photo=photo, by=fb.handler, regions=[FACE])
    plain = submit(fb, photos=[upload()]).photos.get()  # not blurred: nothing to erase
    handling.report_resolve(report=report, by=fb.handler, outcome=Outcome.FIXED, answer="Xong.")
    handling.report_close(report=report, by=fb.handler)
    photo.refresh_from_db()
    original_name = photo.image.name
    assert sweep().photos_erased == 0  # not before the retention period ends
    with django_capture_on_commit_callbacks(execute=True):
        later = sweep(timezone.now() + timedelta(days=91))
    assert later.photos_erased == 1
    photo.refresh_from_db()
    assert photo.original_erased_at is not None
    assert not photo.image.storage.exists(original_name)
    staff_copy = body(logged_in(fb.handler).get(f"/staff/report-photos/{photo.pk}/original/"))
    assert spread(staff_copy, FACE) < 10  # handlers now get the blurred copy too
    assert Photo.objects.get(pk=plain.pk).original_erased_at is None
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED


def test_a_handler_adds_result_photos_shown_with_the_answer(fb: Feedback) -> None:
    report = acknowledged(fb)
    client = logged_in(fb.handler)
    done = client.post(
        f"/staff/reports/{report.pk}/result-photos/",
        {"photos": [upload("sau-1.png"), upload("sau-2.png")]},
    )
    assert done.status_code == 302
    result = list(report.photos.filter(by_handler=True))
    assert len(result) == 2
    tracking = Client().get(f"/phan-anh/{report.public_id}/").content.decode()
    assert tracking.count('data-testid="result-photo"') == 2
    assert tracking.count('data-testid="report-photo"') == 1  # the citizen's, apart
    assert Client().get(f"/phan-anh/anh/{result[0].pk}/").status_code == 200
    gone = client.post(f"/staff/report-photos/{result[0].pk}/remove/")
    assert gone.status_code == 302
    assert report.photos.filter(by_handler=True).count() == 1
    citizen = report.photos.get(by_handler=False)
    client.post(f"/staff/report-photos/{citizen.pk}/remove/")
    assert Photo.objects.filter(pk=citizen.pk).exists()  # a citizen's photo is hidden, not removed


def test_one_bad_result_photo_saves_none_and_says_which(fb: Feedback, tmp_path: Path) -> None:
    report = acknowledged(fb)
    before = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    page = logged_in(fb.handler).post(
        f"/staff/reports/{report.pk}/result-photos/",
        {"photos": [upload("tot.png"), upload("hong.png", b"not an image at all")]},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "Ảnh 2" in text
    assert "không phải ảnh" in text
    assert report.photos.filter(by_handler=True).count() == 0
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == before


def test_result_photos_are_capped(fb: Feedback) -> None:
    report = acknowledged(fb)
    photos.result_photos_add(report=report, by=fb.handler, photos=[upload() for _ in range(4)])
    with pytest.raises(photos.PhotoError, match="tối đa 5"):
        photos.result_photos_add(report=report, by=fb.handler, photos=[upload(), upload()])
    page = logged_in(fb.handler).post(f"/staff/reports/{report.pk}/result-photos/", {})
    assert page.status_code == 400
    assert "Hãy chọn ít nhất một ảnh" in page.content.decode()
    assert report.photos.filter(by_handler=True).count() == 4


def test_a_hidden_photo_is_erased_with_the_contact_details(
    fb: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    report = acknowledged(fb)
    photo = report.photos.get()
    handling.report_redact(
        report=report, by=fb.handler, public_description="", hidden_photos=[photo.pk]
    )
    handling.report_resolve(report=report, by=fb.handler, outcome=Outcome.FIXED, answer="Xong.")
    handling.report_close(report=report, by=fb.handler)
    name = Photo.objects.get(pk=photo.pk).image.name
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(timezone.now() + timedelta(days=91)).photos_erased == 1
    photo.refresh_from_db()
    assert photo.original_erased_at is not None
    assert not photo.image
    assert not photo.image.storage.exists(name)
    client = logged_in(fb.handler)
    assert client.get(f"/phan-anh/anh/{photo.pk}/").status_code == 404
    assert client.get(f"/staff/report-photos/{photo.pk}/original/").status_code == 404
    page = client.get(f"/staff/reports/{report.pk}/")
    assert page.status_code == 200
    assert "Ảnh gốc đã xóa theo thời hạn lưu giữ." in page.content.decode()


def test_the_handler_is_warned_that_acknowledging_makes_photos_public(fb: Feedback) -> None:
    report = submit(fb, photos=[upload()])
    page = logged_in(fb.handler).get(f"/staff/reports/{report.pk}/").content.decode()
    assert 'data-testid="public-warning"' in page
    handling.report_acknowledge(report=report, by=fb.handler)
    page = logged_in(fb.handler).get(f"/staff/reports/{report.pk}/").content.decode()
    assert 'data-testid="public-warning"' not in page


def test_a_photo_row_written_in_sql_without_the_redaction_columns_is_plain(fb: Feedback) -> None:
    from django.db import connection

    report = submit(fb)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO feedback_photo (report_id, image, content_type, width, height, hidden, "
            "by_handler) VALUES (%s, 'reports/x.png', 'image/png', 10, 10, %s, %s)",
            [report.pk, False, False],
        )
    photo = report.photos.get()
    assert photo.regions == []
    assert not photo.redacted


def test_a_bystander_on_a_result_photo_can_be_blurred_too(fb: Feedback) -> None:
    report = acknowledged(fb)
    (result,) = photos.result_photos_add(report=report, by=fb.handler, photos=[upload()])
    client = logged_in(fb.handler)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert f"/staff/report-photos/{result.pk}/blur/" in page
    client.post(f"/staff/report-photos/{result.pk}/blur/", {"regions": "40, 30, 40, 40"})
    shown = body(Client().get(f"/phan-anh/anh/{result.pk}/"))
    assert spread(shown, FACE) < 10
