from __future__ import annotations

import io

import pytest
from PIL import Image

from caunoi.core.models import AuditEntry, Notification
from caunoi.feedback.models import Report, Source, Status
from caunoi.feedback.services import Contact, ReportRejected, report_submit
from tests.feedback.conftest import IN_COMMUNE, IN_SIBLING, IN_VILLAGE, Feedback
from tests.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (21.0, 3.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def submit(fb: Feedback, **given: object) -> Report:
    fields: dict[str, object] = {
        "category": fb.lighting,
        "description": "Đèn đường trước nhà văn hóa bị hỏng ba hôm nay.",
        "lat": IN_COMMUNE[0],
        "lon": IN_COMMUNE[1],
        "source": Source.PORTAL,
    }
    fields.update(given)
    return report_submit(**fields)  # type: ignore[arg-type]


def test_a_report_is_stored_with_a_public_id_and_routed_to_the_commune_of_its_place(
    fb: Feedback,
) -> None:
    report = submit(fb)
    stored = Report.objects.get(pk=report.pk)
    assert len(stored.public_id) == 9
    assert stored.public_id[4] == "-"
    assert stored.unit == fb.world.commune
    assert stored.status == Status.RECEIVED
    assert stored.is_open
    assert stored.deadline is not None
    assert stored.ack_deadline is not None
    assert stored.ack_deadline < stored.deadline
    assert AuditEntry.objects.filter(action="caunoi.report.received", object_id=str(report.pk))


def test_the_lowest_unit_whose_area_contains_the_place_gets_the_report(fb: Feedback) -> None:
    assert submit(fb, lat=IN_VILLAGE[0], lon=IN_VILLAGE[1]).unit == fb.world.village
    assert submit(fb, lat=IN_SIBLING[0], lon=IN_SIBLING[1]).unit == fb.world.sibling


def test_a_place_outside_every_area_goes_to_the_unit_that_defines_the_category(
    fb: Feedback,
) -> None:
    assert submit(fb, lat=10.0, lon=100.0).unit == fb.world.province


def test_a_unit_picked_from_the_tree_without_a_place_routes_to_it(fb: Feedback) -> None:
    report = submit(fb, lat=None, lon=None, unit=fb.world.sibling)
    assert report.unit == fb.world.sibling


def test_handlers_of_the_unit_are_notified_after_the_report_is_stored(fb: Feedback) -> None:
    report = submit(fb)
    run_worker()
    note = Notification.objects.get(recipient=fb.handler)
    assert report.public_id in note.title
    assert not Notification.objects.filter(recipient=fb.sibling_handler).exists()


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"category": None}, "category"),
        ({"lat": 123.0}, "lat"),
        ({"lon": "east"}, "lon"),
        ({"lat": 21.0, "lon": None}, "lon"),
        ({"description": "x" * 5000}, "description"),
        ({"description": "   "}, "description"),
        ({"lat": None, "lon": None}, "location"),
        ({"contact": Contact(email="not-an-address")}, "contact_email"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(
    fb: Feedback, given: dict[str, object], field: str
) -> None:
    with pytest.raises(ReportRejected) as refused:
        submit(fb, **given)
    assert field in refused.value.errors
    assert refused.value.errors[field][0]
    assert not Report.objects.exists()


def test_extra_questions_are_checked_against_their_type_and_list(fb: Feedback) -> None:
    with pytest.raises(ReportRejected) as missing:
        submit(fb, category=fb.roads)
    assert "attribute[size]" in missing.value.errors
    with pytest.raises(ReportRejected) as wrong:
        submit(fb, category=fb.roads, attributes={"size": "huge", "depth": "deep"})
    assert set(wrong.value.errors) == {"attribute[size]", "attribute[depth]"}
    report = submit(fb, category=fb.roads, attributes={"size": "large", "depth": "12,5"})
    assert report.attributes == {"size": "large", "depth": 12.5}


def test_photos_lose_their_gps_data_and_more_than_five_are_refused(fb: Feedback) -> None:
    report = submit(fb, photos=[jpeg_with_gps()])
    photo = report.photos.get()
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif().get(0x8825)
    with pytest.raises(ReportRejected) as refused:
        submit(fb, photos=[jpeg_with_gps()] * 6)
    assert "photos" in refused.value.errors
    with pytest.raises(ReportRejected) as not_image:
        submit(fb, photos=[b"%PDF-1.4 not a photo"])
    assert "photos" in not_image.value.errors


def test_contact_details_are_encrypted_in_the_database(fb: Feedback) -> None:
    from django.db import connection

    report = submit(fb, contact=Contact(name="Nguyễn Văn An", phone="0912 345 678"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_phone FROM feedback_report WHERE id = %s", [report.pk]
        )
        name, phone = cursor.fetchone()
    assert "Nguyễn" not in name
    assert "0912" not in phone
    assert Report.objects.get(pk=report.pk).contact_phone == "0912 345 678"
