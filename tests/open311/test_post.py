"""POST requests: a 311 app files a citizen's report with its key."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest

from caunoi.core.models import AuditEntry
from caunoi.feedback.models import Report, Source
from caunoi.open311.models import ApiKey, Submission
from caunoi.open311.services import apikey_revoke
from tests.open311.conftest import IN_SIBLING, Open311


def errors_of(response: Any) -> list[str]:
    return [e["description"] for e in response.json()]


def test_a_keyed_app_files_a_report_and_gets_its_id_at_once(o311: Open311) -> None:
    response = o311.post(
        service_code="roads",
        **{
            "attribute[size]": "large",
            "attribute[depth]": "15",
            "attribute[lanes][]": ["left", "right"],
        },
        media_url="https://anh.example.vn/o-ga.jpg",
        first_name="Văn",
        last_name="An",
        phone="0912 345 678",
        email="an@example.vn",
        device_id="device-123",
        account_id="acct-9",
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    (answer,) = response.json()
    report = Report.objects.get(public_id=answer["service_request_id"])
    assert report.source == Source.OPEN311
    assert report.unit == o311.world.commune
    assert report.attributes == {"size": "large", "depth": 15.0, "lanes": ["left", "right"]}
    assert report.contact_name == "Văn An"
    assert report.contact_phone == "0912 345 678"
    assert "Xã Đông" in answer["service_notice"]
    assert answer["account_id"] is None
    body = response.content.decode()
    for secret in ("0912", "an@example.vn", "Văn An", "device-123", "acct-9"):
        assert secret not in body
    submission = Submission.objects.get(report=report)
    assert submission.media_url == "https://anh.example.vn/o-ga.jpg"
    assert submission.api_key == ApiKey.objects.get(name="App xã Đông")
    assert AuditEntry.objects.filter(action="caunoi.report.received", object_id=str(report.pk))


def test_contact_details_are_encrypted_in_the_database(o311: Open311) -> None:
    from django.db import connection

    o311.post(phone="0912 345 678", email="an@example.vn")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone, contact_email FROM feedback_report")
        phone, email = cursor.fetchone()
    assert phone.startswith("fernet:")
    assert "an@example.vn" not in email


def test_the_answer_comes_in_xml_too(o311: Open311) -> None:
    response = o311.post("xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    public_id = root.findtext("request/service_request_id")
    assert Report.objects.filter(public_id=public_id).exists()


def test_without_jurisdiction_id_the_key_decides_where_it_goes(o311: Open311) -> None:
    response = o311.post(jurisdiction_id=None, lat=None, long=None, address_string="Chợ xã Đông")
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.unit == o311.world.commune
    assert report.address == "Chợ xã Đông"


def test_an_empty_description_takes_the_service_name(o311: Open311) -> None:
    response = o311.post(description=None)
    assert response.status_code == 200, response.content
    assert Report.objects.get().description == "Chiếu sáng công cộng"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": "no-such-service"}, "service_code"),
        ({"lat": "95", "long": "106.05"}, "lat"),
        ({"lat": "21.05", "long": "abc"}, "long"),
        ({"lat": None, "long": None}, "lat, long, address_string"),
        ({"description": "x" * 5000}, "description"),
        ({"service_code": "roads"}, "attribute[size]"),  # required, missing
        ({"service_code": "roads", "attribute[size]": "huge"}, "attribute[size]"),
        (
            {"service_code": "roads", "attribute[size]": "small", "attribute[depth]": "deep"},
            "attribute[depth]",
        ),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_fields_get_a_400_naming_each_field_and_nothing_is_stored(
    o311: Open311, fields: dict[str, Any], field: str
) -> None:
    response = o311.post(**fields)
    assert response.status_code == 400, response.content
    problems = response.json()
    assert all(p["code"] == 400 for p in problems)
    assert any(p["description"].startswith(f"{field}: ") for p in problems), problems
    assert not Report.objects.exists()
    assert not Submission.objects.exists()


def test_every_bad_field_is_listed_at_once(o311: Open311) -> None:
    response = o311.post(
        service_code="roads",
        lat="200",
        description="y" * 5000,
        media_url="ftp://x",
        **{"attribute[size]": "huge"},
    )
    assert response.status_code == 400
    fields = {d.split(":")[0] for d in errors_of(response)}
    assert {"lat", "description", "media_url", "attribute[size]"} <= fields
    assert not Report.objects.exists()


def test_field_errors_come_in_xml_as_the_spec_lists_them(o311: Open311) -> None:
    response = o311.post("xml", service_code="nope")
    assert response.status_code == 400
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "400"
    assert root.findtext("error/description").startswith("service_code: ")


def test_messages_are_in_english_when_the_app_asks(o311: Open311) -> None:
    response = o311.client.post(
        "/open311/v2/requests.json",
        {"api_key": o311.commune_key, "lat": "21.05", "long": "106.05", "description": "Ổ gà"},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8",
    )
    assert response.status_code == 400
    assert errors_of(response) == ["service_code: Send a service_code, taken from services.json."]


@pytest.mark.parametrize("which", ["missing", "wrong", "revoked"])
def test_a_missing_wrong_or_revoked_key_gets_a_403(o311: Open311, which: str) -> None:
    key = {"missing": None, "wrong": "c311_not-a-real-key", "revoked": o311.commune_key}[which]
    if which == "revoked":
        apikey_revoke(key=ApiKey.objects.get(name="App xã Đông"), by=None)
    response = o311.post(api_key=key)
    assert response.status_code == 403
    (problem,) = response.json()
    assert problem["code"] == 403
    assert problem["description"].startswith("api_key: ")
    assert not Report.objects.exists()


def test_a_commune_key_cannot_file_for_another_commune(o311: Open311) -> None:
    from caunoi.open311.services import jurisdiction_set

    jurisdiction_set(unit=o311.world.sibling, domain="xatay.gov.vn", by=None)
    response = o311.post(jurisdiction_id="xatay.gov.vn", lat=IN_SIBLING[0], long=IN_SIBLING[1])
    assert response.status_code == 403
    # The province's key covers both communes.
    response = o311.post(
        api_key=o311.province_key,
        jurisdiction_id="xatay.gov.vn",
        lat=IN_SIBLING[0],
        long=IN_SIBLING[1],
    )
    assert response.status_code == 200
    assert Report.objects.get().unit == o311.world.sibling


def test_an_unknown_jurisdiction_is_a_404(o311: Open311) -> None:
    response = o311.post(jurisdiction_id="nowhere.gov.vn")
    assert response.status_code == 404
    assert errors_of(response)[0].startswith("jurisdiction_id: ")


def test_too_many_posts_from_one_address_get_a_429_with_retry_after(
    o311: Open311, settings: Any
) -> None:
    settings.CAUNOI_RATE_LIMITS = "open311=2/60"
    assert o311.post().status_code == 200
    assert o311.post().status_code == 200
    refused = o311.post()
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()[0]["code"] == 429
    assert Report.objects.count() == 2
    # Reading is not limited.
    assert o311.get("services.json", jurisdiction_id="xadong.gov.vn").status_code == 200


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(
    o311: Open311, settings: Any
) -> None:
    settings.CAUNOI_OPEN311_MAX_BODY = 2048
    response = o311.post(address_string="a" * 4000)
    assert response.status_code == 413
    assert "KB" in errors_of(response)[0]
    assert not Report.objects.exists()


def test_uploaded_files_are_refused_with_a_pointer_to_media_url(o311: Open311) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = o311.client.post(
        "/open311/v2/requests.json",
        {
            "api_key": o311.commune_key,
            "service_code": "lighting",
            "address_string": "x",
            "media": SimpleUploadedFile("a.jpg", b"\xff\xd8\xff", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert "media_url" in errors_of(response)[0]
