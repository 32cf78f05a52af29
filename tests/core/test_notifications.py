"""Notifications: a row in the staff screens for each person, and an e-mail sent by the worker
to a real SMTP server (aiosmtpd on localhost) once the change is committed."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client, RequestFactory
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from caunoi.core.models import Notification, RoleName, User
from caunoi.core.notifications import notification_mark_read, notify, unread_for
from caunoi.staff.notifications import unread_count
from tests.conftest import World, logged_in, make_person
from tests.mail import Inbox, body_of, free_port, subject_of
from tests.worker import run_worker


def person(username: str, world: World, language: str = "vi") -> User:
    user = make_person(username, world.commune, RoleName.EDITOR)
    user.email = f"{username}@example.gov.vn"
    user.language = language
    user.save()
    return user


def _approved_title() -> Any:
    return format_lazy(gettext_lazy("Bài “{title}” đã được duyệt"), title="Lịch tiếp dân")


@pytest.mark.django_db(transaction=True)
def test_each_person_gets_an_email_in_their_own_language(world: World, smtp: Inbox) -> None:
    lan = person("lan", world)
    mai = person("mai", world, language="en")
    with transaction.atomic():
        notify(
            recipients=[lan, mai],
            action="caunoi.article.approved",
            unit=world.commune,
            title=_approved_title(),
            body=RoleName.APPROVER.label,
            url="/staff/articles/7/",
        )
    assert smtp.received == []  # nothing is sent inside the request
    run_worker()

    assert sorted(rcpt for rcpt, _message in smtp.received) == [
        ["lan@example.gov.vn"],
        ["mai@example.gov.vn"],
    ]
    (vi,) = smtp.to("lan@example.gov.vn")
    assert subject_of(vi) == "[caunoi] Bài “Lịch tiếp dân” đã được duyệt"
    assert "Xin chào lan," in body_of(vi)
    assert "Duyệt" in body_of(vi)
    assert "Đơn vị: Xã Đông" in body_of(vi)
    assert "https://caunoi.example.gov.vn/staff/articles/7/" in body_of(vi)
    (en,) = smtp.to("mai@example.gov.vn")
    assert subject_of(en) == "[caunoi] Article “Lịch tiếp dân” was approved"
    assert "Hello mai," in body_of(en)
    assert "Approver" in body_of(en)
    assert "https://caunoi.example.gov.vn/staff/articles/7/" in body_of(en)
    # The staff screens show each person the same words as their e-mail.
    assert Notification.objects.get(recipient=mai).title == "Article “Lịch tiếp dân” was approved"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_notifies_nobody(world: World, smtp: Inbox) -> None:
    lan = person("lan", world)

    def change_that_fails() -> None:
        with transaction.atomic():
            notify(recipients=[lan], action="caunoi.test", unit=None, title="Không bao giờ")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    run_worker()
    assert Notification.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert smtp.received == []


@pytest.mark.django_db(transaction=True)
def test_people_without_an_address_or_an_active_account_get_no_email(
    world: World, smtp: Inbox
) -> None:
    no_address = make_person("khong.thu", world.commune, RoleName.EDITOR)
    gone = person("da.nghi", world)
    gone.is_active = False
    gone.save()
    lan = person("lan", world)
    notify(recipients=[no_address, gone, lan, lan], action="caunoi.test", unit=None, title="X")
    run_worker()
    assert [rcpt for rcpt, _message in smtp.received] == [["lan@example.gov.vn"]]
    assert unread_for(no_address).count() == 1  # still told in the staff screens
    assert not Notification.objects.filter(recipient=gone).exists()
    assert Notification.objects.filter(recipient=lan).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_fails_the_task_and_keeps_the_notification(
    world: World, smtp: Inbox, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EMAIL_PORT = free_port()  # nothing listens there
    lan = person("lan", world)
    with transaction.atomic():
        notify(recipients=[lan], action="caunoi.test", unit=None, title="Thư không đi được")
    with caplog.at_level(logging.ERROR, logger="caunoi.core.notifications"):
        run_worker()

    assert unread_for(lan).get().title == "Thư không đi được"
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert "notification e-mails not sent" in caplog.text
    assert Client().get("/healthz").json()["tasks"]["failed_last_24h"] == 1


def test_a_person_marks_only_their_own_notifications_read(world: World) -> None:
    lan = make_person("lan", world.commune, RoleName.EDITOR)
    mai = make_person("mai", world.commune, RoleName.EDITOR)
    (for_mai,) = notify(recipients=[mai], action="caunoi.test", unit=None, title="Của Mai")
    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=for_mai, by=lan)
    notification_mark_read(notification=for_mai, by=mai)
    assert unread_for(mai).count() == 0


def test_the_bell_counts_only_the_person_s_unread_notifications(world: World) -> None:
    lan = make_person("lan", world.commune, RoleName.EDITOR)
    mai = make_person("mai", world.commune, RoleName.EDITOR)
    (first,) = notify(recipients=[lan], action="caunoi.test", unit=None, title="Một")
    notify(recipients=[lan], action="caunoi.test", unit=None, title="Hai")
    notify(recipients=[mai], action="caunoi.test", unit=None, title="Của Mai")
    notification_mark_read(notification=first, by=lan)
    request = RequestFactory().get("/staff/")
    request.user = lan
    assert unread_count(request) == {"unread_notifications": 1}


def test_the_notification_page_lists_only_the_person_s_own(world: World) -> None:
    lan = make_person("lan", world.commune, RoleName.EDITOR)
    mai = make_person("mai", world.commune, RoleName.EDITOR)
    notify(
        recipients=[lan],
        action="caunoi.test",
        unit=world.commune,
        title="Bài của Lan đã được duyệt",
        body="Ý kiến: tốt",
    )
    notify(recipients=[mai], action="caunoi.test", unit=None, title="Bài của Mai cần sửa")
    page = logged_in(lan).get("/staff/notifications/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bài của Lan đã được duyệt" in text
    assert "Ý kiến: tốt" in text
    assert "Bài của Mai cần sửa" not in text


def test_marking_someone_else_s_notification_read_is_not_found(world: World) -> None:
    lan = make_person("lan", world.commune, RoleName.EDITOR)
    mai = make_person("mai", world.commune, RoleName.EDITOR)
    (for_lan,) = notify(recipients=[lan], action="caunoi.test", unit=None, title="Của Lan")
    (for_mai,) = notify(recipients=[mai], action="caunoi.test", unit=None, title="Của Mai")
    client = logged_in(lan)
    assert client.post(f"/staff/notifications/{for_mai.pk}/read/").status_code == 404
    assert client.post(f"/staff/notifications/{for_lan.pk}/read/").status_code == 302
    for_mai.refresh_from_db()
    assert for_mai.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(world: World) -> None:
    lan = make_person("lan", world.commune, RoleName.EDITOR)
    (mine,) = notify(
        recipients=[lan], action="caunoi.test", unit=None, title="X", url="/staff/articles/7/"
    )
    client = logged_in(lan)
    response = client.post(f"/staff/notifications/{mine.pk}/read/", {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/articles/7/"
    assert unread_for(lan).count() == 0


def test_all_can_be_marked_read_at_once(world: World) -> None:
    lan = make_person("lan", world.commune, RoleName.EDITOR)
    mai = make_person("mai", world.commune, RoleName.EDITOR)
    notify(recipients=[lan, mai], action="caunoi.test", unit=None, title="Một")
    notify(recipients=[lan], action="caunoi.test", unit=None, title="Hai")
    response = logged_in(lan).post("/staff/notifications/read/")
    assert response.status_code == 302
    assert unread_for(lan).count() == 0
    assert unread_for(mai).count() == 1


def test_the_notification_page_costs_the_same_queries_however_many_there_are(
    world: World, django_assert_max_num_queries: Any
) -> None:
    lan = make_person("lan", world.commune, RoleName.EDITOR)
    for n in range(40):
        notify(recipients=[lan], action="caunoi.test", unit=world.village, title=f"Tin {n}")
    client = logged_in(lan)
    with django_assert_max_num_queries(10):
        page = client.get("/staff/notifications/")
    assert len(page.context["page"]) == 30
