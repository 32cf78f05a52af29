"""The press screens staff use, the public press page and calendar feed, and press releases
sent to their outlets when published."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from caunoi.core.models import RoleName
from caunoi.press import releasing, services
from caunoi.press.models import Briefing, BriefingSeries, CoverageItem, Outlet, ReleaseOutlet
from caunoi.publishing import services as publishing
from caunoi.publishing.models import Article, ArticleKind
from tests.conftest import World, logged_in, make_person
from tests.mail import Inbox, body_of, subject_of
from tests.worker import run_worker

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _publish(article: Article, world: World) -> None:
    approver = make_person(f"approver{article.pk}", world.province, RoleName.APPROVER)
    publishing.article_submit(article=article, by=article.author)
    publishing.article_approve(article=article, by=approver)
    publishing.article_publish(article=article, by=approver)


def _series_post(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Giao ban báo chí định kỳ",
        "pattern": "monthly",
        "weekday": "3",
        "ordinals": ["2"],
        "interval": "2",
        "first_day": "2026-01-01",
        "at": "14:00",
        "minutes": "90",
        "place": "Hội trường",
        "ends": "year",
    }
    data.update(changes)
    return data


def test_staff_schedule_the_second_thursday_and_see_it_on_the_calendar(world: World) -> None:
    officer = logged_in(make_person("officer", world.commune, RoleName.EDITOR))
    response = officer.post(f"/staff/units/{world.commune.pk}/press/briefings/new/", _series_post())
    assert response.status_code == 302
    assert Briefing.objects.count() == 12
    page = officer.get(response["Location"]).content.decode()
    assert "Tháng 01/2026" in page
    assert "14:00 Giao ban báo chí định kỳ" in page
    january = Briefing.objects.order_by("starts_at").first()
    assert january is not None
    assert f"/staff/press/briefings/{january.pk}/" in page


def test_a_rule_that_cannot_be_parsed_is_a_form_message(world: World) -> None:
    officer = logged_in(make_person("officer", world.commune, RoleName.EDITOR))
    response = officer.post(
        f"/staff/units/{world.commune.pk}/press/briefings/new/",
        _series_post(pattern="custom", custom="mỗi khi có việc"),
    )
    assert response.status_code == 400
    assert "Không hiểu quy tắc lặp" in response.content.decode()
    assert not BriefingSeries.objects.exists()


def test_an_urgent_briefing_ending_before_it_starts_is_a_form_message(world: World) -> None:
    officer = logged_in(make_person("officer", world.commune, RoleName.EDITOR))
    response = officer.post(
        f"/staff/units/{world.commune.pk}/press/briefings/urgent/",
        {"title": "Sạt lở", "day": "2026-07-01", "start": "15:00", "end": "14:00"},
    )
    assert response.status_code == 400
    assert "Giờ kết thúc phải sau giờ bắt đầu" in response.content.decode()
    assert not Briefing.objects.exists()


def test_a_viewer_cannot_schedule_briefings(world: World) -> None:
    viewer = logged_in(make_person("viewer", world.commune, RoleName.VIEWER))
    response = viewer.post(f"/staff/units/{world.commune.pk}/press/briefings/new/", _series_post())
    assert response.status_code == 403
    assert not Briefing.objects.exists()


def test_inviting_an_outlet_with_no_email_shows_what_to_fix(world: World) -> None:
    user = make_person("officer", world.commune, RoleName.EDITOR)
    officer = logged_in(user)
    radio = services.outlet_create(unit=world.commune, by=user, name="Đài xã", kind="radio")
    briefing = services.briefing_create(
        unit=world.commune,
        by=user,
        title="Thông tin về bão",
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1),
    )
    page = officer.post(
        f"/staff/press/briefings/{briefing.pk}/invite/", {"outlet": [radio.pk]}, follow=True
    ).content.decode()
    assert "Chưa có e-mail của Đài xã" in page
    assert not briefing.invitations.exists()


def test_attendance_is_recorded_per_outlet(world: World) -> None:
    user = make_person("officer", world.commune, RoleName.EDITOR)
    officer = logged_in(user)
    paper = services.outlet_create(
        unit=world.province,
        by=make_person("p", world.province, RoleName.EDITOR),
        name="Báo tỉnh",
        kind="newspaper",
    )
    briefing = services.briefing_create(
        unit=world.commune,
        by=user,
        title="Giao ban",
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    officer.post(f"/staff/press/briefings/{briefing.pk}/attendance/", {f"outlet-{paper.pk}": "2"})
    assert dict(briefing.attendance.values_list("outlet__name", "people")) == {"Báo tỉnh": 2}


def test_the_calendar_page_costs_the_same_queries_for_many_briefings(world: World) -> None:
    user = make_person("officer", world.commune, RoleName.EDITOR)
    officer = logged_in(user)
    url = f"/staff/units/{world.commune.pk}/press/?month=2026-01"
    services.series_create(
        unit=world.commune,
        by=user,
        title="A",
        rule="FREQ=WEEKLY;BYDAY=TH",
        first_day=date(2026, 1, 1),
        at=time(9, 0),
    )
    officer.get(url)
    with CaptureQueriesContext(connection) as few:
        officer.get(url)
    services.series_create(
        unit=world.commune,
        by=user,
        title="B",
        rule="FREQ=DAILY;COUNT=31",
        first_day=date(2026, 1, 1),
        at=time(15, 0),
    )
    with CaptureQueriesContext(connection) as many:
        assert "15:00 B" in officer.get(url).content.decode()
    assert len(many) == len(few)


def test_the_public_press_page_shows_releases_and_briefings_never_contacts(world: World) -> None:
    user = make_person("officer", world.commune, RoleName.APPROVER)
    paper = services.outlet_create(
        unit=world.commune, by=user, name="Báo tỉnh", kind="newspaper", email="ts@bao.example"
    )
    services.journalist_add(outlet=paper, by=user, name="Lò Văn Phóng", work_email="pv@bao.example")
    services.briefing_create(
        unit=world.commune,
        by=user,
        title="Giao ban tháng",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
        place="Hội trường xã",
    )
    release = publishing.article_create(
        unit=world.commune, by=user, kind=ArticleKind.PRESS_RELEASE, title="Thông cáo về lễ hội"
    )
    _publish(release, world)
    page = Client().get("/u/tinh-thu/xa-dong/bao-chi/")
    text = page.content.decode()
    assert "Giao ban tháng" in text
    assert "Thông cáo về lễ hội" in text
    assert "pv@bao.example" not in text
    assert "Lò Văn Phóng" not in text
    feed = Client().get("/u/tinh-thu/xa-dong/giao-ban.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["summary"]) == "Giao ban tháng"
    assert str(event["location"]) == "Hội trường xã"


@pytest.mark.django_db(transaction=True)
def test_publishing_a_release_sends_it_to_the_chosen_outlets(world: World, smtp: Inbox) -> None:
    user = make_person("officer", world.commune, RoleName.APPROVER)
    paper = services.outlet_create(
        unit=world.commune, by=user, name="Báo tỉnh", kind="newspaper", email="ts@bao.example"
    )
    services.outlet_create(
        unit=world.commune, by=user, name="Đài tỉnh", kind="tv", email="dai@tv.example"
    )
    release = publishing.article_create(
        unit=world.commune,
        by=user,
        kind=ArticleKind.PRESS_RELEASE,
        title="Thông cáo về lễ hội",
        summary="Lễ hội diễn ra ngày 10/2.",
    )
    officer = logged_in(user)
    officer.post(f"/staff/press/releases/{release.pk}/", {"outlet": [paper.pk]})
    assert list(ReleaseOutlet.objects.values_list("outlet__name", flat=True)) == ["Báo tỉnh"]
    run_worker()
    assert smtp.received == []  # not published yet
    with transaction.atomic():
        _publish(release, world)
    run_worker()
    (sent,) = smtp.to("ts@bao.example")
    assert smtp.to("dai@tv.example") == []
    assert subject_of(sent) == "Thông cáo báo chí: Thông cáo về lễ hội"
    assert "Lễ hội diễn ra ngày 10/2." in body_of(sent)
    assert "/u/tinh-thu/xa-dong/bai/" in body_of(sent)
    assert ReleaseOutlet.objects.get().sent_at is not None
    run_worker()
    assert len(smtp.received) == 1  # sent once


def test_coverage_is_logged_and_counted_for_the_period(world: World) -> None:
    user = make_person("officer", world.commune, RoleName.EDITOR)
    paper = services.outlet_create(unit=world.commune, by=user, name="Báo tỉnh", kind="online")
    officer = logged_in(user)
    url = f"/staff/units/{world.commune.pk}/press/coverage/"
    response = officer.post(
        url,
        {
            "outlet": paper.pk,
            "title": "Xã Đông khai mạc lễ hội",
            "url": "https://bao.example/le-hoi",
            "published_on": "2026-02-11",
        },
    )
    assert response.status_code == 302
    assert CoverageItem.objects.count() == 1
    page = officer.get(url + "?from=2026-01-01&to=2026-03-31").content.decode()
    assert "Xã Đông khai mạc lễ hội" in page
    outside = officer.get(url + "?from=2026-04-01&to=2026-06-30").content.decode()
    assert "Xã Đông khai mạc lễ hội" not in outside


def test_the_report_section_counts_briefings_attendance_and_coverage(world: World) -> None:
    from caunoi.reports.sections import Period, sections

    user = make_person("officer", world.commune, RoleName.EDITOR)
    paper = services.outlet_create(unit=world.commune, by=user, name="Báo tỉnh", kind="online")
    held = services.briefing_create(
        unit=world.commune,
        by=user,
        title="Giao ban",
        starts_at=datetime(2026, 3, 12, 14, 0, tzinfo=ZONE),
        ends_at=datetime(2026, 3, 12, 15, 0, tzinfo=ZONE),
    )
    services.attendance_set(briefing=held, by=user, present={paper.pk: 3})
    releasing.coverage_add(
        unit=world.commune,
        by=user,
        outlet=paper,
        title="Bài",
        url="https://b.example/1",
        published_on=date(2026, 3, 13),
        briefing=held,
    )
    (press,) = [s for s in sections() if s.key == "press"]
    result = press.build(unit=world.province, period=Period.quarter(2026, 1))
    values = {f.key: f.value for f in result.figures}
    assert values["briefings_held"] == 1
    assert values["outlets_attending"] == 1
    assert values["people_attending"] == 3
    assert values["coverage_items"] == 1
    assert Outlet.objects.count() == 1
    empty = press.build(unit=world.sibling, period=Period.quarter(2026, 1))
    assert {f.key: f.value for f in empty.figures}["briefings_held"] == 0
