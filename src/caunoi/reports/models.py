"""Counters rolled up the unit tree, periodic reports with their review, export files and each
unit's document settings. Figures themselves belong to the apps; here they are only counted,
frozen in snapshots, or written out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import Unit


class Count(models.Model):
    """How many `key` events happened in `unit`'s subtree on `day`: the sum of `value` over
    the (unit, key, day) rows, one per shard.

    Written for the unit where the event happened and for each of its ancestors, so a
    subtree's total over a period is one indexed read of at most (days × keys × shards) rows.
    Each database connection adds to its own shard, so concurrent writers never wait for
    each other's row lock (see counters.shard); `fold` merges past days back into shard 0."""

    # No index of its own: the unique key and reports_count_unit_day start with it.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=60)
    day = models.DateField()
    shard = models.SmallIntegerField(default=0, db_default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "key", "day", "shard"], name="reports_count_unique"
            )
        ]
        # Sections read a subtree's keys by prefix ("feedback.", "metrics.") over a period: the
        # unique index would walk every day of every key; this one reads the period's days only.
        indexes = [models.Index(fields=["unit", "day"], name="reports_count_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.key} {self.day}: {self.value}"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    YEAR = "year", _("Năm")
    RANGE = "range", _("Khoảng ngày")


class ReportRequest(models.Model):
    """An upper level asks the units directly below it for their report of a period by a day."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="report_requests")
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn nộp"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "start", "end"], name="reports_request_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Yêu cầu sửa lại")


class PeriodicReport(models.Model):
    """One unit's report of one period: live figures while drafted, frozen once submitted."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="periodic_reports")
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    request = models.ForeignKey(
        ReportRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    number = models.PositiveIntegerField(_("số văn bản"), null=True, blank=True)
    achievements = models.TextField(_("kết quả đạt được"), blank=True)
    limitations = models.TextField(_("hạn chế, khó khăn"), blank=True)
    next_tasks = models.TextField(_("nhiệm vụ thời gian tới"), blank=True)
    snapshot = models.JSONField(_("số liệu đã chốt"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-start", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "start", "end"], name="reports_periodic_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class ReportComment(models.Model):
    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("ý kiến"))
    asks_revision = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


DOCUMENT_LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("Tiếng Anh"))]


class DocumentSettings(models.Model):
    """How a unit's official documents look: its symbol, place, signer and Word template."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="document_settings")
    symbol = models.CharField(
        _("ký hiệu cơ quan"),
        max_length=30,
        blank=True,
        help_text=_('Phần sau "BC-" trong số văn bản, ví dụ UBND hoặc TTVHTT.'),
    )
    place = models.CharField(_("địa danh"), max_length=80, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    template = models.FileField(
        _("mẫu văn bản (.docx)"), upload_to="reports/templates/", blank=True
    )
    # The Word document is the unit's own official document, written in this language whatever
    # the language of the screen it is exported from (Decree 30 documents are in Vietnamese).
    language = models.CharField(
        _("ngôn ngữ văn bản"),
        max_length=8,
        choices=DOCUMENT_LANGUAGES,
        default="vi",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.unit_id} {self.symbol}"


class ExportState(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Không tạo được")


class Export(models.Model):
    """A DOCX or XLSX file made in the background and kept for download for a while."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        PeriodicReport, on_delete=models.CASCADE, null=True, blank=True, related_name="exports"
    )
    kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    start = models.DateField()
    end = models.DateField()
    format = models.CharField(max_length=4)  # docx or xlsx
    state = models.CharField(max_length=10, choices=ExportState.choices, default="waiting")
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="reports/exports/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.format} {self.unit_id} {self.start}–{self.end}"
