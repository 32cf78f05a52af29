"""Staff screens for articles: list, write, edit, move through the workflow, compare and
restore revisions. Every step is one call to caunoi.publishing.services."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from caunoi.core.errors import CaunoiError
from caunoi.core.images import ImageRejected
from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, can, require, units_where
from caunoi.publishing import media, selectors, services
from caunoi.publishing.models import Article, ArticleState
from caunoi.publishing.sharing import topics_for
from caunoi.staff.article_forms import ArticleForm, ImageForm
from caunoi.staff.views import _context, _unit, _user, current_unit

S = ArticleState


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=gettext_lazy("Đăng lúc"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


def _article(request: HttpRequest, pk: int) -> Article:
    article = get_object_or_404(Article.objects.select_related("unit", "author"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, article.unit)
    return article


@login_required
def article_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    state = request.GET.get("state", "")
    articles = selectors.articles_in(unit=unit, state=state if state in S.values else "")
    page = Paginator(articles, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/articles.html",
        _context(
            request,
            unit,
            page=page,
            state=state,
            states=S.choices,
            counts=selectors.state_counts(unit=unit),
            may_write=can(_user(request), Action.ARTICLE_WRITE, unit),
            query=f"state={state}" if state else "",
        ),
    )


@login_required
def article_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.ARTICLE_WRITE)
    form = ArticleForm(request.POST or None, request.FILES or None, topics=topics_for(unit))
    if request.method == "POST" and form.is_valid():
        data, by = form.cleaned_data, _user(request)
        try:
            with transaction.atomic():  # the article, its photo and its PDF, or nothing
                article = services.article_create(
                    unit=unit,
                    kind=data["kind"],
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    topics=data.get("topics") or (),
                    by=by,
                )
                _add_files(article, data, by)
        except CaunoiError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Đã lưu bản nháp."))
            return redirect("staff:article", pk=article.pk)
    return render(
        request,
        "staff/article_form.html",
        _context(request, unit, form=form, shown=unit),
        status=400 if form.errors else 200,
    )


def _add_files(article: Article, data: dict[str, Any], by: Any) -> None:
    if data.get("cover"):
        media.image_add(
            article=article, upload=data["cover"], alt=data["cover_alt"], cover=True, by=by
        )
    if data.get("attachment"):
        media.attachment_add(
            article=article, upload=data["attachment"], title=data["attachment_title"], by=by
        )


def _show_error(form: forms.Form, error: CaunoiError) -> None:
    """Put a service's message beside the field it is about, or on top of the form."""
    message = str(error)
    if isinstance(error, ImageRejected) and "cover" in form.fields:
        form.add_error("cover", message)
    elif isinstance(error, media.PdfRejected) and "attachment" in form.fields:
        form.add_error("attachment", message)
    else:
        form.add_error(None, message)


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    require(_user(request), Action.ARTICLE_WRITE, article.unit)
    initial = {
        "kind": article.kind,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "topics": list(article.topics.all()),
    }
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        topics=topics_for(article.unit),
    )
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data, by = form.cleaned_data, _user(request)
        try:
            with transaction.atomic():
                services.article_save(
                    article=article,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    topics=data.get("topics") or (),
                    by=by,
                )
                _add_files(article, data, by)
        except CaunoiError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("staff:article", pk=article.pk)
    return render(
        request,
        "staff/article_form.html",
        _context(
            request,
            current_unit(request),
            form=form,
            article=article,
            shown=article.unit,
            images=selectors.images_of(article),
        ),
        status=400 if form.errors else 200,
    )


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    user = _user(request)
    may_write = can(user, Action.ARTICLE_WRITE, article.unit)
    may_approve = can(user, Action.ARTICLE_APPROVE, article.unit)
    starts = services.STARTS_FROM
    return render(
        request,
        "staff/article.html",
        _context(
            request,
            current_unit(request),
            article=article,
            revisions=list(selectors.revisions_of(article=article)),
            may_edit=may_write and article.state in starts["edit"],
            may_submit=may_write and article.state in starts["submit"],
            may_review=may_approve and article.state in starts["review"],
            may_publish=may_approve and article.state in starts["publish"],
            may_schedule=may_approve and article.state in starts["schedule"],
            may_unpublish=may_approve and article.state in starts["unpublish"],
            may_archive=may_approve and article.state in starts["archive"],
            schedule_form=ScheduleForm(),
            images=selectors.images_of(article),
            attachments=list(article.attachments.all()),
            topics=list(article.topics.all()),
            corrections=selectors.corrections_of(article),
            reshares=list(article.reshares.select_related("unit").order_by("shared_at")),
            reshare_targets=_reshare_targets(user, article),
            may_media=may_write and article.state in media.EDITABLE,
            may_correct=may_approve and article.state == S.PUBLISHED,
            image_form=ImageForm(),
            public_url=selectors.article_url(article) if article.state == S.PUBLISHED else "",
            late_minutes=int(article.published_late_by.total_seconds() // 60)
            if article.published_late_by
            else 0,
        ),
    )


def _reshare_targets(user: User, article: Article) -> list[Unit]:
    """Units below the article's own where `user` may re-share it and has not yet."""
    if article.state != S.PUBLISHED:
        return []
    return list(
        units_where(user, Action.ARTICLE_APPROVE)
        .filter(path__startswith=article.unit.path)
        .exclude(pk=article.unit_id)
        .exclude(reshares__article=article)
        .order_by("path")[:200]
    )


def _act(
    request: HttpRequest, pk: int, step: Callable[[Article, dict[str, Any]], object], done: str
) -> HttpResponse:
    article = _article(request, pk)
    try:
        step(article, request.POST.dict())
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("staff:article", pk=article.pk)


@login_required
@require_POST
def article_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    by = _user(request)
    steps: dict[str, tuple[Callable[[Article, dict[str, Any]], object], str]] = {
        "submit": (lambda a, d: services.article_submit(article=a, by=by), _("Đã gửi duyệt.")),
        "request-changes": (
            lambda a, d: services.article_request_changes(
                article=a, comment=d.get("comment", ""), by=by
            ),
            _("Đã trả lại bài để sửa."),
        ),
        "approve": (
            lambda a, d: services.article_approve(article=a, comment=d.get("comment", ""), by=by),
            _("Đã duyệt."),
        ),
        "publish": (lambda a, d: services.article_publish(article=a, by=by), _("Đã đăng.")),
        "unpublish": (lambda a, d: services.article_unpublish(article=a, by=by), _("Đã gỡ bài.")),
        "archive": (lambda a, d: services.article_archive(article=a, by=by), _("Đã lưu trữ.")),
    }
    if step == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Chọn ngày và giờ đăng."))
            return redirect("staff:article", pk=pk)
        at = form.cleaned_data["at"]
        return _act(
            request,
            pk,
            lambda a, d: services.article_schedule(article=a, at=at, by=by),
            _("Đã hẹn giờ đăng."),
        )
    if step not in steps:
        raise Http404
    action, done = steps[step]
    return _act(request, pk, action, done)


def _text_lines(html: str) -> list[str]:
    text = re.sub(r"</(p|h\d|li|tr|blockquote|figcaption)>|<br\s*/?>", "\n", html)
    return [line.strip() for line in strip_tags(text).splitlines() if line.strip()]


@login_required
def revision_compare(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    numbers = [r.number for r in selectors.revisions_of(article=article)]
    try:
        a = int(request.GET.get("a", min(numbers)))
        b = int(request.GET.get("b", max(numbers)))
    except ValueError:
        a, b = min(numbers), max(numbers)
    older = get_object_or_404(article.revisions, number=a)
    newer = get_object_or_404(article.revisions, number=b)
    old = [older.title, older.summary, *_text_lines(older.body)]
    new = [newer.title, newer.summary, *_text_lines(newer.body)]
    diff = [(line[0], line[2:]) for line in difflib.ndiff(old, new) if line[:1] in {" ", "-", "+"}]
    return render(
        request,
        "staff/article_compare.html",
        _context(
            request,
            current_unit(request),
            article=article,
            older=older,
            newer=newer,
            diff=diff,
            numbers=numbers,
        ),
    )


@login_required
@require_POST
def revision_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    article = _article(request, pk)
    revision = get_object_or_404(article.revisions, number=number)
    try:
        services.revision_restore(revision=revision, by=_user(request))
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Đã khôi phục phiên bản %(n)d thành phiên bản mới.") % {"n": number}
        )
    return redirect("staff:article", pk=article.pk)
