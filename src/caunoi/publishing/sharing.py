"""Topics, corrections of published articles, and re-shares down the tree. Each write is
atomic, permission-checked, audited, and makes stale exactly the public pages it changes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.core import audit
from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, require
from caunoi.core.text import slug_for
from caunoi.publishing import html, pagecache
from caunoi.publishing.models import Article, ArticleState, Correction, Reshare, Topic
from caunoi.publishing.services import ArticleError, _save_revision, _tell, _validated


def topics_for(unit: Unit) -> list[Topic]:
    """The topics an article of `unit` may carry: the unit's own and its ancestors'."""
    return list(
        Topic.objects.filter(unit__path__in=_prefixes(unit))
        .select_related("unit")
        .order_by("name", "id")
    )


def topic_at(unit: Unit, slug: str) -> Topic | None:
    """The topic a portal address names under `unit`: the nearest unit's of that slug."""
    found = {t.unit_id: t for t in Topic.objects.filter(slug=slug, unit__path__in=_prefixes(unit))}
    for u in reversed([*Unit.objects.get_ancestors(unit), unit]):
        if u.pk in found:
            return found[u.pk]
    return None


def _prefixes(unit: Unit) -> list[str]:
    path, step = str(unit.path), Unit.steplen
    return [path[: step * depth] for depth in range(1, unit.depth + 1)]


@transaction.atomic
def topic_create(*, unit: Unit, name: str, by: User) -> Topic:
    require(by, Action.ARTICLE_APPROVE, unit)
    name = " ".join(name.split())
    if not name:
        raise ArticleError(_("Tên chủ đề không được để trống."))
    slug = slug_for(name)[:100]
    if not slug:
        raise ArticleError(_("Tên chủ đề cần có ít nhất một chữ cái hoặc chữ số."))
    if any(t.slug == slug for t in topics_for(unit)):
        raise ArticleError(
            _("Đã có chủ đề “%(name)s” ở đơn vị này hoặc đơn vị cấp trên; hãy dùng chủ đề đó.")
            % {"name": name}
        )
    topic = Topic.objects.create(unit=unit, name=name, slug=slug)
    pagecache.topics_changed()
    audit.record(
        "caunoi.topic.created", actor=by, unit=unit, obj=topic, changes={"name": [None, name]}
    )
    return topic


def checked_topics(unit: Unit, chosen: Iterable[Topic | int]) -> list[Topic]:
    """The chosen topics, each one the article's unit may use; anything else is refused."""
    allowed = {t.pk: t for t in topics_for(unit)}
    ids = [c.pk if isinstance(c, Topic) else int(c) for c in chosen]
    if any(pk not in allowed for pk in ids):
        raise ArticleError(_("Chỉ chọn chủ đề của đơn vị này hoặc đơn vị cấp trên."))
    return [allowed[pk] for pk in dict.fromkeys(ids)]


@transaction.atomic
def article_correct(
    *, article: Article, title: str, summary: str, body: str, note: str, by: User
) -> Correction:
    """Correct a published article: the new text goes live with a dated note on the page."""
    require(by, Action.ARTICLE_APPROVE, article.unit)
    article = Article.objects.select_for_update().select_related("unit").get(pk=article.pk)
    if article.state != ArticleState.PUBLISHED:
        raise ArticleError(_("Chỉ đính chính được bài đang đăng; bài chưa đăng thì sửa trực tiếp."))
    note = note.strip()
    if not note:
        raise ArticleError(_("Hãy ghi nội dung đính chính để người đọc biết điều gì đã thay đổi."))
    before = {"title": article.title, "summary": article.summary, "body": article.body}
    article.title = _validated(kind=article.kind, title=title)
    article.summary, article.body = summary.strip(), html.clean(body)
    article.save()
    revision = _save_revision(article, by)
    correction = Correction.objects.create(
        article=article, note=note, revision=revision, corrected_by=by
    )
    changes = audit.diff(
        before, {"title": article.title, "summary": article.summary, "body": article.body}
    )
    if "body" in changes:
        changes["body"] = [f"#{revision.number - 1}", f"#{revision.number}"]
    audit.record(
        "caunoi.article.corrected",
        actor=by,
        unit=article.unit,
        obj=article,
        changes={**changes, "note": [None, note]},
    )
    pagecache.article_changed(article)
    _tell(
        article,
        [article.author],
        "caunoi.article.corrected",
        by,
        format_lazy(gettext_lazy("Bài “{title}” đã được đính chính"), title=article.title),
        format_lazy(
            gettext_lazy("{person} đã đính chính bài đang đăng:\n\n{note}"), person=by, note=note
        ),
    )
    return correction


@transaction.atomic
def article_reshare(*, article: Article, unit: Unit, by: User) -> Reshare:
    """Show a published article of an ancestor unit on `unit`'s portal pages, credited to
    its source. Corrections of the source show in every re-share (they are the same text)."""
    require(by, Action.ARTICLE_APPROVE, unit)
    article = Article.objects.select_related("unit").get(pk=article.pk)
    if article.state != ArticleState.PUBLISHED:
        raise ArticleError(_("Chỉ chia sẻ lại được bài đang đăng."))
    source = article.unit
    if unit.pk == source.pk or not str(unit.path).startswith(str(source.path)):
        raise ArticleError(
            _("Chỉ chia sẻ lại được bài của đơn vị cấp trên (%(unit)s không ở trên %(here)s).")
            % {"unit": source.name, "here": unit.name}
        )
    if Reshare.objects.filter(article=article, unit=unit).exists():
        raise ArticleError(_("%(unit)s đã chia sẻ lại bài này rồi.") % {"unit": unit.name})
    reshare = Reshare.objects.create(article=article, unit=unit, shared_by=by)
    audit.record(
        "caunoi.article.reshared",
        actor=by,
        unit=unit,
        obj=article,
        changes={"unit": [None, unit.name], "source": [None, source.name]},
    )
    pagecache.article_changed(article)
    from caunoi.channels.deliveries import deliveries_on_publish

    deliveries_on_publish(article, unit)  # after commit: the re-sharing unit's channels
    return reshare


@transaction.atomic
def reshare_withdraw(*, reshare: Reshare, by: User) -> None:
    """Take a re-shared article off the unit's pages (the source keeps it)."""
    require(by, Action.ARTICLE_APPROVE, reshare.unit)
    article, unit = reshare.article, reshare.unit
    reshare.delete()
    audit.record(
        "caunoi.article.reshare_withdrawn",
        actor=by,
        unit=unit,
        obj=article,
        changes={"unit": [unit.name, None]},
    )
    pagecache.article_changed(article, also=[unit])
