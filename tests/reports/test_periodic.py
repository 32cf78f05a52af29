from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from caunoi.core.models import AuditEntry, RoleName
from caunoi.reports.docx.build_default import DEFAULT
from caunoi.reports.models import DocumentSettings, PeriodicReport, ReportRequest, ReportState
from tests.conftest import World, logged_in, make_person
from tests.reports.conftest import SampleSection

pytestmark = pytest.mark.django_db
Q1 = {"kind": "quarter", "year": "2026", "number": "1"}


@pytest.fixture
def people(world: World) -> dict[str, object]:
    return {
        "reviewer": make_person("duyet.tinh", world.province, RoleName.APPROVER),
        "officer": make_person("bientap.dong", world.commune, RoleName.EDITOR),
        "sibling_officer": make_person("bientap.tay", world.sibling, RoleName.EDITOR),
    }


def _request(world: World, people: dict[str, object], deadline: str = "2026-04-10") -> None:
    client = logged_in(people["reviewer"])  # type: ignore[arg-type]
    response = client.post(
        f"/staff/periodic/unit/{world.province.pk}/requests/new/", {**Q1, "deadline": deadline}
    )
    assert response.status_code == 302, response.content


def _prepare_and_submit(
    world: World, people: dict[str, object], text: str = "Đã làm tốt"
) -> PeriodicReport:
    client = logged_in(people["officer"])  # type: ignore[arg-type]
    response = client.post(f"/staff/periodic/unit/{world.commune.pk}/new/", Q1)
    report = PeriodicReport.objects.get(unit=world.commune)
    assert response["Location"] == f"/staff/periodic/{report.pk}/"
    response = client.post(
        f"/staff/periodic/{report.pk}/",
        {"achievements": text, "limitations": "", "next_tasks": "Tiếp tục", "submit": "1"},
    )
    assert response.status_code == 302, response.content.decode()
    report.refresh_from_db()
    return report


def test_a_submitted_report_keeps_its_figures_while_the_dashboard_moves_on(
    world: World, people: dict[str, object], sample: SampleSection
) -> None:
    sample.add(world.village, date(2026, 2, 1), n=5)
    _request(world, people)
    report = _prepare_and_submit(world, people)
    assert report.state == ReportState.SUBMITTED
    assert report.number == 1
    sample.add(world.village, date(2026, 2, 2), n=100)  # arrives after submission

    reviewer = logged_in(people["reviewer"])  # type: ignore[arg-type]
    frozen = reviewer.get(f"/staff/periodic/{report.pk}/").content.decode()
    assert 'data-key="sample.received" data-value="5"' in frozen
    live = reviewer.get(f"/staff/dashboard/{world.commune.pk}/?kind=quarter&year=2026&number=1")
    assert 'data-key="sample.received" data-value="105"' in live.content.decode()
    api = reviewer.get(f"/api/reports/periodic/{report.pk}").json()
    sample_section = next(s for s in api["data"]["sections"] if s["key"] == "sample")
    assert sample_section["figures"][0]["value"] == 5
    assert "caunoi.periodic_report.submitted" in AuditEntry.objects.values_list("action", flat=True)


def test_a_submitted_report_cannot_be_edited(
    world: World, people: dict[str, object], sample: SampleSection
) -> None:
    report = _prepare_and_submit(world, people)
    client = logged_in(people["officer"])  # type: ignore[arg-type]
    response = client.post(
        f"/staff/periodic/{report.pk}/",
        {"achievements": "Sửa lén", "limitations": "", "next_tasks": ""},
    )
    assert response.status_code == 400
    assert "đã nộp" in response.content.decode()
    report.refresh_from_db()
    assert report.achievements == "Đã làm tốt"


def test_a_report_needs_its_achievements_before_it_is_submitted(
    world: World, people: dict[str, object]
) -> None:
    client = logged_in(people["officer"])  # type: ignore[arg-type]
    client.post(f"/staff/periodic/unit/{world.commune.pk}/new/", Q1)
    report = PeriodicReport.objects.get(unit=world.commune)
    response = client.post(
        f"/staff/periodic/{report.pk}/",
        {"achievements": "", "limitations": "", "next_tasks": "", "submit": "1"},
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_the_upper_level_sees_who_submitted_and_who_is_late(
    world: World, people: dict[str, object], sample: SampleSection
) -> None:
    _request(world, people, deadline="2026-04-10")
    report = _prepare_and_submit(world, people)
    PeriodicReport.objects.filter(pk=report.pk).update(
        submitted_at=timezone.make_aware(timezone.datetime(2026, 4, 8, 9))
    )
    found = ReportRequest.objects.get()
    page = logged_in(people["reviewer"]).get(f"/staff/periodic/requests/{found.pk}/")  # type: ignore[arg-type]
    html = page.content.decode()
    assert "1/2 đơn vị đã nộp" in html
    sibling_row = html[html.index(f'data-unit="{world.sibling.pk}"') :].split("</tr>")[0]
    commune_row = html[html.index(f'data-unit="{world.commune.pk}"') :].split("</tr>")[0]
    assert "Chưa nộp" in sibling_row
    assert "quá hạn" in sibling_row
    assert "quá hạn" not in commune_row


def test_the_upper_level_asks_for_a_revision_and_the_unit_resubmits(
    world: World, people: dict[str, object], sample: SampleSection
) -> None:
    report = _prepare_and_submit(world, people)
    reviewer = logged_in(people["reviewer"])  # type: ignore[arg-type]
    reviewer.post(
        f"/staff/periodic/{report.pk}/comment/",
        {"text": "Bổ sung số liệu tháng 3", "revise": "1"},
    )
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    page = logged_in(people["officer"]).get(f"/staff/periodic/{report.pk}/")  # type: ignore[arg-type]
    assert "Bổ sung số liệu tháng 3" in page.content.decode()
    resubmitted = _prepare_and_submit(world, people, text="Đã bổ sung")
    assert resubmitted.state == ReportState.SUBMITTED
    assert resubmitted.number == 1
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "caunoi.periodic_report.returned" in actions


def test_only_the_level_above_may_send_a_report_back(
    world: World, people: dict[str, object], sample: SampleSection
) -> None:
    report = _prepare_and_submit(world, people)
    own = logged_in(people["officer"])  # type: ignore[arg-type]
    response = own.post(f"/staff/periodic/{report.pk}/comment/", {"text": "tự trả", "revise": "1"})
    assert response.status_code == 403
    other = logged_in(people["sibling_officer"])  # type: ignore[arg-type]
    assert other.get(f"/staff/periodic/{report.pk}/").status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_deadline_before_the_end_of_the_period_is_refused(
    world: World, people: dict[str, object]
) -> None:
    client = logged_in(people["reviewer"])  # type: ignore[arg-type]
    response = client.post(
        f"/staff/periodic/unit/{world.province.pk}/requests/new/",
        {**Q1, "deadline": "2026-02-01"},
        follow=True,
    )
    assert "phải từ ngày cuối kỳ" in response.content.decode()
    assert not ReportRequest.objects.exists()


def _template_without(name: str) -> bytes:
    word = Document(str(DEFAULT))
    for paragraph in word.paragraphs:
        if "{{ " + name + " }}" in paragraph.text:
            for run in paragraph.runs:
                run.text = ""
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def test_a_template_missing_a_placeholder_is_refused_with_its_name(
    world: World, people: dict[str, object]
) -> None:
    client = logged_in(people["officer"])  # type: ignore[arg-type]
    upload = SimpleUploadedFile("mau.docx", _template_without("figures"))
    response = client.post(
        f"/staff/dashboard/{world.commune.pk}/documents/",
        {"symbol": "XD", "place": "Đông", "template": upload},
    )
    assert response.status_code == 400
    assert "{{ figures }}" in response.content.decode()
    assert not DocumentSettings.objects.exists()


def test_a_unit_uploads_its_own_template_and_symbol(
    world: World, people: dict[str, object]
) -> None:
    client = logged_in(people["officer"])  # type: ignore[arg-type]
    word = Document(str(DEFAULT))
    word.add_paragraph("MẪU CỦA ĐẢNG ỦY")
    out = io.BytesIO()
    word.save(out)
    response = client.post(
        f"/staff/dashboard/{world.commune.pk}/documents/",
        {
            "symbol": "ĐU",
            "place": "Đông",
            "template": SimpleUploadedFile("dang.docx", out.getvalue()),
        },
    )
    assert response.status_code == 302
    found = DocumentSettings.objects.get(unit=world.commune)
    assert found.symbol == "ĐU"
    assert found.template
    assert timezone.now() - found.updated_at < timedelta(minutes=1)
