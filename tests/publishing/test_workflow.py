from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from caunoi.core.models import AuditEntry, RoleName, User
from caunoi.publishing import services
from caunoi.publishing.models import Article, ArticleState, PublishingPolicy
from caunoi.publishing.services import ArticleError
from tests.conftest import World, make_person
from tests.worker import run_worker

S = ArticleState


@pytest.fixture
def editor(world: World) -> User:
    return make_person("editor", world.commune, RoleName.EDITOR)


@pytest.fixture
def approver(world: World) -> User:
    return make_person("approver", world.commune, RoleName.APPROVER)


def _draft(world: World, editor: User, **extra: str) -> Article:
    fields = {"kind": "news", "title": "Lịch tiếp dân tháng 12", "body": "<p>Nội dung</p>"}
    return services.article_create(unit=world.commune, by=editor, **{**fields, **extra})


def _approved(world: World, editor: User, approver: User) -> Article:
    article = services.article_submit(article=_draft(world, editor), by=editor)
    return services.article_approve(article=article, by=approver)


def test_an_article_goes_from_draft_through_review_to_published(
    world: World, editor: User, approver: User
) -> None:
    article = _draft(world, editor)
    services.article_submit(article=article, by=editor)
    services.article_request_changes(article=article, comment="Thêm giờ tiếp dân", by=approver)
    assert article.state == S.CHANGES_REQUESTED
    assert article.review_comment == "Thêm giờ tiếp dân"
    services.article_save(
        article=article,
        title=article.title,
        summary="Từ 7h30",
        body="<p>Sáng thứ Năm</p>",
        by=editor,
    )
    services.article_submit(article=Article.objects.get(pk=article.pk), by=editor)
    article = services.article_approve(article=Article.objects.get(pk=article.pk), by=approver)
    article = services.article_publish(article=article, by=approver)
    assert article.state == S.PUBLISHED
    assert article.published_at is not None
    codes = list(
        AuditEntry.objects.filter(object_id=str(article.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert codes == [
        "caunoi.article.created",
        "caunoi.article.submitted",
        "caunoi.article.changes_requested",
        "caunoi.article.saved",
        "caunoi.article.submitted",
        "caunoi.article.approved",
        "caunoi.article.published",
    ]


def test_the_body_is_sanitized_on_save(world: World, editor: User) -> None:
    article = _draft(
        world,
        editor,
        body='<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:evil()">a</a></p>',
    )
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript" not in article.body
    assert article.body.startswith("<p>Hi")


def test_every_save_keeps_a_revision_and_one_can_be_restored(world: World, editor: User) -> None:
    article = _draft(world, editor)
    services.article_save(
        article=article, title="Tiêu đề mới", summary="", body="<p>v2</p>", by=editor
    )
    assert list(article.revisions.values_list("number", "title")) == [
        (1, "Lịch tiếp dân tháng 12"),
        (2, "Tiêu đề mới"),
    ]
    services.revision_restore(revision=article.revisions.get(number=1), by=editor)
    article.refresh_from_db()
    assert article.title == "Lịch tiếp dân tháng 12"
    assert article.revisions.count() == 3


def test_an_editor_cannot_approve_and_an_author_cannot_approve_their_own(
    world: World, editor: User
) -> None:
    article = services.article_submit(article=_draft(world, editor), by=editor)
    with pytest.raises(PermissionDenied):
        services.article_approve(article=article, by=editor)
    writer_approver = make_person("both", world.commune, RoleName.APPROVER)
    own = services.article_submit(article=_draft(world, writer_approver), by=writer_approver)
    with pytest.raises(ArticleError, match="tự duyệt"):
        services.article_approve(article=own, by=writer_approver)


def test_a_unit_policy_inherited_from_above_may_allow_self_approval(world: World) -> None:
    PublishingPolicy.objects.create(unit=world.province, author_may_approve=True)
    writer_approver = make_person("both", world.village, RoleName.APPROVER)
    article = services.article_create(
        unit=world.village, kind="news", title="Họp thôn", by=writer_approver
    )
    services.article_submit(article=article, by=writer_approver)
    assert services.article_approve(article=article, by=writer_approver).state == S.APPROVED


def test_an_approver_of_an_ancestor_unit_may_approve(world: World, editor: User) -> None:
    upper = make_person("upper", world.province, RoleName.APPROVER)
    article = services.article_submit(article=_draft(world, editor), by=editor)
    assert services.article_approve(article=article, by=upper).state == S.APPROVED
    sideways = make_person("side", world.sibling, RoleName.APPROVER)
    other = services.article_submit(article=_draft(world, editor), by=editor)
    with pytest.raises(PermissionDenied):
        services.article_approve(article=other, by=sideways)


def test_bad_input_says_what_to_fix_and_saves_nothing(world: World, editor: User) -> None:
    with pytest.raises(ArticleError, match="Tiêu đề"):
        services.article_create(unit=world.commune, kind="news", title="   ", by=editor)
    with pytest.raises(ArticleError, match="rumour"):
        services.article_create(unit=world.commune, kind="rumour", title="X", by=editor)
    assert Article.objects.count() == 0


def test_requesting_changes_needs_a_comment(world: World, editor: User, approver: User) -> None:
    article = services.article_submit(article=_draft(world, editor), by=editor)
    with pytest.raises(ArticleError, match="cần sửa gì"):
        services.article_request_changes(article=article, comment=" ", by=approver)
    assert Article.objects.get(pk=article.pk).state == S.IN_REVIEW


def test_steps_out_of_order_are_refused(world: World, editor: User, approver: User) -> None:
    article = _draft(world, editor)
    with pytest.raises(ArticleError, match="Bản nháp"):
        services.article_publish(article=article, by=approver)
    with pytest.raises(ArticleError):
        services.article_approve(article=article, by=approver)


def test_editing_approved_work_sends_it_back_for_review(
    world: World, editor: User, approver: User
) -> None:
    article = _approved(world, editor, approver)
    services.article_save(article=article, title="Đổi tiêu đề", summary="", body="", by=editor)
    article.refresh_from_db()
    assert article.state == S.DRAFT
    assert article.approved_by is None


def test_a_schedule_in_the_past_is_refused(world: World, editor: User, approver: User) -> None:
    article = _approved(world, editor, approver)
    with pytest.raises(ArticleError, match="tương lai"):
        services.article_schedule(
            article=article, at=timezone.now() - timedelta(minutes=5), by=approver
        )
    assert Article.objects.get(pk=article.pk).state == S.APPROVED


@pytest.mark.django_db(transaction=True)
def test_the_worker_publishes_at_the_minute_and_says_how_late(world: World) -> None:
    editor = make_person("editor", world.commune, RoleName.EDITOR)
    approver = make_person("approver", world.commune, RoleName.APPROVER)
    article = _approved(world, editor, approver)
    at = timezone.now() + timedelta(minutes=10)
    services.article_schedule(article=article, at=at, by=approver)
    queued = DBTaskResult.objects.get(task_path="caunoi.publishing.tasks.publish_scheduled")
    assert queued.run_after == at.replace(second=0, microsecond=0)

    run_worker()  # too early: the task waits for its minute
    assert Article.objects.get(pk=article.pk).state == S.SCHEDULED

    # The worker was down at that minute: move the clock of the queued task into the past
    # (as if 15 minutes had passed) and bring the worker back.
    due = at.replace(second=0, microsecond=0)
    Article.objects.filter(pk=article.pk).update(scheduled_for=due - timedelta(minutes=15))
    DBTaskResult.objects.filter(pk=queued.pk).update(
        run_after=due - timedelta(minutes=15),
        args_kwargs={"args": [article.pk, (due - timedelta(minutes=15)).isoformat()], "kwargs": {}},
    )
    run_worker()
    article.refresh_from_db()
    assert article.state == S.PUBLISHED
    assert article.published_late_by is not None
    assert article.published_late_by >= timedelta(minutes=5)


@pytest.mark.django_db(transaction=True)
def test_a_rescheduled_article_is_published_once_at_the_new_time(world: World) -> None:
    editor = make_person("editor", world.commune, RoleName.EDITOR)
    approver = make_person("approver", world.commune, RoleName.APPROVER)
    article = _approved(world, editor, approver)
    first = timezone.now() + timedelta(minutes=10)
    services.article_schedule(article=article, at=first, by=approver)
    services.article_schedule(
        article=Article.objects.get(pk=article.pk), at=first + timedelta(hours=1), by=approver
    )
    scheduled = DBTaskResult.objects.filter(task_path="caunoi.publishing.tasks.publish_scheduled")
    old = scheduled.order_by("enqueued_at").first()
    assert old is not None
    DBTaskResult.objects.filter(pk=old.pk).update(run_after=timezone.now())
    run_worker()  # the first schedule's task runs and must leave the article alone
    assert Article.objects.get(pk=article.pk).state == S.SCHEDULED
