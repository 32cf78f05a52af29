"""Staff screens around an article: photos and PDFs, corrections of a published article,
re-shares down the tree, and a unit's topics. Each write is one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit
from caunoi.core.permissions import Action, can, require
from caunoi.publishing import media, sharing
from caunoi.publishing.models import ArticleImage, Attachment, Reshare
from caunoi.staff.article_forms import CorrectionForm, ImageForm, TopicForm
from caunoi.staff.articles import _article
from caunoi.staff.views import _context, _unit, _user, current_unit


@login_required
@require_POST
def image_add(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("staff:article", pk=article.pk)
    try:
        media.image_add(
            article=article,
            upload=form.cleaned_data["image"],
            alt=form.cleaned_data["alt"],
            cover=form.cleaned_data["cover"],
            by=_user(request),
        )
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thêm ảnh."))
    return redirect("staff:article", pk=article.pk)


@login_required
@require_POST
def image_remove(request: HttpRequest, pk: int, image: int) -> HttpResponse:
    article = _article(request, pk)
    found = get_object_or_404(ArticleImage, pk=image, article=article)
    try:
        media.image_remove(image=found, by=_user(request))
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã bỏ ảnh."))
    return redirect("staff:article", pk=article.pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    article = _article(request, pk)
    found = get_object_or_404(Attachment, pk=attachment, article=article)
    try:
        media.attachment_remove(attachment=found, by=_user(request))
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã bỏ tệp đính kèm."))
    return redirect("staff:article", pk=article.pk)


@login_required
def article_correct(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    require(_user(request), Action.ARTICLE_APPROVE, article.unit)
    initial = {"title": article.title, "summary": article.summary, "body": article.body}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sharing.article_correct(article=article, by=_user(request), **form.cleaned_data)
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã đính chính; trang công khai hiện nội dung mới."))
            return redirect("staff:article", pk=article.pk)
    return render(
        request,
        "staff/article_correct.html",
        _context(request, current_unit(request), form=form, article=article),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def article_reshare(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    try:
        unit = Unit.objects.get(pk=int(request.POST.get("unit", "")))
    except (ValueError, Unit.DoesNotExist):
        messages.error(request, _("Chọn đơn vị sẽ chia sẻ lại bài."))
        return redirect("staff:article", pk=article.pk)
    try:
        sharing.article_reshare(article=article, unit=unit, by=_user(request))
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã chia sẻ lại lên trang của %(unit)s.") % {"unit": unit})
    return redirect("staff:article", pk=article.pk)


@login_required
@require_POST
def reshare_withdraw(request: HttpRequest, pk: int, reshare: int) -> HttpResponse:
    article = _article(request, pk)
    found = get_object_or_404(Reshare.objects.select_related("unit"), pk=reshare, article=article)
    try:
        sharing.reshare_withdraw(reshare=found, by=_user(request))
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thôi chia sẻ lại ở %(unit)s.") % {"unit": found.unit})
    return redirect("staff:article", pk=article.pk)


@login_required
def topics(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    may_add = can(_user(request), Action.ARTICLE_APPROVE, unit)
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        require(_user(request), Action.ARTICLE_APPROVE, unit)
        if form.is_valid():
            try:
                sharing.topic_create(unit=unit, name=form.cleaned_data["name"], by=_user(request))
            except CaunoiError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, _("Đã thêm chủ đề."))
                return redirect("staff:article_topics", pk=unit.pk)
    return render(
        request,
        "staff/article_topics.html",
        _context(
            request, unit, form=form, topics=sharing.topics_for(unit), may_add=may_add, shown=unit
        ),
        status=400 if form.errors else 200,
    )
