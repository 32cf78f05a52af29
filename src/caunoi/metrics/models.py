"""Reach and engagement of the office's own channels: aggregate figures per channel and per post
per day, as the platforms report them. Nothing here names or describes a citizen or an account
of theirs: only counts (DOMAIN.md, "What caunoi never does")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caunoi.channels.models import Channel


class Metric(models.TextChoices):
    REACH = "reach", _("Lượt tiếp cận")
    VIEWS = "views", _("Lượt xem")
    REACTIONS = "reactions", _("Cảm xúc")
    COMMENTS = "comments", _("Bình luận")
    SHARES = "shares", _("Chia sẻ")
    CLICKS = "clicks", _("Lượt nhấp")
    # Total interactions: the platform's own total when it gives one, else the sum of
    # reactions, comments, shares and clicks (computed when the figures are written).
    ENGAGEMENT = "engagement", _("Lượt tương tác")
    # A stock, not a flow: roll-ups take the latest value, never a sum over days.
    FOLLOWERS = "followers", _("Người theo dõi")


ENGAGEMENT_PARTS = (Metric.REACTIONS, Metric.COMMENTS, Metric.SHARES, Metric.CLICKS)


class Source(models.TextChoices):
    FILE = "file", _("Tệp nhập")
    API = "api", _("Lấy tự động từ nền tảng")
    DEMO = "demo", _("Dữ liệu mẫu")


class ImportState(models.TextChoices):
    PREVIEWED = "previewed", _("Đang xem trước")
    IMPORTED = "imported", _("Đã nhập")


class ImportBatch(models.Model):
    """One uploaded file: kept while it is previewed, then recorded as imported."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_format = models.CharField(_("dạng tệp"), max_length=20)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(blank=True)  # emptied once imported
    state = models.CharField(max_length=12, choices=ImportState.choices)
    rows = models.PositiveIntegerField(default=0)
    figures = models.PositiveIntegerField(default=0)
    replaced = models.PositiveIntegerField(default=0)
    first_day = models.DateField(null=True)
    last_day = models.DateField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("lần nhập số liệu")
        verbose_name_plural = _("các lần nhập số liệu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.channel_id})"


class Post(models.Model):
    """A post on one of the office's channels, known by the platform's id."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="metric_posts")
    external_id = models.CharField(_("mã bài trên nền tảng"), max_length=120)
    article = models.ForeignKey(
        "publishing.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metric_posts",
    )
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    url = models.URLField(_("địa chỉ"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bài trên kênh")
        verbose_name_plural = _("các bài trên kênh")
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="metric_post_unique")
        ]
        indexes = [models.Index(fields=["channel", "published_at"])]

    def __str__(self) -> str:
        return self.title or self.external_id


class ChannelFigure(models.Model):
    """One metric of one channel on one day."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("ngày"))
    metric = models.CharField(_("chỉ số"), max_length=12, choices=Metric.choices)
    raw_name = models.CharField(_("tên chỉ số trên nền tảng"), max_length=160)
    value = models.BigIntegerField(_("giá trị"))
    source = models.CharField(max_length=8, choices=Source.choices)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("số liệu kênh theo ngày")
        verbose_name_plural = _("số liệu kênh theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "day", "metric"], name="metric_channel_day_unique"
            )
        ]
        indexes = [models.Index(fields=["channel", "metric", "day"])]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.day} {self.metric}={self.value}"


class PostFigure(models.Model):
    """One metric of one post on one day (lifetime totals are kept on the post's first day)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="figures")
    day = models.DateField(_("ngày"))
    metric = models.CharField(_("chỉ số"), max_length=12, choices=Metric.choices)
    raw_name = models.CharField(_("tên chỉ số trên nền tảng"), max_length=160)
    value = models.BigIntegerField(_("giá trị"))
    source = models.CharField(max_length=8, choices=Source.choices)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("số liệu bài theo ngày")
        verbose_name_plural = _("số liệu bài theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["post", "day", "metric"], name="metric_post_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.day} {self.metric}={self.value}"


class InsightsPull(models.Model):
    """One scheduled pull of a connected page's insights, with what the platform refused."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    ok = models.BooleanField(default=False)
    figures = models.PositiveIntegerField(default=0)
    # Metrics the platform no longer knows (Graph error 100): skipped, the rest imported.
    dropped = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("lần lấy số liệu tự động")
        verbose_name_plural = _("các lần lấy số liệu tự động")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.started_at:%Y-%m-%d %H:%M}"
