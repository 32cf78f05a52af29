"""The handler's screens: the list, one report, its steps, contact details, phone intake, and
the administrator's settings."""

from __future__ import annotations

import pytest

from caunoi.core.models import AuditEntry, RoleName
from caunoi.feedback.models import Category, Report, Source, Status, UnitArea
from tests.conftest import logged_in, make_person
from tests.feedback.conftest import Feedback
from tests.feedback.test_intake import submit

pytestmark = pytest.mark.django_db


def test_a_handler_sees_the_unit_s_reports_in_a_fixed_number_of_queries(
    fb: Feedback, django_assert_max_num_queries: object
) -> None:
    for n in range(10):
        submit(fb, description=f"Đèn số {n} hỏng")
    client = logged_in(fb.handler)
    url = f"/staff/units/{fb.world.commune.pk}/reports/"
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("/staff/reports/") == 10


def test_a_handler_of_another_commune_cannot_open_the_report(fb: Feedback) -> None:
    report = submit(fb)
    assert logged_in(fb.sibling_handler).get(f"/staff/reports/{report.pk}/").status_code == 404
    assert (
        logged_in(fb.sibling_handler)
        .get(f"/staff/units/{fb.world.commune.pk}/reports/")
        .status_code
        == 403
    )


def test_a_handler_acknowledges_then_answers(fb: Feedback) -> None:
    report = submit(fb)
    client = logged_in(fb.handler)
    client.post(f"/staff/reports/{report.pk}/acknowledge/")
    answer = client.post(
        f"/staff/reports/{report.pk}/resolve/",
        {"outcome": "fixed", "answer": "Đã thay bóng đèn.", "note": ""},
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert report.public_answer == "Đã thay bóng đèn."


def test_an_answer_without_text_is_refused_with_a_message(fb: Feedback) -> None:
    report = submit(fb)
    answer = logged_in(fb.handler).post(
        f"/staff/reports/{report.pk}/resolve/", {"outcome": "cannot_fix", "answer": "Không"}
    )
    assert answer.status_code == 400
    assert "lý do" in answer.content.decode()


def test_contact_details_show_only_on_request_and_each_view_is_audited(fb: Feedback) -> None:
    from caunoi.feedback.services import Contact

    report = submit(fb, contact=Contact(phone="0912000111"))
    client = logged_in(fb.handler)
    assert "0912000111" not in client.get(f"/staff/reports/{report.pk}/").content.decode()
    shown = client.post(f"/staff/reports/{report.pk}/contact/")
    assert "0912000111" in shown.content.decode()
    assert AuditEntry.objects.filter(action="caunoi.report.contact_viewed").count() == 1


def test_a_handler_enters_a_phone_call(fb: Feedback) -> None:
    client = logged_in(fb.handler)
    answer = client.post(
        f"/staff/units/{fb.world.commune.pk}/reports/new/",
        {
            "category": "lighting",
            "source": "phone",
            "description": "Ông Tư gọi: đèn cầu treo không sáng.",
            "place_unit": str(fb.world.commune.pk),
            "send_anyway": "on",
        },
    )
    assert answer.status_code == 302
    report = Report.objects.get()
    assert report.source == Source.PHONE
    assert report.created_by == fb.handler
    assert report.unit == fb.world.commune


def test_an_administrator_adds_a_category_a_question_and_an_area(fb: Feedback) -> None:
    admin = make_person("qt.dong", fb.world.commune, RoleName.UNIT_ADMIN)
    client = logged_in(admin)
    url = f"/staff/units/{fb.world.commune.pk}/report-settings/"
    made = client.post(
        url,
        {
            "what": "category",
            "c-code": "rac-thai",
            "c-name": "Rác thải",
            "c-active": "on",
            "c-order": "0",
        },
    )
    assert made.status_code == 302
    category = Category.objects.get(code="rac-thai")
    assert category.unit == fb.world.commune
    client.post(
        f"/staff/report-categories/{category.pk}/",
        {
            "what": "question",
            "q-code": "loai",
            "q-description": "Loại rác?",
            "q-datatype": "singlevaluelist",
            "q-values_text": "sinh-hoat=Rác sinh hoạt\nxay-dung=Phế thải xây dựng",
        },
    )
    assert category.attributes.get().values[1] == {"key": "xay-dung", "name": "Phế thải xây dựng"}
    bad = client.post(url, {"what": "area", "a-geojson": "{not json"})
    assert bad.status_code == 400
    client.post(
        url,
        {
            "what": "area",
            "a-geojson": '{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}',
            "a-handles_reports": "on",
        },
    )
    assert UnitArea.objects.get(unit=fb.world.commune).max_lat == 2
    assert AuditEntry.objects.filter(action="caunoi.unit_area.saved").exists()


def test_a_handler_cannot_change_settings(fb: Feedback) -> None:
    url = f"/staff/units/{fb.world.commune.pk}/report-settings/"
    assert logged_in(fb.handler).get(url).status_code == 403


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        (
            '{"type":"Polygon","coordinates":[[[106,21],[106.1,21],[106.1,21.1]]]}',
            "chưa khép kín",
        ),
        (
            '{"type":"Polygon","coordinates":[[[21,106],[21,106.1],[21.1,106.1],[21,106]]]}',
            "có thể hai số đang bị đảo",
        ),
        ('{"type":"Point","coordinates":[106,21]}', "Polygon hoặc MultiPolygon"),
        ('{"type":"Polygon","coordinates":[[["a","b"]]]}', "Polygon hoặc MultiPolygon"),
    ],
)
def test_a_wrong_area_is_refused_with_what_to_fix_and_the_old_one_kept(
    fb: Feedback, geojson: str, message: str
) -> None:
    admin = make_person("qt.dong", fb.world.commune, RoleName.UNIT_ADMIN)
    before = UnitArea.objects.get(unit=fb.world.commune).geometry
    page = logged_in(admin).post(
        f"/staff/units/{fb.world.commune.pk}/report-settings/",
        {"what": "area", "a-geojson": geojson, "a-handles_reports": "on"},
        follow=True,
    )
    assert message in page.content.decode()
    assert UnitArea.objects.get(unit=fb.world.commune).geometry == before


def test_without_a_tile_server_the_settings_say_how_to_get_the_drawing_map(
    fb: Feedback, settings: object
) -> None:
    admin = make_person("qt.dong", fb.world.commune, RoleName.UNIT_ADMIN)
    url = f"/staff/units/{fb.world.commune.pk}/report-settings/"
    settings.CAUNOI_MAP_TILES = ""  # type: ignore[attr-defined]
    page = logged_in(admin).get(url).content.decode()
    assert 'data-testid="no-map"' in page
    assert "leaflet.draw.js" not in page
    settings.CAUNOI_MAP_TILES = "/tiles/{z}/{x}/{y}.png"  # type: ignore[attr-defined]
    page = logged_in(admin).get(url).content.decode()
    assert 'data-testid="area-map"' in page
    assert "leaflet/draw/leaflet.draw.js" in page
