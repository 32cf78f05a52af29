"""Recurring briefings, their exceptions, urgent ones, and invitations with .ics sent to a real
SMTP server (aiosmtpd) and read back with icalendar."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from icalendar import Calendar

from caunoi.core.errors import CaunoiError
from caunoi.core.models import RoleName, User
from caunoi.press import recurrence, services
from caunoi.press.models import Briefing, BriefingSeries, Invitation
from caunoi.press.recurrence import RuleChoice
from caunoi.press.selectors import outlets_for
from tests.conftest import World, make_person
from tests.mail import Inbox, body_of, subject_of
from tests.worker import run_worker

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _calendar_of(message: object) -> Calendar:
    for part in message.walk():  # type: ignore[attr-defined]
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no text/calendar part")


def test_second_thursday_of_the_month_gives_twelve_briefings_a_year(world: World) -> None:
    officer = make_person("officer", world.commune, RoleName.EDITOR)
    rule = recurrence.build_rule(RuleChoice(pattern="monthly", weekday=3, ordinals=(2,)))
    assert rule == "FREQ=MONTHLY;BYDAY=2TH"
    series = services.series_create(
        unit=world.commune,
        by=officer,
        title="Giao ban báo chí định kỳ",
        rule=rule,
        first_day=date(2026, 1, 1),
        at=time(14, 0),
    )
    starts = [b.starts_at.astimezone(ZONE) for b in series.briefings.order_by("starts_at")]
    assert len(starts) == 12
    assert starts[0] == datetime(2026, 1, 8, 14, 0, tzinfo=ZONE)
    assert all(s.weekday() == 3 and 8 <= s.day <= 14 and s.hour == 14 for s in starts)


def test_first_and_third_thursday_and_every_two_weeks_are_understood() -> None:
    both = recurrence.build_rule(RuleChoice(pattern="monthly", weekday=3, ordinals=(1, 3)))
    first = recurrence.occurrences(both, first_day=date(2026, 3, 1), at=time(9, 0))
    assert [d.day for d in first[:2]] == [5, 19]
    fortnight = recurrence.build_rule(RuleChoice(pattern="weekly", weekday=3, interval=2))
    every = recurrence.occurrences(fortnight, first_day=date(2026, 3, 5), at=time(9, 0))
    assert (every[1] - every[0]).days == 14
    assert len(every) == 27
    assert recurrence.describe(both) == "thứ Năm tuần thứ nhất và thứ ba hằng tháng"


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "hai tuần một lần", "FREQ=MONTHLY;BYDAY=9XX"])
def test_a_rule_that_cannot_be_parsed_is_refused_and_nothing_is_saved(
    world: World, rule: str
) -> None:
    officer = make_person("officer", world.commune, RoleName.EDITOR)
    with pytest.raises(CaunoiError, match="Không hiểu quy tắc lặp"):
        services.series_create(
            unit=world.commune,
            by=officer,
            title="Giao ban",
            rule=rule,
            first_day=date(2026, 1, 1),
            at=time(14, 0),
        )
    assert not BriefingSeries.objects.exists()
    assert not Briefing.objects.exists()


def _series_with_invited_outlet(world: World) -> tuple[Briefing, User]:
    officer = make_person("officer", world.commune, RoleName.EDITOR)
    # The province's list serves the commune too.
    provincial = make_person("p", world.province, RoleName.EDITOR)
    paper = services.outlet_create(
        unit=world.province,
        by=provincial,
        name="Báo Lạng Sơn",
        kind="newspaper",
        email="toasoan@baolangson.example",
    )
    services.journalist_add(
        outlet=paper, by=provincial, name="Hà Văn Tin", work_email="tin@baolangson.example"
    )
    services.series_create(
        unit=world.commune,
        by=officer,
        title="Giao ban báo chí",
        rule="FREQ=MONTHLY;BYDAY=2TH;COUNT=3",
        first_day=date(2026, 1, 1),
        at=time(14, 0),
        place="Hội trường UBND xã",
    )
    briefing = Briefing.objects.order_by("starts_at").first()
    assert briefing is not None
    return briefing, officer


@pytest.mark.django_db(transaction=True)
def test_invitation_update_and_cancellation_reach_the_outlet_as_ics(
    world: World, smtp: Inbox
) -> None:
    briefing, officer = _series_with_invited_outlet(world)
    paper = outlets_for(unit=world.commune).get()
    with transaction.atomic():
        services.briefing_invite(briefing=briefing, outlets=[paper], by=officer)
    run_worker()
    (invite,) = smtp.to("toasoan@baolangson.example")
    assert smtp.to("tin@baolangson.example") == [invite]
    assert subject_of(invite) == "Giấy mời giao ban báo chí: Giao ban báo chí"
    assert "trân trọng kính mời" in body_of(invite)
    assert "cordially invites" in body_of(invite)
    cal = _calendar_of(invite)
    assert str(cal["method"]) == "REQUEST"
    (event,) = cal.walk("VEVENT")
    assert str(event["uid"]) == briefing.uid
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart") == datetime(2026, 1, 8, 14, 0, tzinfo=ZONE)
    assert str(event["location"]) == "Hội trường UBND xã"

    with transaction.atomic():
        services.briefing_move(
            briefing=briefing,
            by=officer,
            starts_at=datetime(2026, 1, 9, 8, 0, tzinfo=ZONE),
            ends_at=datetime(2026, 1, 9, 9, 30, tzinfo=ZONE),
            note="Trùng lịch họp HĐND",
        )
    run_worker()
    update = smtp.to("toasoan@baolangson.example")[1]
    (moved,) = _calendar_of(update).walk("VEVENT")
    assert int(moved["sequence"]) == 1
    assert str(moved["uid"]) == briefing.uid
    assert moved.decoded("dtstart") == datetime(2026, 1, 9, 8, 0, tzinfo=ZONE)
    assert "Trùng lịch họp HĐND" in body_of(update)

    with transaction.atomic():
        services.briefing_cancel(briefing=briefing, by=officer, note="Bão")
    run_worker()
    cancel = smtp.to("toasoan@baolangson.example")[2]
    cal = _calendar_of(cancel)
    assert str(cal["method"]) == "CANCEL"
    (gone,) = cal.walk("VEVENT")
    assert int(gone["sequence"]) == 2
    assert str(gone["status"]) == "CANCELLED"
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 3


def test_an_outlet_without_email_stops_the_whole_invitation(world: World) -> None:
    briefing, officer = _series_with_invited_outlet(world)
    radio = services.outlet_create(
        unit=world.commune, by=officer, name="Đài truyền thanh xã", kind="radio"
    )
    both = list(outlets_for(unit=world.commune))
    with pytest.raises(CaunoiError, match="Chưa có e-mail của Đài truyền thanh xã"):
        services.briefing_invite(briefing=briefing, outlets=both, by=officer)
    assert radio.pk in [o.pk for o in both]
    assert not Invitation.objects.exists()


def test_a_sibling_communes_outlet_cannot_be_invited(world: World) -> None:
    briefing, officer = _series_with_invited_outlet(world)
    other = services.outlet_create(
        unit=world.sibling,
        by=make_person("tay", world.sibling, RoleName.EDITOR),
        name="Báo của xã Tây",
        kind="online",
        email="a@b.example",
    )
    with pytest.raises(CaunoiError, match="ngoài danh sách"):
        services.briefing_invite(briefing=briefing, outlets=[other], by=officer)


def test_an_urgent_briefing_that_ends_before_it_starts_is_refused(world: World) -> None:
    officer = make_person("officer", world.commune, RoleName.EDITOR)
    with pytest.raises(CaunoiError, match="kết thúc phải sau"):
        services.briefing_create(
            unit=world.commune,
            by=officer,
            title="Thông tin về sạt lở",
            starts_at=datetime(2026, 7, 1, 15, 0, tzinfo=ZONE),
            ends_at=datetime(2026, 7, 1, 14, 0, tzinfo=ZONE),
        )
    assert not Briefing.objects.exists()
