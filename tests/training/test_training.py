"""Courses, sessions, participants from the unit's staff, attendance, completion per unit with
who is still missing, certificates, and the report section."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from caunoi.core.errors import CaunoiError
from caunoi.core.models import RoleName, User
from caunoi.reports.sections import Period, sections
from caunoi.training import selectors, services
from caunoi.training.certificates import certificate_pdf
from caunoi.training.models import Participant, TrainingSession
from tests.conftest import World, logged_in, make_person

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _staff(world: World) -> dict[str, User]:
    return {
        "admin": make_person("quantri", world.commune, RoleName.UNIT_ADMIN),
        "lan": make_person("Nguyễn Thị Lan", world.commune, RoleName.EDITOR),
        "binh": make_person("Hoàng Văn Bình", world.village, RoleName.EDITOR),
        "cuc": make_person("Lý Thị Cúc", world.commune, RoleName.CASE_HANDLER),
        "tay": make_person("Người xã Tây", world.sibling, RoleName.EDITOR),
    }


def _past_session(world: World, people: dict[str, User]) -> TrainingSession:
    course = services.course_create(
        unit=world.commune,
        by=people["admin"],
        topic="Kỹ năng viết tin trên trang thông tin điện tử",
        required_roles=[RoleName.EDITOR],
    )
    start = timezone.now() - timedelta(days=3)
    return services.session_create(
        course=course,
        by=people["admin"],
        unit=world.commune,
        level="commune",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        place="Hội trường UBND xã",
        trainer="Trung tâm VHTT&TT tỉnh",
    )


def test_completion_counts_who_should_attend_and_shows_who_is_missing(world: World) -> None:
    people = _staff(world)
    session = _past_session(world, people)
    course = session.course
    services.course_targets_add(course=course, people=[people["cuc"]], by=people["admin"])
    services.participants_add(
        session=session, people=[people["lan"], people["cuc"]], by=people["admin"]
    )
    services.attendance_record(
        session=session, by=people["admin"], attended=[people["lan"]], completed=[people["lan"]]
    )
    today = timezone.localdate()
    done = selectors.completion(
        course=course, unit=world.commune, start=today.replace(month=1, day=1), end=today
    )
    first = done.rows[0]
    # Should attend: the two editors (Lan in the commune, Bình in the village) and Cúc by name.
    assert (first.expected, first.completed, first.share) == (3, 1, 33.3)
    village = next(r for r in done.rows if r.unit == world.village)
    assert (village.expected, village.completed) == (1, 0)
    assert sorted(str(p) for p in done.missing) == ["Hoàng Văn Bình", "Lý Thị Cúc"]

    page = logged_in(people["admin"]).get(f"/staff/training/courses/{course.pk}/").content
    text = page.decode()
    assert "33.3%" in text or "33,3%" in text
    assert "Hoàng Văn Bình" in text


def test_attendance_for_someone_outside_the_subtree_is_refused_and_nothing_saved(
    world: World,
) -> None:
    people = _staff(world)
    session = _past_session(world, people)
    services.participants_add(session=session, people=[people["lan"]], by=people["admin"])
    with pytest.raises(CaunoiError, match="Người xã Tây không phải cán bộ của Xã Đông"):
        services.attendance_record(
            session=session,
            by=people["admin"],
            attended=[people["lan"], people["tay"]],
            completed=[people["lan"]],
        )
    row = Participant.objects.get()
    assert (row.attended, row.completed) == (False, False)
    assert Participant.objects.count() == 1
    with pytest.raises(CaunoiError, match="không phải cán bộ"):
        services.participants_add(session=session, people=[people["tay"]], by=people["admin"])


def test_the_attendance_screen_says_who_is_outside(world: World) -> None:
    people = _staff(world)
    session = _past_session(world, people)
    admin = logged_in(people["admin"])
    page = admin.post(
        f"/staff/training/sessions/{session.pk}/attendance/",
        {"attended": [people["lan"].pk, people["tay"].pk]},
        follow=True,
    ).content.decode()
    assert "Người xã Tây không phải cán bộ" in page
    assert not Participant.objects.exists()


def test_a_session_that_ends_before_it_starts_is_refused(world: World) -> None:
    people = _staff(world)
    course = services.course_create(unit=world.commune, by=people["admin"], topic="An toàn")
    start = datetime(2026, 5, 4, 14, 0, tzinfo=ZONE)
    with pytest.raises(CaunoiError, match="kết thúc trước khi bắt đầu"):
        services.session_create(
            course=course,
            by=people["admin"],
            unit=world.commune,
            level="commune",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
        )
    response = logged_in(people["admin"]).post(
        f"/staff/training/courses/{course.pk}/",
        {
            "unit": world.commune.pk,
            "level": "commune",
            "day": "2026-05-04",
            "start": "14:00",
            "end_day": "2026-05-04",
            "end": "08:00",
        },
    )
    assert response.status_code == 400
    assert "Lớp kết thúc trước khi bắt đầu" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_an_editor_cannot_manage_training(world: World) -> None:
    people = _staff(world)
    editor = logged_in(people["lan"])
    assert editor.get(f"/staff/units/{world.commune.pk}/training/").status_code == 403
    with pytest.raises(Exception, match=r"training\.manage"):
        services.course_create(unit=world.commune, by=people["lan"], topic="x")


def test_a_certificate_is_a_pdf_with_the_vietnamese_text(world: World, tmp_path: Path) -> None:
    people = _staff(world)
    session = _past_session(world, people)
    services.attendance_record(
        session=session, by=people["admin"], attended=[], completed=[people["lan"]]
    )
    row = Participant.objects.get()
    data = certificate_pdf(row)
    assert data.startswith(b"%PDF")
    response = logged_in(people["admin"]).get(
        f"/staff/training/participants/{row.pk}/certificate.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext"):
        path = tmp_path / "gcn.pdf"
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        for words in ("GIẤY CHỨNG NHẬN", "Nguyễn Thị Lan", "Độc lập - Tự do - Hạnh phúc"):
            assert words in text


def test_no_certificate_for_someone_who_did_not_complete(world: World) -> None:
    people = _staff(world)
    session = _past_session(world, people)
    services.attendance_record(session=session, by=people["admin"], attended=[people["lan"]])
    row = Participant.objects.get()
    with pytest.raises(CaunoiError):
        certificate_pdf(row)
    page = logged_in(people["admin"]).get(
        f"/staff/training/participants/{row.pk}/certificate.pdf", follow=True
    )
    assert "đã hoàn thành lớp" in page.content.decode()


def test_the_report_section_counts_sessions_people_and_completion(world: World) -> None:
    people = _staff(world)
    session = _past_session(world, people)
    services.attendance_record(
        session=session,
        by=people["admin"],
        attended=[people["lan"], people["binh"]],
        completed=[people["lan"], people["binh"]],
    )
    (training,) = [s for s in sections() if s.key == "training"]
    today = timezone.localdate()
    result = training.build(unit=world.commune, period=Period(today - timedelta(days=30), today))
    values = {f.key: f.value for f in result.figures}
    assert values["sessions_held"] == 1
    assert values["people_trained"] == 2
    assert values["completion_rate"] == 100.0
    # The province also counts the sibling commune's editor, who has not been trained.
    wide = training.build(unit=world.province, period=Period(today - timedelta(days=30), today))
    assert {f.key: f.value for f in wide.figures}["completion_rate"] == 66.7
    before = training.build(
        unit=world.province, period=Period(date(2020, 1, 1), date(2020, 12, 31))
    )
    assert {f.key: f.value for f in before.figures}["completion_rate"] is None


def test_the_session_page_costs_the_same_queries_for_more_participants(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = _staff(world)
    session = _past_session(world, people)
    admin = logged_in(people["admin"])
    url = f"/staff/training/sessions/{session.pk}/"
    services.participants_add(session=session, people=[people["lan"]], by=people["admin"])
    admin.get(url)
    with CaptureQueriesContext(connection) as few:
        admin.get(url)
    more = [make_person(f"cb{n}", world.village, RoleName.EDITOR) for n in range(6)]
    services.participants_add(session=session, people=more, by=people["admin"])
    services.attendance_record(session=session, by=people["admin"], attended=[], completed=more)
    with CaptureQueriesContext(connection) as many:
        assert admin.get(url).content.decode().count('data-testid="certificate"') == 6
    assert len(many) == len(few)
