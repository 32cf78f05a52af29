"""Every editorial step tells the people concerned, by e-mail and in the staff screens, and
never the person who took it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from caunoi.core.models import Notification, RoleName, User
from caunoi.publishing import services
from caunoi.publishing.models import Article, ArticleState, PublishingPolicy
from tests.conftest import World, make_person
from tests.mail import Inbox, body_of, free_port, subject_of
from tests.worker import run_worker

LINK = "https://caunoi.example.gov.vn/staff/articles/{}/"


def staff(username: str, unit: Any, role: str, language: str = "vi") -> User:
    person = make_person(username, unit, role)
    person.email = f"{username}@example.gov.vn"
    person.language = language
    person.save()
    return person


def _draft(world: World, author: User) -> Article:
    return services.article_create(
        unit=world.commune, kind="news", title="Lịch tiếp dân tháng 12", by=author
    )


def _in_review(world: World, author: User) -> Article:
    return services.article_submit(article=_draft(world, author), by=author)


def recipients(smtp: Inbox) -> list[str]:
    return sorted(address for rcpt, _message in smtp.received for address in rcpt)


@pytest.mark.django_db(transaction=True)
def test_submitting_tells_every_approver_of_the_unit_or_above_except_the_submitter(
    world: World, smtp: Inbox
) -> None:
    here = staff("duyet.xa", world.commune, RoleName.APPROVER)
    above = staff("duyet.tinh", world.province, RoleName.APPROVER, language="en")
    staff("duyet.xa.ben", world.sibling, RoleName.APPROVER)  # approves another commune
    staff("duyet.thon", world.village, RoleName.APPROVER)  # below: cannot approve here
    staff("bien.tap", world.commune, RoleName.EDITOR)  # cannot approve
    author = staff("tac.gia", world.commune, RoleName.APPROVER)

    article = _in_review(world, author)
    run_worker()

    assert recipients(smtp) == ["duyet.tinh@example.gov.vn", "duyet.xa@example.gov.vn"]
    (vi,) = smtp.to(here.email)
    assert subject_of(vi) == "[caunoi] Có bài chờ duyệt: “Lịch tiếp dân tháng 12”"
    assert "tac.gia gửi bài “Lịch tiếp dân tháng 12” để duyệt." in body_of(vi)
    assert LINK.format(article.pk) in body_of(vi)
    (en,) = smtp.to(above.email)
    assert subject_of(en) == "[caunoi] Article awaiting approval: “Lịch tiếp dân tháng 12”"
    assert LINK.format(article.pk) in body_of(en)
    assert not Notification.objects.filter(recipient=author).exists()
    assert set(Notification.objects.values_list("url", flat=True)) == {
        f"/staff/articles/{article.pk}/"
    }


@pytest.mark.django_db(transaction=True)
def test_a_request_for_changes_sends_the_comment_to_the_author(world: World, smtp: Inbox) -> None:
    author = staff("tac.gia", world.commune, RoleName.EDITOR, language="en")
    approver = staff("duyet", world.commune, RoleName.APPROVER)
    article = _in_review(world, author)
    run_worker()
    smtp.received.clear()

    services.article_request_changes(
        article=article, comment="Thêm giờ tiếp dân buổi chiều", by=approver
    )
    run_worker()

    assert recipients(smtp) == ["tac.gia@example.gov.vn"]
    (message,) = smtp.to(author.email)
    assert subject_of(message) == "[caunoi] Article “Lịch tiếp dân tháng 12” needs changes"
    assert "duyet asks for changes before approving" in body_of(message)
    assert "Thêm giờ tiếp dân buổi chiều" in body_of(message)
    assert LINK.format(article.pk) in body_of(message)
    mine = Notification.objects.get(recipient=author)
    assert mine.action == "caunoi.article.changes_requested"
    assert "Thêm giờ tiếp dân buổi chiều" in mine.body


@pytest.mark.django_db(transaction=True)
def test_an_approval_tells_the_author_with_the_approver_s_comment(
    world: World, smtp: Inbox
) -> None:
    author = staff("tac.gia", world.commune, RoleName.EDITOR)
    approver = staff("duyet", world.commune, RoleName.APPROVER)
    article = _in_review(world, author)
    run_worker()
    smtp.received.clear()

    services.article_approve(article=article, by=approver, comment="Được, đăng sáng mai.")
    run_worker()

    (message,) = smtp.to(author.email)
    assert subject_of(message) == "[caunoi] Bài “Lịch tiếp dân tháng 12” đã được duyệt"
    assert "duyet đã duyệt bài, kèm ý kiến:" in body_of(message)
    assert "Được, đăng sáng mai." in body_of(message)
    assert recipients(smtp) == ["tac.gia@example.gov.vn"]


@pytest.mark.django_db(transaction=True)
def test_scheduling_publishing_and_unpublishing_each_tell_the_author(
    world: World, smtp: Inbox
) -> None:
    author = staff("tac.gia", world.commune, RoleName.EDITOR)
    approver = staff("duyet", world.commune, RoleName.APPROVER)
    article = services.article_approve(article=_in_review(world, author), by=approver)
    services.article_schedule(article=article, at=timezone.now() + timedelta(hours=2), by=approver)
    article = services.article_publish(article=article, by=approver)
    services.article_unpublish(article=article, by=approver)
    run_worker()

    subjects = [subject_of(message) for message in smtp.to(author.email)]
    assert subjects == [
        "[caunoi] Bài “Lịch tiếp dân tháng 12” đã được duyệt",
        "[caunoi] Bài “Lịch tiếp dân tháng 12” đã được hẹn giờ đăng",
        "[caunoi] Bài “Lịch tiếp dân tháng 12” đã được đăng",
        "[caunoi] Bài “Lịch tiếp dân tháng 12” đã bị gỡ",
    ]
    # The approver only acted after submission, so the only mail for them is that one.
    assert [subject_of(m) for m in smtp.to(approver.email)] == [
        "[caunoi] Có bài chờ duyệt: “Lịch tiếp dân tháng 12”"
    ]


@pytest.mark.django_db(transaction=True)
def test_nobody_is_told_about_what_they_did_themselves(world: World, smtp: Inbox) -> None:
    PublishingPolicy.objects.create(unit=world.commune, author_may_approve=True)
    both = staff("tu.duyet", world.commune, RoleName.APPROVER)
    article = _in_review(world, both)
    services.article_approve(article=article, by=both, comment="Tự duyệt")
    article = services.article_publish(article=article, by=both)
    services.article_unpublish(article=article, by=both)
    run_worker()
    assert smtp.received == []
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_does_not_undo_the_approval(
    world: World, smtp: Inbox, settings: Any
) -> None:
    author = staff("tac.gia", world.commune, RoleName.EDITOR)
    approver = make_person("duyet", world.commune, RoleName.APPROVER)  # no e-mail address
    article = _in_review(world, author)
    settings.EMAIL_PORT = free_port()  # nothing listens there

    services.article_approve(article=article, by=approver, comment="Đạt")
    run_worker()

    assert Article.objects.get(pk=article.pk).state == ArticleState.APPROVED
    assert Notification.objects.get(recipient=author).action == "caunoi.article.approved"
    mail = DBTaskResult.objects.exclude(task_path__startswith="caunoi.publishing.tasks.prerender")
    assert mail.get().status == TaskResultStatus.FAILED
    assert smtp.received == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_publishing_on_schedule_tells_the_author(world: World, smtp: Inbox) -> None:
    author = staff("tac.gia", world.commune, RoleName.EDITOR)
    approver = make_person("duyet", world.commune, RoleName.APPROVER)
    article = services.article_approve(article=_in_review(world, author), by=approver)
    at = (timezone.now() + timedelta(minutes=10)).replace(second=0, microsecond=0)
    services.article_schedule(article=article, at=at, by=approver)
    run_worker()
    smtp.received.clear()

    # The minute has come: move the schedule and its queued task to now.
    now = timezone.now().replace(second=0, microsecond=0)
    Article.objects.filter(pk=article.pk).update(scheduled_for=now)
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=now, args_kwargs={"args": [article.pk, now.isoformat()], "kwargs": {}}
    )
    run_worker()

    (message,) = smtp.to(author.email)
    assert subject_of(message) == "[caunoi] Bài “Lịch tiếp dân tháng 12” đã được đăng"
    assert "Bài được đăng tự động" in body_of(message)
