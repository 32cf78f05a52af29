"""Photos and PDF attachments of an article, stored through Django's storage (MEDIA_ROOT by
default; any storage backend works, nothing assumes one machine). Photos go through
caunoi.core.images.clean_image; PDFs are checked by their content and capped in size."""

from __future__ import annotations

import secrets

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from caunoi.core import audit
from caunoi.core.images import clean_image
from caunoi.core.models import User
from caunoi.core.permissions import Action, require
from caunoi.publishing.models import Article, ArticleImage, ArticleState, Attachment
from caunoi.publishing.services import ArticleError

MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_IMAGES = 30
MAX_ATTACHMENTS = 10
EDITABLE = frozenset({ArticleState.DRAFT, ArticleState.CHANGES_REQUESTED})


class PdfRejected(ArticleError):
    pass


def _editable(article: Article, by: User) -> Article:
    require(by, Action.ARTICLE_WRITE, article.unit)
    article = Article.objects.select_for_update().select_related("unit").get(pk=article.pk)
    if article.state not in EDITABLE:
        raise ArticleError(
            _("Chỉ thêm hoặc bỏ ảnh, tệp khi bài là bản nháp hoặc cần sửa (bài đang “%(s)s”).")
            % {"s": article.get_state_display()}
        )
    return article


@transaction.atomic
def image_add(
    *, article: Article, upload: File[bytes], alt: str, cover: bool = False, by: User
) -> ArticleImage:
    """Add a photo; `cover` makes it the article's cover (the previous cover stays as a photo)."""
    article = _editable(article, by)
    alt = " ".join(alt.split())
    if not alt:
        raise ArticleError(
            _("Hãy mô tả ảnh (cho người đọc không xem được ảnh), ví dụ “Cầu Đông sau mưa lũ”.")
        )
    if article.images.count() >= MAX_IMAGES:
        raise ArticleError(_("Mỗi bài có tối đa %(n)d ảnh.") % {"n": MAX_IMAGES})
    clean = clean_image(upload)
    if cover:
        article.images.filter(is_cover=True).update(is_cover=False)
    image = ArticleImage(
        article=article,
        alt=alt[:300],
        width=clean.width,
        height=clean.height,
        is_cover=cover,
        added_by=by,
    )
    image.file.save(f"{secrets.token_hex(8)}.{clean.extension}", ContentFile(clean.content), False)
    try:
        image.save()
        audit.record(
            "caunoi.article.image_added",
            actor=by,
            unit=article.unit,
            obj=article,
            changes={"image": [None, image.file.name], "cover": [None, cover]},
        )
    except Exception:
        image.file.delete(save=False)
        raise
    return image


@transaction.atomic
def image_remove(*, image: ArticleImage, by: User) -> None:
    article = _editable(image.article, by)
    name = str(image.file.name)
    image.delete()
    audit.record(
        "caunoi.article.image_removed",
        actor=by,
        unit=article.unit,
        obj=article,
        changes={"image": [name, None]},
    )
    transaction.on_commit(lambda: image.file.storage.delete(name))


def check_pdf(upload: File[bytes], max_bytes: int = MAX_PDF_BYTES) -> bytes:
    """The upload's bytes if it really is a PDF within the cap; else a message saying why."""
    if (upload.size or 0) > max_bytes:
        raise PdfRejected(_too_big(max_bytes))
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PdfRejected(_too_big(max_bytes))
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        raise PdfRejected(_("Tệp này không phải PDF. Hãy lưu tài liệu thành PDF rồi gửi lại."))
    return data


def _too_big(max_bytes: int) -> str:
    return _("Tệp lớn hơn %(size)s. Hãy chọn tệp nhỏ hơn hoặc nén lại.") % {
        "size": filesizeformat(max_bytes)
    }


@transaction.atomic
def attachment_add(*, article: Article, upload: File[bytes], title: str, by: User) -> Attachment:
    article = _editable(article, by)
    data = check_pdf(upload)
    title = " ".join(title.split()) or " ".join(
        (upload.name or "").rsplit("/", 1)[-1].removesuffix(".pdf").split()
    )
    if not title:
        raise ArticleError(_("Hãy đặt tên cho tài liệu đính kèm."))
    if article.attachments.count() >= MAX_ATTACHMENTS:
        raise ArticleError(_("Mỗi bài có tối đa %(n)d tệp đính kèm.") % {"n": MAX_ATTACHMENTS})
    attachment = Attachment(article=article, title=title[:300], size=len(data), added_by=by)
    attachment.file.save(f"{secrets.token_hex(8)}.pdf", ContentFile(data), False)
    try:
        attachment.save()
        audit.record(
            "caunoi.article.attachment_added",
            actor=by,
            unit=article.unit,
            obj=article,
            changes={"attachment": [None, attachment.title]},
        )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    article = _editable(attachment.article, by)
    name = str(attachment.file.name)
    attachment.delete()
    audit.record(
        "caunoi.article.attachment_removed",
        actor=by,
        unit=article.unit,
        obj=article,
        changes={"attachment": [attachment.title, None]},
    )
    transaction.on_commit(lambda: attachment.file.storage.delete(name))
