"""The citizen's side in the portal: the form, its errors, the tracking page, following."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caunoi.core.models import Unit
from caunoi.feedback import handling
from caunoi.feedback.models import Follower, Report
from tests.feedback.conftest import IN_COMMUNE, Feedback
from tests.feedback.test_intake import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db

FORM = "/u/tinh-thu/xa-dong/phan-anh/gui/"


def valid(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "lighting",
        "description": "Đèn đường hỏng ở ngõ 5, tối om cả tuần nay.",
        "lat": str(IN_COMMUNE[0]),
        "lon": str(IN_COMMUNE[1]),
        "website": "",
    }
    data.update(extra)
    return data


def test_the_form_lists_categories_inherited_from_the_province(fb: Feedback) -> None:
    page = Client().get(FORM)
    assert page.status_code == 200
    assert "Chiếu sáng công cộng" in page.content.decode()
    form = Client().get(FORM + "?linh-vuc=roads").content.decode()
    assert "Ổ gà lớn cỡ nào?" in form
    assert "chỉ cán bộ được giao xử lý phản ánh này xem được" in form
    assert "90 ngày" in form


def test_a_citizen_sends_a_report_with_a_photo_and_gets_a_private_tracking_link(
    fb: Feedback,
) -> None:
    photo = SimpleUploadedFile("den.jpg", jpeg_with_gps(), content_type="image/jpeg")
    answer = Client().post(FORM, valid(photos=[photo], contact_phone="0912 345 678"))
    assert answer.status_code == 302
    report = Report.objects.get()
    assert answer["Location"] == f"/phan-anh/{report.public_id}/?ma={report.secret}&moi=1"
    page = Client().get(answer["Location"])
    text = page.content.decode()
    assert report.public_id in text
    assert "no-store" in page["Cache-Control"]
    assert "0912" not in text
    assert report.photos.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "x" * 5000}, "description"),
        ({"lat": "200"}, "address"),
        ({"lat": "", "lon": "", "address": ""}, "address"),
    ],
)
def test_mistakes_come_back_with_a_message_beside_the_field(
    fb: Feedback, change: dict[str, object], field: str
) -> None:
    answer = Client().post(FORM, valid(**change))
    assert answer.status_code == 400
    assert not Report.objects.exists()
    assert 'data-testid="form-error"' in answer.content.decode()


def test_a_bad_photo_is_refused_with_a_message(fb: Feedback) -> None:
    fake = SimpleUploadedFile("a.jpg", b"not an image at all", content_type="image/jpeg")
    answer = Client().post(FORM, valid(photos=[fake]))
    assert answer.status_code == 400
    assert "JPEG, PNG" in answer.content.decode()


def test_the_honeypot_field_stops_robots(fb: Feedback) -> None:
    answer = Client().post(FORM, valid(website="http://spam.example"))
    assert answer.status_code == 400
    assert not Report.objects.exists()


def test_too_many_reports_from_one_address_get_429_with_retry_after(
    fb: Feedback, settings: object
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.CAUNOI_RATE_LIMITS = "report=2/600"  # type: ignore[attr-defined]
    client = Client()
    for n in range(2):
        assert (
            client.post(FORM, valid(description=f"Đèn hỏng số {n} ở xóm trên")).status_code == 302
        )
    refused = client.post(FORM, valid(description="Đèn hỏng số ba ở xóm dưới"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    cache.clear()


def test_a_likely_duplicate_is_suggested_and_the_citizen_can_send_anyway(fb: Feedback) -> None:
    existing = submit(fb, description="Đèn đường hỏng ở ngõ 5 tối om")
    handling.report_acknowledge(report=existing, by=fb.handler)
    first = Client().post(FORM, valid())
    assert first.status_code == 200
    assert existing.public_id in first.content.decode()
    assert Report.objects.count() == 1
    second = Client().post(FORM, valid(send_anyway="on"))
    assert second.status_code == 302
    assert Report.objects.count() == 2


def test_the_tracking_page_shows_the_answer_and_history_but_never_contact_details(
    fb: Feedback,
) -> None:
    from caunoi.feedback.services import Contact

    report = submit(fb, contact=Contact(name="Phạm Văn Bình", email="binh@example.com"))
    handling.report_acknowledge(report=report, by=fb.handler)
    handling.report_resolve(
        report=report, by=fb.handler, outcome="fixed", answer="Đã sửa, gọi 0987 654 321 nếu cần."
    )
    text = Client().get(f"/phan-anh/{report.public_id}/").content.decode()
    assert "Đã sửa" in text
    assert "0987 654 321" not in text
    assert "Bình" not in text
    assert "binh@" not in text
    assert 'name="ma"' not in text  # no reopen or rating without the private link


def test_following_asks_for_confirmation_with_a_button(fb: Feedback) -> None:
    report = submit(fb)
    client = Client()
    answer = client.post(f"/phan-anh/{report.public_id}/theo-doi/", {"email": "a@example.com"})
    assert 'data-testid="follow-sent"' in answer.content.decode()
    follower = Follower.objects.get()
    assert follower.confirmed_at is None
    client.get(f"/phan-anh/theo-doi/{follower.token}/")  # a mail scanner opening the link
    follower.refresh_from_db()
    assert follower.confirmed_at is None
    client.post(f"/phan-anh/theo-doi/{follower.token}/")
    follower.refresh_from_db()
    assert follower.confirmed_at is not None


def test_an_unknown_public_id_is_a_clear_not_found(fb: Feedback) -> None:
    assert Client().get("/phan-anh/AAAA-BBBB/").status_code == 404
    lookup = Client().get("/phan-anh/?ma=AAAA-BBBB")
    assert "Không tìm thấy" in lookup.content.decode()


def test_photos_of_an_unreviewed_report_are_not_public(fb: Feedback) -> None:
    report = submit(fb, photos=[jpeg_with_gps()])
    photo = report.photos.get()
    assert Client().get(f"/phan-anh/anh/{photo.pk}/").status_code == 404
    handling.report_acknowledge(report=report, by=fb.handler)
    assert Client().get(f"/phan-anh/anh/{photo.pk}/").status_code == 200
    handling.report_redact(
        report=report, by=fb.handler, public_description="", hidden_photos=[photo.pk]
    )
    assert Client().get(f"/phan-anh/anh/{photo.pk}/").status_code == 404


def test_the_public_list_filters_and_keeps_a_fixed_number_of_queries(
    fb: Feedback, django_assert_max_num_queries: object
) -> None:
    for n in range(12):
        submit(fb, description=f"Đèn số {n} hỏng")
    submit(fb, category=fb.roads, description="Ổ gà", attributes={"size": "large"})
    client = Client()
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        page = client.get("/u/tinh-thu/phan-anh/?linh-vuc=roads")
    assert page.status_code == 200
    assert page.content.decode().count("/phan-anh/") >= 1
    assert "Ổ gà" not in page.content.decode()  # text waits for a handler
    assert Unit.objects.filter(slug="xa-dong").exists()


def test_the_transparency_page_counts_answers_on_time(fb: Feedback) -> None:
    report = submit(fb)
    handling.report_resolve(report=report, by=fb.handler, outcome="fixed", answer="Đã sửa.")
    submit(fb)
    page = Client().get("/u/tinh-thu/phan-anh/minh-bach/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="received">2<' in text
    assert 'data-testid="answered">1<' in text
    assert "<svg" in text
