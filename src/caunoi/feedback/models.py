"""Citizen reports (phản ánh, kiến nghị): categories per unit, unit areas for routing, the
working calendar for deadlines, reports with their history, photos and followers.

Contact details are encrypted at rest and never leave the handler's screen."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from caunoi.core.crypto import EncryptedTextField
from caunoi.core.models import Unit, User


class Category(models.Model):
    """A kind of problem a unit takes reports about; it applies to the unit's whole subtree.

    `code` is the Open311 service_code. Deadlines left empty use the site-wide defaults."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="report_categories")
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    group = models.CharField(_("nhóm"), max_length=100, blank=True)
    keywords = models.CharField(_("từ khóa"), max_length=300, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    ack_hours = models.PositiveSmallIntegerField(
        _("tiếp nhận trong (giờ làm việc)"), null=True, blank=True
    )
    urgent_hours = models.PositiveSmallIntegerField(
        _("khẩn cấp: xử lý trong (giờ làm việc)"), null=True, blank=True
    )
    answer_days = models.PositiveSmallIntegerField(
        _("trả lời trong (ngày làm việc)"), null=True, blank=True
    )
    answer_days_several = models.PositiveSmallIntegerField(
        _("nhiều đơn vị phối hợp: trả lời trong (ngày làm việc)"), null=True, blank=True
    )
    urgent_by_default = models.BooleanField(_("mặc định là khẩn cấp"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Datatype(models.TextChoices):
    STRING = "string", _("Chuỗi ngắn")
    NUMBER = "number", _("Số")
    DATETIME = "datetime", _("Ngày giờ")
    TEXT = "text", _("Văn bản dài")
    SINGLE = "singlevaluelist", _("Chọn một")
    MULTI = "multivaluelist", _("Chọn nhiều")


class CategoryAttribute(models.Model):
    """An extra question of a category (an Open311 service attribute)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("mã"), max_length=60)
    datatype = models.CharField(_("kiểu"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("bắt buộc"), default=False)
    description = models.CharField(_("câu hỏi"), max_length=300)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    values = models.JSONField(_("lựa chọn"), default=list, blank=True)  # [{"key", "name"}]

    class Meta:
        verbose_name = _("câu hỏi thêm")
        verbose_name_plural = _("câu hỏi thêm")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="attribute_code_unique")
        ]

    def __str__(self) -> str:
        return self.description


class UnitArea(models.Model):
    """A unit's area as a GeoJSON Polygon or MultiPolygon (lon, lat), for routing by place."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="report_area")
    geometry = models.JSONField(_("vùng (GeoJSON)"))
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_lon = models.FloatField()
    max_lon = models.FloatField()
    handles_reports = models.BooleanField(_("tiếp nhận phản ánh"), default=True)

    class Meta:
        verbose_name = _("địa bàn")
        verbose_name_plural = _("địa bàn")

    def __str__(self) -> str:
        return str(self.unit)


class UnitGuidance(models.Model):
    """What a unit tells citizens whose report is a complaint or a denunciation."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="report_guidance")
    complaint_guidance = models.TextField(_("hướng dẫn khiếu nại, tố cáo"), blank=True)

    def __str__(self) -> str:
        return str(self.unit)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ")
    WORKDAY = "workday", _("Ngày làm việc bù")


class CalendarDay(models.Model):
    """A public holiday, or a weekend day worked in exchange for one (làm bù)."""

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=150)

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("lịch nghỉ lễ")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã nhận")
    ACKNOWLEDGED = "acknowledged", _("Đã tiếp nhận")
    VERIFYING = "verifying", _("Đang xác minh")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã có kết quả")
    CLOSED = "closed", _("Đã đóng")


OPEN_STATES = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.VERIFYING, Status.IN_PROGRESS)


class Outcome(models.TextChoices):
    FIXED = "fixed", _("Đã khắc phục")
    CANNOT_FIX = "cannot_fix", _("Không thể khắc phục")
    NOT_OURS = "not_ours", _("Không thuộc thẩm quyền")
    DUPLICATE = "duplicate", _("Trùng phản ánh khác")


class Source(models.TextChoices):
    PORTAL = "portal", _("Cổng thông tin")
    OPEN311 = "open311", _("Ứng dụng (Open311)")
    PHONE = "phone", _("Điện thoại")
    WALK_IN = "walk_in", _("Trực tiếp")


class LegalKind(models.TextChoices):
    NONE = "", _("Phản ánh, kiến nghị")
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")


class Report(models.Model):
    public_id = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    # In the citizen's own tracking link only: lets them reopen and rate, nobody else.
    secret = models.CharField(max_length=32, editable=False)
    # No index of their own: report_nearby and report_unit_status below start with them, and
    # every index is one more write for each report taken in.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", db_index=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports", db_index=False)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("lý do / chuyển đến"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        db_index=False,  # indexed where set (Meta.indexes): most reports have none
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    description = models.TextField(_("nội dung"))
    public_description = models.TextField(_("nội dung công khai (đã biên tập)"), blank=True)
    folded = models.TextField(editable=False, blank=True)  # for duplicate suggestions
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("kinh độ"), null=True, blank=True)
    cell = models.BigIntegerField(null=True, blank=True, editable=False)  # coarse grid cell
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    attributes = models.JSONField(_("câu trả lời thêm"), default=dict, blank=True)
    urgent = models.BooleanField(_("khẩn cấp"), default=False)
    several_units = models.BooleanField(_("nhiều đơn vị phối hợp"), default=False)
    legal_kind = models.CharField(
        _("khiếu nại / tố cáo"), max_length=15, choices=LegalKind.choices, blank=True
    )
    # Contact details: encrypted, shown only to the unit's handlers, erased after closing.
    contact_name = EncryptedTextField(_("họ tên người phản ánh"), blank=True)
    contact_phone = EncryptedTextField(_("điện thoại"), blank=True)
    contact_email = EncryptedTextField(_("thư điện tử"), blank=True)
    contact_erased_at = models.DateTimeField(null=True, blank=True)
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    working_days_to_answer = models.FloatField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    ack_deadline = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_reports",
        db_index=False,  # indexed where set (Meta.indexes)
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("số lần mở lại"), default=0)
    rating = models.PositiveSmallIntegerField(_("đánh giá"), null=True, blank=True)
    rating_comment = models.TextField(_("nhận xét"), blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta.indexes): citizens' reports have none
    )
    created_at = models.DateTimeField(_("gửi lúc"), db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["category", "cell", "created_at"], name="report_nearby"),
            models.Index(fields=["unit", "status", "created_at"], name="report_unit_status"),
            models.Index(fields=["status", "deadline"], name="report_due"),
            # Links that most reports leave empty are indexed only where set: a report taken
            # in writes no index entry for them, and a lookup by one (a deleted user or unit,
            # a report's duplicates) still finds its rows.
            models.Index(
                fields=["duplicate_of"],
                name="report_duplicate_of",
                condition=models.Q(duplicate_of__isnull=False),
            ),
            models.Index(
                fields=["escalated_to"],
                name="report_escalated_to",
                condition=models.Q(escalated_to__isnull=False),
            ),
            models.Index(
                fields=["created_by"],
                name="report_created_by",
                condition=models.Q(created_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_public(self) -> bool:
        """Nothing but the status is public until a handler has looked at the report."""
        return self.status != Status.RECEIVED

    @property
    def public_text(self) -> str:
        from caunoi.core.text import mask_contacts

        if not self.is_public:
            return ""
        return mask_contacts(self.public_description or self.description)

    @property
    def public_answer_text(self) -> str:
        from caunoi.core.text import mask_contacts

        return mask_contacts(self.public_answer)

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_phone or self.contact_email)

    def on_time(self) -> bool | None:
        if self.answered_at is None or self.deadline is None:
            return None
        return self.answered_at <= self.deadline


def _photo_path(instance: Photo, filename: str) -> str:
    return f"reports/{instance.report.created_at:%Y/%m}/{filename}"


class Photo(models.Model):
    """A citizen's photo, or a photo of the result added by the handler (`by_handler`).

    When the handler blurs regions (faces, number plates), `redacted` holds the blurred copy and
    public pages get only that; the original stays for the unit's handlers until it is erased
    with the contact details (`original_erased_at`), when the blurred copy replaces it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path)
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    hidden = models.BooleanField(_("ẩn khỏi trang công khai"), default=False)
    by_handler = models.BooleanField(default=False)  # a photo of the result, added by staff
    # Database defaults too, so intake writing photo rows in SQL need not know these fields.
    redacted = models.FileField(
        _("bản đã làm mờ"), upload_to=_photo_path, blank=True, default="", db_default=""
    )
    regions = models.JSONField(
        _("vùng làm mờ"), default=list, db_default=[], blank=True
    )  # [[x, y, w, h]]
    original_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name or ""

    @property
    def public_file(self) -> Any:
        """What the public may see: the blurred copy when there is one."""
        return self.redacted if self.redacted else self.image


class EventKind(models.TextChoices):
    STATUS = "status", _("Trạng thái")
    REROUTED = "rerouted", _("Chuyển đơn vị")
    ESCALATED = "escalated", _("Quá hạn, báo cấp trên")
    MERGED = "merged", _("Gộp phản ánh trùng")
    REOPENED = "reopened", _("Người dân mở lại")
    RATED = "rated", _("Người dân đánh giá")
    MARKED = "marked", _("Khiếu nại / tố cáo")


class ReportEvent(models.Model):
    """One line of a report's history. Public lines show on the tracking page."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    # Indexed only where set (Meta.indexes): a report's first line has neither.
    by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    from_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(
                fields=["by"], name="reportevent_by", condition=models.Q(by__isnull=False)
            ),
            models.Index(
                fields=["from_unit"],
                name="reportevent_from_unit",
                condition=models.Q(from_unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.kind} {self.status}"


class Follower(models.Model):
    """An e-mail address that follows a report, once confirmed (double opt-in)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    email = EncryptedTextField()
    email_key = models.CharField(max_length=64)  # a keyed hash, to find the same address again
    token = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, default="vi")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "email_key"], name="follower_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} follower {self.pk}"


class AnswerTemplate(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="templates")
    title = models.CharField(_("tên mẫu"), max_length=150)
    body = models.TextField(_("nội dung"))

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


def category_defaults() -> dict[str, Any]:
    """The deadlines of a category that sets none (settings CAUNOI_REPORT_*)."""
    from django.conf import settings

    return {
        "ack_hours": settings.CAUNOI_REPORT_ACK_HOURS,
        "urgent_hours": settings.CAUNOI_REPORT_URGENT_HOURS,
        "answer_days": settings.CAUNOI_REPORT_ANSWER_DAYS,
        "answer_days_several": settings.CAUNOI_REPORT_ANSWER_DAYS_SEVERAL,
    }
