"""GET: discovery, services, definitions, requests (filters, window, pages), one request, tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from caunoi.feedback.models import Report, Source, Status
from caunoi.feedback.services import Contact, report_submit
from tests.open311.conftest import IN_COMMUNE, IN_SIBLING, Open311


def submit(
    o311: Open311,
    *,
    code: str = "lighting",
    where: tuple[float, float] = IN_COMMUNE,
    days_ago: float = 0,
    **state: Any,
) -> Report:
    category = o311.roads if code == "roads" else o311.lighting
    report = report_submit(
        category=category,
        description="Đèn hỏng, gọi 0912 345 678",
        lat=where[0],
        lon=where[1],
        address="Số 5 đường Làng",
        attributes={"size": "small"} if code == "roads" else {},
        contact=Contact(name="Nguyễn Văn Bí Mật", phone="0987 654 321", email="bimat@example.vn"),
        source=Source.PORTAL,
    )
    if days_ago:
        state["created_at"] = timezone.now() - timedelta(days=days_ago)
    if state:
        Report.objects.filter(pk=report.pk).update(**state)
        report.refresh_from_db()
    return report


def test_discovery_names_the_endpoint_and_both_formats(o311: Open311) -> None:
    data = o311.get("discovery.json").json()
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = ElementTree.fromstring(o311.get("discovery.xml").content)
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list_the_categories_that_apply_in_the_jurisdiction(o311: Open311) -> None:
    listed = o311.get("services.json", jurisdiction_id="xadong.gov.vn").json()
    by_code = {s["service_code"]: s for s in listed}
    assert set(by_code) == {"roads", "lighting"}
    assert by_code["roads"]["metadata"] is True
    assert by_code["lighting"]["metadata"] is False
    assert by_code["roads"]["type"] == "realtime"
    assert by_code["roads"]["group"] == "Hạ tầng"
    assert by_code["roads"]["keywords"] == "ổ gà, đường, cầu"
    root = ElementTree.fromstring(o311.get("services.xml", jurisdiction_id="xadong.gov.vn").content)
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} == {"roads", "lighting"}
    assert root.find("service/metadata").text in ("true", "false")


def test_service_names_are_in_english_for_an_english_app(o311: Open311) -> None:
    listed = o311.client.get(
        "/open311/v2/services.json", {"jurisdiction_id": "xadong.gov.vn", "locale": "en"}
    ).json()
    names = {s["service_code"]: s["service_name"] for s in listed}
    assert names["roads"] == "Roads and bridges"
    assert names["lighting"] == "Chiếu sáng công cộng"  # no English name given


def test_a_server_of_several_jurisdictions_asks_which_one(o311: Open311) -> None:
    response = o311.get("services.json")
    assert response.status_code == 400
    assert "xadong.gov.vn" in response.json()[0]["description"]
    response = o311.get("services.xml", jurisdiction_id="nowhere.gov.vn")
    assert response.status_code == 404
    assert ElementTree.fromstring(response.content).findtext("error/code") == "404"


def test_a_service_definition_lists_its_questions_in_order(o311: Open311) -> None:
    data = o311.get("services/roads.json", jurisdiction_id="xadong.gov.vn").json()
    assert data["service_code"] == "roads"
    attributes = data["attributes"]
    assert [a["code"] for a in attributes] == ["size", "depth", "seen", "lanes"]
    assert [a["order"] for a in attributes] == [1, 2, 3, 4]
    size = attributes[0]
    assert size["variable"] is True
    assert size["datatype"] == "singlevaluelist"
    assert size["required"] is True
    assert size["values"] == [{"key": "small", "name": "Nhỏ"}, {"key": "large", "name": "Lớn"}]
    assert size["datatype_description"]
    root = ElementTree.fromstring(
        o311.get("services/roads.xml", jurisdiction_id="xadong.gov.vn").content
    )
    assert root.tag == "service_definition"
    assert [v.findtext("key") for v in root.findall("attributes/attribute/values/value")][:2] == [
        "small",
        "large",
    ]
    missing = o311.get("services/nope.json", jurisdiction_id="xadong.gov.vn")
    assert missing.status_code == 404


def test_requests_show_public_fields_and_never_a_contact_detail(o311: Open311) -> None:
    fresh = submit(o311)
    answered = submit(
        o311,
        status=Status.CLOSED,
        public_answer="Đã thay bóng đèn. Liên hệ 0912 000 111.",
        closed_at=timezone.now(),
    )
    response = o311.get("requests.json", jurisdiction_id="xadong.gov.vn")
    assert response.status_code == 200
    by_id = {r["service_request_id"]: r for r in response.json()}
    assert set(by_id) == {fresh.public_id, answered.public_id}
    new = by_id[fresh.public_id]
    assert new["status"] == "open"
    assert new["description"] is None  # not reviewed by a handler yet
    assert new["address"] is None
    assert new["agency_responsible"] == "Xã Đông"
    assert new["expected_datetime"] == timezone.localtime(fresh.deadline).isoformat(
        timespec="seconds"
    )
    assert new["lat"] == IN_COMMUNE[0]
    assert new["long"] == IN_COMMUNE[1]
    done = by_id[answered.public_id]
    assert done["status"] == "closed"
    assert done["status_notes"].startswith("Đã thay bóng đèn.")
    assert "0912 000 111" not in done["status_notes"]  # masked
    assert "0912 345 678" not in done["description"]
    body = response.content.decode()
    for secret in ("Bí Mật", "0987", "bimat@example.vn", answered.secret):
        assert secret not in body


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_filter_by_status_service_code_and_ids(o311: Open311, fmt: str) -> None:
    road = submit(o311, code="roads")
    light = submit(o311)
    closed = submit(o311, status=Status.RESOLVED)

    def ids(**params: Any) -> set[str]:
        response = o311.get(f"requests.{fmt}", jurisdiction_id="xadong.gov.vn", **params)
        assert response.status_code == 200, response.content
        if fmt == "json":
            return {r["service_request_id"] for r in response.json()}
        root = ElementTree.fromstring(response.content)
        return {r.findtext("service_request_id") for r in root.findall("request")}

    assert ids() == {road.public_id, light.public_id, closed.public_id}
    assert ids(status="open") == {road.public_id, light.public_id}
    assert ids(status="closed") == {closed.public_id}
    assert ids(status="open,closed") == {road.public_id, light.public_id, closed.public_id}
    assert ids(service_code="roads") == {road.public_id}
    assert ids(service_code="roads,lighting", status="open") == {road.public_id, light.public_id}
    wanted = f"{road.public_id},{closed.public_id.replace('-', '').lower()}"
    assert ids(service_request_id=wanted, status="open") == {road.public_id, closed.public_id}


def test_requests_default_to_the_last_90_days_and_refuse_a_longer_span(o311: Open311) -> None:
    recent = submit(o311, days_ago=10)
    old = submit(o311, days_ago=120)

    def ids(**params: Any) -> list[str]:
        response = o311.get("requests.json", jurisdiction_id="xadong.gov.vn", **params)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert ids() == [recent.public_id]
    start = (timezone.now() - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%S+07:00")
    assert ids(start_date=start, end_date=end) == [old.public_id]
    assert ids(start_date=start) == [old.public_id]  # 90 days from the start
    too_long = o311.get(
        "requests.json",
        jurisdiction_id="xadong.gov.vn",
        start_date=start,
        end_date=timezone.now().isoformat(),
    )
    assert too_long.status_code == 400
    assert too_long.json()[0]["description"].startswith("start_date, end_date: ")
    bad = o311.get("requests.json", jurisdiction_id="xadong.gov.vn", start_date="yesterday")
    assert bad.status_code == 400
    assert bad.json()[0]["description"].startswith("start_date: ")


def test_requests_come_in_pages(o311: Open311) -> None:
    made = [submit(o311, days_ago=n + 1) for n in range(5)]  # newest first: made[0]
    first = o311.get("requests.json", jurisdiction_id="xadong.gov.vn", page_size=2).json()
    third = o311.get("requests.json", jurisdiction_id="xadong.gov.vn", page_size=2, page=3).json()
    assert [r["service_request_id"] for r in first] == [made[0].public_id, made[1].public_id]
    assert [r["service_request_id"] for r in third] == [made[4].public_id]
    for bad in ({"page_size": "1001"}, {"page": "0"}, {"page_size": "many"}, {"status": "gone"}):
        response = o311.get("requests.json", jurisdiction_id="xadong.gov.vn", **bad)
        assert response.status_code == 400, bad


def test_requests_of_a_commune_leave_out_its_siblings_reports(o311: Open311) -> None:
    ours = submit(o311)
    submit(o311, where=IN_SIBLING)
    listed = o311.get("requests.json", jurisdiction_id="xadong.gov.vn").json()
    assert [r["service_request_id"] for r in listed] == [ours.public_id]
    province = o311.get("requests.json", jurisdiction_id="tinhthu.gov.vn").json()
    assert len(province) == 2


def test_the_request_list_costs_the_same_few_queries_however_long(
    o311: Open311, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        submit(o311)
    with django_assert_max_num_queries(3):
        assert len(o311.get("requests.json", jurisdiction_id="xadong.gov.vn").json()) == 3
    for _ in range(10):
        submit(o311, code="roads")
    with django_assert_max_num_queries(3):
        assert len(o311.get("requests.xml", jurisdiction_id="xadong.gov.vn").content) > 0


def test_one_request_by_its_id_in_both_formats_and_404_when_unknown(o311: Open311) -> None:
    report = submit(o311, status=Status.IN_PROGRESS)
    (shown,) = o311.get(f"requests/{report.public_id}.json").json()
    assert shown["service_request_id"] == report.public_id
    assert (
        shown["description"] == "Đèn hỏng, gọi 0912 *** ***"
        or "0912 345" not in shown["description"]
    )
    root = ElementTree.fromstring(o311.get(f"requests/{report.public_id}.xml").content)
    assert root.findtext("request/status") == "open"
    missing = o311.get("requests/ZZZZ-ZZZZ.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404
    elsewhere = o311.get(f"requests/{report.public_id}.json", jurisdiction_id="tinhthu.gov.vn")
    assert elsewhere.status_code == 200
    from caunoi.open311.services import jurisdiction_set

    jurisdiction_set(unit=o311.world.sibling, domain="xatay.gov.vn", by=None)
    wrong = o311.get(f"requests/{report.public_id}.json", jurisdiction_id="xatay.gov.vn")
    assert wrong.status_code == 404


def test_a_token_turns_into_the_request_id(o311: Open311) -> None:
    report = submit(o311)
    (found,) = o311.get(f"tokens/{report.public_id}.json").json()
    assert found == {"service_request_id": report.public_id, "token": report.public_id}
    assert o311.get("tokens/nothing.xml").status_code == 404


def test_unknown_addresses_under_the_api_answer_in_its_error_format(o311: Open311) -> None:
    response = o311.get("nothing-here.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
    response = o311.get("services.csv")
    assert response.status_code == 404
    assert ElementTree.fromstring(response.content).tag == "errors"
