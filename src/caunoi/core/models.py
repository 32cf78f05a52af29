from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from caunoi.core.text import fold


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh / thành phố")
    DISTRICT = "district", _("Huyện / quận / thị xã")
    COMMUNE = "commune", _("Xã / phường / đặc khu")
    VILLAGE = "village", _("Thôn / bản / tổ dân phố")
    ORGANIZATION = "organization", _("Cơ quan, tổ chức")


class Unit(MP_Node):  # type: ignore[misc]
    """A node of the government tree: an administrative unit or an organization beside one."""

    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    code = models.CharField(
        _("mã chính thức"),
        max_length=40,
        blank=True,
        null=True,
        unique=True,
        help_text=_("Mã đơn vị hành chính chính thức, nếu có."),
    )
    slug = models.SlugField(_("đường dẫn"), max_length=120, allow_unicode=False)
    population = models.PositiveIntegerField(
        _("dân số"),
        null=True,
        blank=True,
        help_text=_("Số dân, nếu biết: báo cáo so sánh theo 1.000 dân."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [models.Index(fields=["slug", "depth"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def is_within(self, other: Unit) -> bool:
        """True when self is other or lies in other's subtree."""
        return str(self.path).startswith(str(other.path))

    def get_portal_url(self) -> str:
        known: str | None = getattr(self, "_portal_url", None)
        if known is None:
            slugs = [a.slug for a in Unit.objects.get_ancestors(self)] + [self.slug]
            known = self._portal_url = "/u/" + "/".join(slugs) + "/"
        return known


class User(AbstractUser):
    """A member of staff. Citizens never need an account."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    language = models.CharField(
        _("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleName(models.TextChoices):
    VIEWER = "viewer", _("Người xem")
    EDITOR = "editor", _("Biên tập")
    APPROVER = "approver", _("Duyệt")
    CASE_HANDLER = "case_handler", _("Xử lý phản ánh")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")


class Role(models.Model):
    """A person's role on a unit; it applies to the unit's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("vai trò"), max_length=20, choices=RoleName.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "name"], name="role_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_name_display()} — {self.unit}"


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly


class AuditLogIsAppendOnly(Exception):
    """The audit log can only grow."""


class AuditEntry(models.Model):
    """One write or one view of personal data. Never edited, never deleted by the app."""

    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=150)
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    object_label = models.CharField(_("đối tượng"), max_length=250, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)

    objects: ClassVar[AuditEntryQuerySet] = AuditEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly


class Notification(models.Model):
    """Something one person should know: shown in the staff screens and sent by e-mail.

    Title and body are written in the recipient's language when the notification is made."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("hành động"), max_length=80)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)  # a path on this site
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.title}"
