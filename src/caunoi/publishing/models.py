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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("các tin bài")
        indexes = [models.Index(fields=["unit", "state", "-published_at"])]

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
