"""Serving article photos and attachments from Django's storage. A file of a published article
is public; one of an article not (or no longer) public only to staff who may see its unit."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control

from caunoi.core.permissions import Action, can
from caunoi.publishing.models import Article, ArticleImage, ArticleState, Attachment

PUBLIC_MAX_AGE = 24 * 3600


def media_file(request: HttpRequest, name: str) -> FileResponse:
    image = ArticleImage.objects.select_related("article__unit").filter(file=name).first()
    attachment = (
        None
        if image is not None
        else Attachment.objects.select_related("article__unit").filter(file=name).first()
    )
    owner = image or attachment
    if owner is None:
        raise Http404
    article: Article = owner.article
    public = article.state == ArticleState.PUBLISHED
    if not public and not (
        request.user.is_authenticated and can(request.user, Action.UNIT_VIEW, article.unit)
    ):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    if image is not None:
        response = FileResponse(handle, content_type=_IMAGE_TYPES.get(name.rsplit(".", 1)[-1]))
    else:
        assert attachment is not None
        response = FileResponse(
            handle,
            content_type="application/pdf",
            as_attachment=False,
            filename=f"{attachment.title[:80]}.pdf",
        )
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


_IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
