"""media_url: a link a 311 app sent is shown to the handlers as a link and published only
once a handler has checked it; the API's media_url is otherwise the citizen's public photo on
this server (blurred where the handler blurred it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caunoi.core.models import AuditEntry, RoleName
from caunoi.feedback import handling
from caunoi.feedback.models import Report, Source
from caunoi.feedback.services import report_submit
from caunoi.open311.models import Submission
from tests.conftest import logged_in, make_person
from tests.feedback.test_photos import checkered_png
from tests.open311.conftest import IN_COMMUNE, Open311

pytestmark = pytest.mark.django_db

LINK = "https://anh.example.vn/den-hong.jpg"


def posted(o311: Open311) -> Report:
    response = o311.post(media_url=LINK)
    assert response.status_code == 200, response.content
    return Report.objects.get(public_id=response.json()[0]["service_request_id"])


def media_of(o311: Open311, report: Report) -> Any:
    (shown,) = o311.get(f"requests/{report.public_id}.json").json()
    return shown["media_url"]


def test_a_311_link_is_public_only_after_a_handler_checks_it(o311: Open311) -> None:
    handler = make_person("xuly.dong", o311.world.commune, RoleName.CASE_HANDLER)
    report = posted(o311)
    assert media_of(o311, report) is None
    handling.report_acknowledge(report=report, by=handler)
    assert media_of(o311, report) is None  # the handler has not looked at the link yet
    client = logged_in(handler)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert f'<a href="{LINK}" rel="noopener noreferrer nofollow"' in page
    assert f'src="{LINK}"' not in page  # never hot-linked, not even for staff
    tracking = Client().get(f"/phan-anh/{report.public_id}/").content.decode()
    assert LINK not in tracking

    shared = client.post(f"/staff/reports/{report.pk}/media-url/", {"public": "1"})
    assert shared.status_code == 302
    assert Submission.objects.get(report=report).media_public
    assert media_of(o311, report) == LINK
    listed = o311.get("requests.json", jurisdiction_id="xadong.gov.vn").json()
    assert listed[0]["media_url"] == LINK
    tracking = Client().get(f"/phan-anh/{report.public_id}/").content.decode()
    assert f'<a href="{LINK}" rel="noopener noreferrer nofollow ugc">' in tracking
    assert f'src="{LINK}"' not in tracking
    assert AuditEntry.objects.filter(action="caunoi.report.media_url_shared").exists()

    client.post(f"/staff/reports/{report.pk}/media-url/", {"public": "0"})
    assert media_of(o311, report) is None


def test_only_the_unit_s_handlers_can_publish_the_link(o311: Open311) -> None:
    report = posted(o311)
    other = make_person("xuly.tay", o311.world.sibling, RoleName.CASE_HANDLER)
    answer = logged_in(other).post(f"/staff/reports/{report.pk}/media-url/", {"public": "1"})
    assert answer.status_code == 404
    assert not Submission.objects.get(report=report).media_public


def test_publishing_a_link_a_report_does_not_have_says_so(o311: Open311) -> None:
    handler = make_person("xuly.dong", o311.world.commune, RoleName.CASE_HANDLER)
    report = posted(o311)
    Submission.objects.filter(report=report).update(media_url="")
    page = logged_in(handler).post(
        f"/staff/reports/{report.pk}/media-url/", {"public": "1"}, follow=True
    )
    assert "không có đường dẫn ảnh" in page.content.decode()


def test_media_url_is_the_citizen_s_public_photo_on_this_server(o311: Open311) -> None:
    handler = make_person("xuly.dong", o311.world.commune, RoleName.CASE_HANDLER)
    report = report_submit(
        category=o311.lighting,
        description="Đèn hỏng.",
        lat=IN_COMMUNE[0],
        lon=IN_COMMUNE[1],
        photos=[SimpleUploadedFile("den.png", checkered_png(), "image/png")],
        source=Source.PORTAL,
    )
    assert media_of(o311, report) is None  # nothing is public before a handler looks
    handling.report_acknowledge(report=report, by=handler)
    photo = report.photos.get()
    assert media_of(o311, report) == f"http://testserver/phan-anh/anh/{photo.pk}/"
    assert Client().get(f"/phan-anh/anh/{photo.pk}/").status_code == 200
    handling.report_redact(
        report=report, by=handler, public_description="", hidden_photos=[photo.pk]
    )
    assert media_of(o311, report) is None


def test_a_submission_written_in_sql_keeps_its_link_private(o311: Open311) -> None:
    from django.db import connection

    report = posted(o311)
    Submission.objects.filter(report=report).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO open311_submission (report_id, media_url) VALUES (%s, %s)",
            [report.pk, LINK],
        )
    assert not Submission.objects.get(report=report).media_public
