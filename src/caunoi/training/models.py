"""Courses, their sessions (classes) and participants: who should attend (by role or by list),
who attended and who completed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import Unit, User


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    UNIT = "unit", _("Cơ quan, đơn vị")


class Course(models.Model):
    """A training topic a unit runs for the staff of its subtree."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="courses")
    topic = models.CharField(_("chủ đề"), max_length=250)
    description = models.TextField(_("mô tả"), blank=True)
    # Who should attend: everyone holding one of these roles in the subtree, plus `targets`.
    required_roles = models.JSONField(_("vai trò phải dự"), default=list, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khoá tập huấn")
        verbose_name_plural = _("các khoá tập huấn")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.topic


class CourseTarget(models.Model):
    """A person named on a course's list of people who should attend."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="targets")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("người phải dự")
        verbose_name_plural = _("người phải dự")
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="training_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.person}"


class TrainingSession(models.Model):
    """One class of a course: when, where, who teaches, at which level."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="training_sessions")
    level = models.CharField(_("cấp tổ chức"), max_length=20, choices=Level.choices)
    starts_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    ends_at = models.DateTimeField(_("kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    trainer = models.CharField(_("giảng viên, báo cáo viên"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("các lớp tập huấn")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} — {self.starts_at:%d/%m/%Y}"


class Participant(models.Model):
    """A member of staff registered for a session; attended and completed are recorded after."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(_("có mặt"), default=False)
    completed = models.BooleanField(_("hoàn thành"), default=False)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("học viên")
        verbose_name_plural = _("học viên")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session_id}"

    @property
    def certificate_number(self) -> str:
        return f"{self.session_id:04d}/{self.pk:05d}/GCN-TH"
