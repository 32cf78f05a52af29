"""The editorial workflow: draft → in review → changes requested / approved → scheduled →
published → unpublished or archived. Each step is atomic, permission-checked and audited, and
tells the people concerned (never the one who acted) in the staff screens and by e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.notifications import notify
from caunoi.core.permissions import Action, require, roles_granting
from caunoi.core.tasks import enqueue_on_commit
from caunoi.press.releasing import release_published
from caunoi.publishing import html, pagecache
from caunoi.publishing.models import (
    Article,
    ArticleKind,
    ArticleState,
    PublishingPolicy,
    Revision,
    Topic,
)

S = ArticleState
# The states each step may start from. The services enforce it; the staff screens show only
# the buttons it allows.
STARTS_FROM: dict[str, frozenset[str]] = {
    "edit": frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.APPROVED, S.SCHEDULED}),
    "submit": frozenset({S.DRAFT, S.CHANGES_REQUESTED}),
    "review": frozenset({S.IN_REVIEW}),
    "publish": frozenset({S.APPROVED, S.SCHEDULED, S.UNPUBLISHED}),
    "schedule": frozenset({S.APPROVED, S.SCHEDULED}),
    "unpublish": frozenset({S.PUBLISHED}),
    "archive": frozenset(set(S.values) - {S.ARCHIVED}),
}


class ArticleError(CaunoiError):
    pass


def _require_state(article: Article, step: str, doing: str) -> None:
    if article.state not in STARTS_FROM[step]:
        raise ArticleError(
            _("Không thể %(doing)s: bài đang ở trạng thái “%(state)s”.")
            % {"doing": doing, "state": article.get_state_display()}
        )


def _validated(*, kind: str, title: str) -> str:
    if kind not in ArticleKind.values:
        raise ArticleError(
            _("Loại tin “%(kind)s” không hợp lệ; dùng một trong: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(ArticleKind.values)}
        )
    title = " ".join(title.split())
    if not title:
        raise ArticleError(_("Tiêu đề không được để trống."))
    return title


def _save_revision(article: Article, by: User) -> Revision:
    last = article.revisions.aggregate(n=Max("number"))["n"] or 0
    return Revision.objects.create(
        article=article,
        number=last + 1,
        title=article.title,
        summary=article.summary,
        body=article.body,
        saved_by=by,
    )


def article_staff_path(article: Article) -> str:
    return f"/staff/articles/{article.pk}/"


def _approvers(article: Article) -> list[User]:
    """Everyone whose role lets them approve this article: on its unit or any unit above."""
    units = [article.unit, *Unit.objects.get_ancestors(article.unit)]
    return list(
        User.objects.filter(
            roles__unit__in=units, roles__name__in=roles_granting(Action.ARTICLE_APPROVE)
        )
        .distinct()
        .order_by("pk")
    )


def _tell(
    article: Article,
    people: list[User],
    action: str,
    by: User | None,
    title: Promise,
    body: Promise | str = "",
) -> None:
    notify(
        recipients=[person for person in people if by is None or person.pk != by.pk],
        action=action,
        unit=article.unit,
        title=title,
        body=body,
        url=article_staff_path(article),
    )


def _transition(
    article: Article, to: str, action: str, by: User | None, **changes: object
) -> Article:
    before = article.state
    article.state = to
    article.save()
    audit.record(
        action,
        actor=by,
        unit=article.unit,
        obj=article,
        changes={"state": [before, to], **{k: [None, v] for k, v in changes.items()}},
    )
    return article


@transaction.atomic
def article_create(
    *,
    unit: Unit,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    topics: Iterable[Topic | int] = (),
    by: User,
) -> Article:
    from caunoi.publishing.sharing import checked_topics

    require(by, Action.ARTICLE_WRITE, unit)
    chosen = checked_topics(unit, topics)
    article = Article.objects.create(
        unit=unit,
        kind=kind,
        title=_validated(kind=kind, title=title),
        summary=summary.strip(),
        body=html.clean(body),
        author=by,
    )
    article.topics.set(chosen)
    _save_revision(article, by)
    audit.record(
        "caunoi.article.created",
        actor=by,
        unit=unit,
        obj=article,
        changes={
            "title": [None, article.title],
            "kind": [None, kind],
            **({"topics": [None, [t.name for t in chosen]]} if chosen else {}),
        },
    )
    return article


@transaction.atomic
def article_save(
    *,
    article: Article,
    title: str,
    summary: str,
    body: str,
    topics: Iterable[Topic | int] | None = None,
    by: User,
) -> Article:
    """Save an edit as a new revision. Editing approved work sends it back to draft.
    `topics` None leaves the topics as they are."""
    from caunoi.publishing.sharing import checked_topics

    require(by, Action.ARTICLE_WRITE, article.unit)
    article = Article.objects.select_for_update().get(pk=article.pk)
    _require_state(article, "edit", _("sửa bài"))
    before = {"title": article.title, "summary": article.summary, "body": article.body}
    article.title = _validated(kind=article.kind, title=title)
    article.summary, article.body = summary.strip(), html.clean(body)
    changes = audit.diff(
        before, {"title": article.title, "summary": article.summary, "body": article.body}
    )
    if topics is not None:
        old = sorted(article.topics.values_list("name", flat=True))
        chosen = checked_topics(article.unit, topics)
        if sorted(t.name for t in chosen) != old:
            article.topics.set(chosen)
            changes["topics"] = [old, sorted(t.name for t in chosen)]
    if not changes:
        return article
    if article.state in {S.APPROVED, S.SCHEDULED}:
        article.state, article.scheduled_for, article.approved_by = S.DRAFT, None, None
    article.save()
    revision = _save_revision(article, by)
    if "body" in changes:  # bodies are long; the revision keeps them
        changes["body"] = [f"#{revision.number - 1}", f"#{revision.number}"]
    audit.record("caunoi.article.saved", actor=by, unit=article.unit, obj=article, changes=changes)
    return article


@transaction.atomic
def article_submit(*, article: Article, by: User) -> Article:
    require(by, Action.ARTICLE_WRITE, article.unit)
    _require_state(article, "submit", _("gửi duyệt"))
    _transition(article, S.IN_REVIEW, "caunoi.article.submitted", by)
    _tell(
        article,
        _approvers(article),
        "caunoi.article.submitted",
        by,
        format_lazy(gettext_lazy("Có bài chờ duyệt: “{title}”"), title=article.title),
        format_lazy(
            gettext_lazy("{person} gửi bài “{title}” để duyệt."), person=by, title=article.title
        ),
    )
    return article


def author_may_approve(unit: Unit) -> bool:
    """The unit's own policy, else its nearest ancestor's; by default an author may not."""
    nearest_first = [unit, *reversed(list(Unit.objects.get_ancestors(unit)))]
    policies = {
        p.unit_id: p.author_may_approve
        for p in PublishingPolicy.objects.filter(unit__in=nearest_first)
    }
    for candidate in nearest_first:
        if candidate.pk in policies:
            return policies[candidate.pk]
    return False


def _check_reviewer(article: Article, by: User) -> None:
    require(by, Action.ARTICLE_APPROVE, article.unit)
    _require_state(article, "review", _("duyệt"))
    if by.pk == article.author_id and not author_may_approve(article.unit):
        raise ArticleError(
            _("Người viết không tự duyệt bài của mình ở đơn vị này; hãy nhờ người duyệt khác.")
        )


@transaction.atomic
def article_request_changes(*, article: Article, comment: str, by: User) -> Article:
    _check_reviewer(article, by)
    comment = comment.strip()
    if not comment:
        raise ArticleError(_("Hãy ghi rõ cần sửa gì để người viết biết."))
    article.review_comment = comment
    _transition(
        article, S.CHANGES_REQUESTED, "caunoi.article.changes_requested", by, comment=comment
    )
    _tell(
        article,
        [article.author],
        "caunoi.article.changes_requested",
        by,
        format_lazy(gettext_lazy("Bài “{title}” cần sửa"), title=article.title),
        format_lazy(
            gettext_lazy("{person} đề nghị sửa bài trước khi duyệt:\n\n{comment}"),
            person=by,
            comment=comment,
        ),
    )
    return article


@transaction.atomic
def article_approve(*, article: Article, by: User, comment: str = "") -> Article:
    _check_reviewer(article, by)
    article.review_comment = comment.strip()
    article.approved_by = by
    _transition(article, S.APPROVED, "caunoi.article.approved", by)
    if article.review_comment:
        body = format_lazy(
            gettext_lazy("{person} đã duyệt bài, kèm ý kiến:\n\n{comment}"),
            person=by,
            comment=article.review_comment,
        )
    else:
        body = format_lazy(gettext_lazy("{person} đã duyệt bài."), person=by)
    _tell(
        article,
        [article.author],
        "caunoi.article.approved",
        by,
        format_lazy(gettext_lazy("Bài “{title}” đã được duyệt"), title=article.title),
        body,
    )
    return article


def _publish(article: Article, by: User | None, *, late_by: timedelta | None = None) -> Article:
    from caunoi.channels.deliveries import deliveries_on_publish

    article.published_at = timezone.now()
    article.published_late_by = late_by
    _transition(article, S.PUBLISHED, "caunoi.article.published", by)
    release_published(article)  # a press release goes to its outlets once this commits
    pagecache.article_changed(article)
    deliveries_on_publish(article)  # after commit: one delivery per active channel
    if by is not None:
        body = format_lazy(gettext_lazy("{person} đã đăng bài."), person=by)
    elif late_by is not None:
        body = format_lazy(
            gettext_lazy("Bài được đăng tự động, muộn {minutes} phút so với giờ đã hẹn."),
            minutes=int(late_by.total_seconds() // 60),
        )
    else:
        body = gettext_lazy("Bài được đăng tự động đúng giờ đã hẹn.")
    _tell(
        article,
        [article.author],
        "caunoi.article.published",
        by,
        format_lazy(gettext_lazy("Bài “{title}” đã được đăng"), title=article.title),
        body,
    )
    return article


@transaction.atomic
def article_publish(*, article: Article, by: User) -> Article:
    require(by, Action.ARTICLE_APPROVE, article.unit)
    article = Article.objects.select_for_update().get(pk=article.pk)
    _require_state(article, "publish", _("đăng"))
    article.scheduled_for = None
    return _publish(article, by)


@transaction.atomic
def article_schedule(*, article: Article, at: datetime, by: User) -> Article:
    """Publish at a given minute through the task worker (no cron)."""
    require(by, Action.ARTICLE_APPROVE, article.unit)
    article = Article.objects.select_for_update().get(pk=article.pk)
    _require_state(article, "schedule", _("hẹn giờ đăng"))
    at = at.replace(second=0, microsecond=0)
    if at <= timezone.now():
        raise ArticleError(_("Giờ đăng phải ở tương lai; chọn một thời điểm sau bây giờ."))
    article.scheduled_for = at
    _transition(article, S.SCHEDULED, "caunoi.article.scheduled", by, at=at.isoformat())
    local = timezone.localtime(at)
    _tell(
        article,
        [article.author],
        "caunoi.article.scheduled",
        by,
        format_lazy(gettext_lazy("Bài “{title}” đã được hẹn giờ đăng"), title=article.title),
        format_lazy(
            gettext_lazy("{person} hẹn đăng bài lúc {time} ngày {date}."),
            person=by,
            time=local.strftime("%H:%M"),
            date=local.strftime("%d/%m/%Y"),
        ),
    )
    from caunoi.publishing.tasks import publish_scheduled

    enqueue_on_commit(publish_scheduled.using(run_after=at), article.pk, at.isoformat())
    return article


@transaction.atomic
def publish_if_due(*, article_id: int, due: datetime) -> Article | None:
    """The worker's side of scheduling. Publishes once, however late; a schedule that was
    changed or cancelled since this task was queued leaves the article alone."""
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None or article.state != S.SCHEDULED or article.scheduled_for != due:
        return None
    late = timezone.now() - due
    return _publish(article, None, late_by=late if late.total_seconds() >= 60 else None)


@transaction.atomic
def article_unpublish(*, article: Article, by: User) -> Article:
    require(by, Action.ARTICLE_APPROVE, article.unit)
    _require_state(article, "unpublish", _("gỡ bài"))
    _transition(article, S.UNPUBLISHED, "caunoi.article.unpublished", by)
    pagecache.article_changed(article)
    _tell(
        article,
        [article.author],
        "caunoi.article.unpublished",
        by,
        format_lazy(gettext_lazy("Bài “{title}” đã bị gỡ"), title=article.title),
        format_lazy(gettext_lazy("{person} đã gỡ bài khỏi trang công khai."), person=by),
    )
    return article


@transaction.atomic
def article_archive(*, article: Article, by: User) -> Article:
    require(by, Action.ARTICLE_APPROVE, article.unit)
    _require_state(article, "archive", _("lưu trữ"))
    was_public = article.state == S.PUBLISHED
    article.scheduled_for = None
    _transition(article, S.ARCHIVED, "caunoi.article.archived", by)
    if was_public:
        pagecache.article_changed(article)
    return article


@transaction.atomic
def revision_restore(*, revision: Revision, by: User) -> Article:
    """Bring an earlier revision's text back, as a new revision."""
    article = revision.article
    restored = article_save(
        article=article, title=revision.title, summary=revision.summary, body=revision.body, by=by
    )
    audit.record(
        "caunoi.article.revision_restored",
        actor=by,
        unit=article.unit,
        obj=article,
        changes={"revision": [None, revision.number]},
    )
    return restored
