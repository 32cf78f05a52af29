"""Our server through two Open311 clients we did not write, over real HTTP: georeport (reads,
JSON and XML) and civicbot's Open311 client (validates against our definitions and POSTs)."""

from __future__ import annotations

from typing import Any

import pytest
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client, ValidationError
from civicbot.registry import Endpoint
from georeport import GeoReport
from pytest_django.live_server_helper import LiveServer

from caunoi.feedback.models import Report
from tests.open311.conftest import IN_COMMUNE, Open311

pytestmark = pytest.mark.usefixtures("transactional_db")


def civic(live_server: LiveServer) -> Open311Client:
    endpoint = Endpoint(
        id="caunoi", name="caunoi", base_url=f"{live_server.url}/open311/v2", write=True
    )
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0))
    return Open311Client(endpoint, transport=transport, jurisdiction_id="xadong.gov.vn")


def test_civicbot_files_a_report_with_answers_checked_against_our_definition(
    o311: Open311, live_server: LiveServer
) -> None:
    client = civic(live_server)
    sent = client.create_request(
        "roads",
        dry_run=False,
        confirm="SEND",
        api_key=o311.commune_key,
        validate_remote=True,
        lat=IN_COMMUNE[0],
        lng=IN_COMMUNE[1],
        description="Ổ gà lớn giữa đường",
        attributes={"size": "large", "lanes": ["left", "right"]},
        first_name="Văn",
        last_name="An",
        phone="0912 345 678",
    )
    (answer,) = sent.response
    report = Report.objects.get(public_id=answer["service_request_id"])
    assert report.attributes == {"size": "large", "lanes": ["left", "right"]}
    assert report.contact_phone == "0912 345 678"
    assert client.get_request(report.public_id)["service_request_id"] == report.public_id
    assert client.get_token(report.public_id) == [
        {"service_request_id": report.public_id, "token": report.public_id}
    ]
    listed = client.list_requests(service_request_ids=[report.public_id])
    assert [r["service_request_id"] for r in listed] == [report.public_id]
    # Its own check, made from our service definition, catches a wrong answer before sending.
    with pytest.raises(ValidationError, match="huge"):
        client.create_request(
            "roads",
            dry_run=False,
            confirm="SEND",
            api_key=o311.commune_key,
            validate_remote=True,
            lat=IN_COMMUNE[0],
            lng=IN_COMMUNE[1],
            attributes={"size": "huge"},
        )


def test_civicbot_hears_our_field_errors_and_a_refused_key(
    o311: Open311, live_server: LiveServer
) -> None:
    client = civic(live_server)
    with pytest.raises(HttpError) as refused:
        client.create_request(
            "roads",
            dry_run=False,
            confirm="SEND",
            api_key=o311.commune_key,
            lat=IN_COMMUNE[0],
            lng=IN_COMMUNE[1],
            attributes={"size": "huge"},
        )
    assert refused.value.status == 400
    assert "attribute[size]" in refused.value.body
    with pytest.raises(HttpError) as forbidden:
        client.create_request(
            "lighting",
            dry_run=False,
            confirm="SEND",
            api_key="c311_wrong",
            lat=IN_COMMUNE[0],
            lng=IN_COMMUNE[1],
        )
    assert forbidden.value.status == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(
    o311: Open311, live_server: LiveServer, fmt: str
) -> None:
    o311.post(service_code="roads", **{"attribute[size]": "small"})
    o311.post()
    client = GeoReport(
        f"{live_server.url}/open311/v2", jurisdiction="xadong.gov.vn", output_format=fmt
    )
    services: Any = client.get_service_list()
    assert {s["service_code"] for s in services} == {"roads", "lighting"}
    definition: Any = client.get_service_definition("roads")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == ["size", "depth", "seen", "lanes"]
    requests: Any = client.get_service_requests(status="open", service_code="roads")
    if isinstance(requests, dict):  # xmltodict gives a lone <request> as a dict
        requests = [requests]
    (road,) = requests
    assert road["service_code"] == "roads"
    assert road["status"] == "open"
    assert road["agency_responsible"] == "Xã Đông"
    one: Any = client.get_service_request(road["service_request_id"])
    assert one["service_request_id"] == road["service_request_id"]
