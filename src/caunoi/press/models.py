"""Outlets and their journalists' work contacts, press briefings (series and occurrences),
what each briefing gave the press, invitations, press releases sent, and coverage."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import Unit, User
from caunoi.publishing.models import Article


class OutletKind(models.TextChoices):
    NEWSPAPER = "newspaper", _("Báo in")
    RADIO = "radio", _("Phát thanh")
    TV = "tv", _("Truyền hình")
    ONLINE = "online", _("Báo điện tử")


class Outlet(models.Model):
    """A press outlet the office works with; units below may use their ancestors' list."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="outlets")
    name = models.CharField(_("tên cơ quan báo chí"), max_length=200)
    kind = models.CharField(_("loại hình"), max_length=20, choices=OutletKind.choices)
    email = models.EmailField(_("e-mail toà soạn"), blank=True)
    phone = models.CharField(_("điện thoại toà soạn"), max_length=40, blank=True)
    website = models.URLField(_("trang web"), blank=True)
    active = models.BooleanField(_("đang liên hệ"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cơ quan báo chí")
        verbose_name_plural = _("cơ quan báo chí")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="press_outlet_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Journalist(models.Model):
    """A journalist's professional contact at an outlet: work e-mail and phone only."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="journalists")
    name = models.CharField(_("họ và tên"), max_length=150)
    work_email = models.EmailField(_("e-mail công việc"), blank=True)
    work_phone = models.CharField(_("điện thoại công việc"), max_length=40, blank=True)
    beat = models.CharField(_("lĩnh vực theo dõi"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("phóng viên")
        verbose_name_plural = _("phóng viên")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BriefingSeries(models.Model):
    """A recurring briefing: an RRULE (RFC 5545) from a start date at a time of day."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="briefing_series")
    title = models.CharField(_("tên buổi giao ban"), max_length=200)
    rule = models.CharField(_("quy tắc lặp (RRULE)"), max_length=300)
    first_day = models.DateField(_("bắt đầu từ ngày"))
    time = models.TimeField(_("giờ bắt đầu"))
    minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"), default=90)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lịch giao ban định kỳ")
        verbose_name_plural = _("lịch giao ban định kỳ")

    def __str__(self) -> str:
        return self.title


class BriefingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    CANCELLED = "cancelled", _("Đã huỷ")


class Briefing(models.Model):
    """One press briefing: an occurrence of a series (possibly moved or cancelled) or a one-off
    urgent one. `sequence` grows with every change the invited outlets must hear about."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="briefings")
    series = models.ForeignKey(
        BriefingSeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="briefings",
    )
    uid = models.CharField(max_length=80, unique=True, default="", editable=False)
    title = models.CharField(_("tên buổi giao ban"), max_length=200)
    starts_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    ends_at = models.DateTimeField(_("kết thúc"))
    # For an occurrence of a series: where the rule put it (the RECURRENCE-ID), moved or not.
    planned_at = models.DateTimeField(_("theo lịch định kỳ"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    urgent = models.BooleanField(_("giao ban đột xuất"), default=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=BriefingStatus.choices,
        default=BriefingStatus.SCHEDULED,
    )
    change_note = models.CharField(_("lý do thay đổi"), max_length=300, blank=True)
    agenda = models.TextField(_("nội dung chương trình"), blank=True)
    speakers = models.TextField(_("người phát biểu, cung cấp thông tin"), blank=True)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("buổi giao ban báo chí")
        verbose_name_plural = _("các buổi giao ban báo chí")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["unit", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} — {self.starts_at:%d/%m/%Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@caunoi"
        super().save(*args, **kwargs)

    @property
    def cancelled(self) -> bool:
        return self.status == BriefingStatus.CANCELLED

    @property
    def moved(self) -> bool:
        return self.planned_at is not None and self.planned_at != self.starts_at


class BriefingItem(models.Model):
    """Information given at a briefing: a published article or press release, or a file."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("tên tài liệu"), max_length=300)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    attachment = models.FileField(_("tệp đính kèm"), upload_to="press/%Y/%m/", blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thông tin cung cấp")
        verbose_name_plural = _("thông tin cung cấp")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """An outlet came to a briefing, with how many of its people."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="attendance")
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+")
    people = models.PositiveSmallIntegerField(_("số người"), default=1)

    class Meta:
        verbose_name = _("cơ quan dự")
        verbose_name_plural = _("cơ quan dự")
        constraints = [
            models.UniqueConstraint(fields=["briefing", "outlet"], name="press_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.outlet} @ {self.briefing_id}"


class InvitationMethod(models.TextChoices):
    REQUEST = "REQUEST", _("Mời / cập nhật")
    CANCEL = "CANCEL", _("Báo huỷ")


class Invitation(models.Model):
    """One e-mail (with its .ics) sent to one outlet about one briefing."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="invitations")
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=10, choices=InvitationMethod.choices)
    sequence = models.PositiveIntegerField()
    recipients = models.TextField(blank=True)  # the addresses, one a line
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy mời")
        verbose_name_plural = _("giấy mời")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.method} {self.outlet} #{self.sequence}"


class ReleaseOutlet(models.Model):
    """An outlet chosen to receive a press release; `sent_at` once the e-mail went out."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    recipients = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("nơi nhận thông cáo")
        verbose_name_plural = _("nơi nhận thông cáo")
        constraints = [
            models.UniqueConstraint(fields=["article", "outlet"], name="press_release_outlet_once")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.outlet}"


class CoverageItem(models.Model):
    """An article the press published after a briefing or a release."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="press_coverage")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="coverage")
    title = models.CharField(_("tiêu đề bài báo"), max_length=300)
    url = models.URLField(_("đường dẫn"), max_length=500)
    published_on = models.DateField(_("ngày đăng"), db_index=True)
    briefing = models.ForeignKey(
        Briefing, on_delete=models.SET_NULL, null=True, blank=True, related_name="coverage"
    )
    release = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bài báo phản ánh")
        verbose_name_plural = _("bài báo phản ánh")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title
