from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import Unit, User
from caunoi.core.text import fold


class ArticleKind(models.TextChoices):
    NEWS = "news", _("Tin, bài")
    SCAM_WARNING = "scam_warning", _("Cảnh báo lừa đảo")
    CLARIFICATION = "clarification", _("Thông tin chính thức, đính chính")
    PRESS_RELEASE = "press_release", _("Thông cáo báo chí")


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    IN_REVIEW = "in_review", _("Chờ duyệt")
    CHANGES_REQUESTED = "changes_requested", _("Cần sửa")
    APPROVED = "approved", _("Đã duyệt")
    SCHEDULED = "scheduled", _("Đã hẹn giờ đăng")
    PUBLISHED = "published", _("Đã đăng")
    UNPUBLISHED = "unpublished", _("Đã gỡ")
    ARCHIVED = "archived", _("Lưu trữ")


class Article(models.Model):
    """An official item a unit publishes once, to its portal and every channel."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="articles")
    kind = models.CharField(_("loại tin"), max_length=20, choices=ArticleKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.TextField(_("tóm tắt"), blank=True)
    body = models.TextField(_("nội dung"), blank=True)  # sanitized HTML
    # fold(title + summary + body text): what search matches, on every database.
    search_text = models.TextField(blank=True, editable=False)
    state = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=ArticleState.choices,
        default=ArticleState.DRAFT,
        db_index=True,
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    review_comment = models.TextField(_("ý kiến người duyệt"), blank=True)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scheduled_for = models.DateTimeField(_("thời điểm hẹn đăng"), null=True, blank=True)
    published_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True, db_index=True)
    published_late_by = models.DurationField(_("đăng muộn"), null=True, blank=True)
    topics: models.ManyToManyField[Topic, Any] = models.ManyToManyField(
        "Topic", blank=True, related_name="articles"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("các tin bài")
        indexes = [
            models.Index(fields=["unit", "state", "-published_at"]),
            # Lists of a subtree, newest first: walked in order, filtered by unit.
            models.Index(fields=["state", "-published_at", "-id"], name="article_state_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.title}\n{self.summary}\n{strip_tags(self.body)}")
        super().save(*args, **kwargs)


class Revision(models.Model):
    """Every save of an article is kept, so two can be compared and one restored."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản")
        verbose_name_plural = _("các phiên bản")
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} #{self.number}"


class PublishingPolicy(models.Model):
    """A unit's editorial rules; a unit without one follows its nearest ancestor's."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="publishing_policy")
    author_may_approve = models.BooleanField(
        _("người viết được tự duyệt bài của mình"), default=False
    )

    class Meta:
        verbose_name = _("quy định đăng tin")
        verbose_name_plural = _("các quy định đăng tin")

    def __str__(self) -> str:
        return str(self.unit)


class Topic(models.Model):
    """A subject a unit files its articles under; usable by every unit below it too."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("tên chủ đề"), max_length=100)
    slug = models.SlugField(max_length=100)

    class Meta:
        verbose_name = _("chủ đề")
        verbose_name_plural = _("các chủ đề")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "slug"], name="topic_slug_unique")]

    def __str__(self) -> str:
        return self.name


def image_path(instance: ArticleImage, filename: str) -> str:
    return f"articles/{instance.article_id}/images/{filename}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"articles/{instance.article_id}/files/{filename}"


class ArticleImage(models.Model):
    """A photo of an article, already cleaned (content-checked, resized, metadata removed).
    The cover is the one shown first and in link previews."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path, max_length=255)
    alt = models.CharField(_("mô tả ảnh"), max_length=300)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    is_cover = models.BooleanField(_("ảnh bìa"), default=False)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("các ảnh")
        ordering = ["-is_cover", "id"]

    def __str__(self) -> str:
        return self.alt


class Attachment(models.Model):
    """A PDF attached to an article (checked by its content, size-capped)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    title = models.CharField(_("tên tài liệu"), max_length=300)
    size = models.PositiveBigIntegerField()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("các tệp đính kèm")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Correction(models.Model):
    """A change to a published article, shown on its public page with its date."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField(_("nội dung đính chính"))
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    corrected_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đính chính")
        verbose_name_plural = _("các đính chính")
        ordering = ["corrected_at", "id"]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.note[:60]}"


class Reshare(models.Model):
    """An article of an ancestor unit shown on a unit's own portal pages, credited to the
    source; the public copy links to the source as canonical."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reshares")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="reshares")
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("chia sẻ lại")
        verbose_name_plural = _("các lượt chia sẻ lại")
        constraints = [
            models.UniqueConstraint(fields=["article", "unit"], name="reshare_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.unit_id}"


class PageGeneration(models.Model):
    """The version of a group of cached public pages (a unit's news, one topic, one article);
    bumping it makes every cached page of the group stale, in every process."""

    group = models.CharField(max_length=200, unique=True)
    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.group}@{self.version}"


class PrerenderedPage(models.Model):
    """An article page as the task worker rendered it for anonymous readers when the article
    changed, so a first visit is answered from here instead of waiting for a render. `stamp`
    holds the versions of the page's groups at render time: a stored page whose stamp is no
    longer current is never served."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    language = models.CharField(max_length=16)
    stamp = models.CharField(max_length=200)
    headers = models.JSONField()
    content = models.BinaryField()  # zlib-compressed
    rendered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["path", "language"], name="prerendered_path_unique")
        ]

    def __str__(self) -> str:
        return f"{self.path} [{self.language}]"
