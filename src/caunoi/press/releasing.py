"""Writes for press releases (which outlets receive one; sent when it is published) and the
coverage log. Atomic, permission-checked and audited like press/services.py."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, require
from caunoi.core.tasks import enqueue_on_commit
from caunoi.press.models import Briefing, CoverageItem, Outlet, ReleaseOutlet
from caunoi.press.selectors import outlet_addresses
from caunoi.press.services import usable
from caunoi.publishing.models import Article, ArticleKind, ArticleState


@transaction.atomic
def release_outlets_set(*, article: Article, outlets: Iterable[Outlet], by: User) -> int:
    """Choose who receives a press release when it is published."""
    require(by, Action.PRESS_MANAGE, article.unit)
    if article.kind != ArticleKind.PRESS_RELEASE:
        raise CaunoiError(_("Chỉ thông cáo báo chí mới gửi tới cơ quan báo chí."))
    chosen = usable(article.unit, outlets)
    missing = [o.name for o in chosen if not outlet_addresses(o)]
    if missing:
        raise CaunoiError(
            _("Chưa có e-mail của %(names)s: hãy thêm e-mail rồi chọn lại. Chưa lưu gì.")
            % {"names": ", ".join(missing)}
        )
    keep = {o.pk for o in chosen}
    ReleaseOutlet.objects.filter(article=article, sent_at__isnull=True).exclude(
        outlet_id__in=keep
    ).delete()
    known = set(ReleaseOutlet.objects.filter(article=article).values_list("outlet_id", flat=True))
    ReleaseOutlet.objects.bulk_create(
        ReleaseOutlet(article=article, outlet=o) for o in chosen if o.pk not in known
    )
    audit.record(
        "caunoi.press.release.outlets",
        actor=by,
        unit=article.unit,
        obj=article,
        changes={"outlets": sorted(o.name for o in chosen)},
    )
    if article.state == ArticleState.PUBLISHED:
        release_published(article)
    return len(chosen)


def release_published(article: Article) -> None:
    """Called when an article is published: a press release goes to its chosen outlets."""
    if article.kind != ArticleKind.PRESS_RELEASE:
        return
    from caunoi.press.mail import send_release

    enqueue_on_commit(send_release, article.pk)


@transaction.atomic
def coverage_add(
    *,
    unit: Unit,
    by: User,
    outlet: Outlet,
    title: str,
    url: str,
    published_on: date,
    briefing: Briefing | None = None,
    release: Article | None = None,
) -> CoverageItem:
    require(by, Action.PRESS_MANAGE, unit)
    usable(unit, [outlet])
    title = " ".join(title.split())
    if not title or not url.strip():
        raise CaunoiError(_("Hãy nhập tiêu đề và đường dẫn bài báo."))
    if briefing is not None and not briefing.unit.is_within(unit):
        raise CaunoiError(_("Buổi giao ban không thuộc đơn vị này."))
    if release is not None and not release.unit.is_within(unit):
        raise CaunoiError(_("Thông cáo không thuộc đơn vị này."))
    item = CoverageItem.objects.create(
        unit=unit,
        outlet=outlet,
        title=title[:300],
        url=url.strip(),
        published_on=published_on,
        briefing=briefing,
        release=release,
        recorded_by=by,
    )
    audit.record("caunoi.press.coverage.added", actor=by, unit=unit, obj=item)
    return item
