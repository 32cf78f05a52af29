"""Who may post through Open311 (API keys) and which unit answers for a jurisdiction_id."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import Unit


class ApiKey(models.Model):
    """A key a 311 app sends as api_key. Only its SHA-256 is kept; the key is shown once.

    A key belongs to a unit and may file reports anywhere in that unit's subtree."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="open311_keys")
    name = models.CharField(_("tên gợi nhớ"), max_length=120)
    prefix = models.CharField(_("đầu khóa"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa Open311")
        verbose_name_plural = _("khóa Open311")
        ordering = ["unit__path", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Jurisdiction(models.Model):
    """A unit's own domain, which Open311 clients send as jurisdiction_id."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="open311_jurisdiction")
    domain = models.CharField(
        _("tên miền"),
        max_length=253,
        unique=True,
        help_text=_(
            "Tên miền của đơn vị, ví dụ xadong.gov.vn; ứng dụng 311 gửi nó làm jurisdiction_id."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vùng tiếp nhận Open311")
        verbose_name_plural = _("vùng tiếp nhận Open311")
        ordering = ["domain"]

    def __str__(self) -> str:
        return f"{self.domain} → {self.unit}"


class Submission(models.Model):
    """Which key brought a report in, and the media_url it sent. The link is shown to handlers;
    it is published (in the API's media_url and on the tracking page, as a link) only once a
    handler has opened it and chosen to, since it may lead to a person's own account elsewhere
    or show a face."""

    report = models.OneToOneField(
        "feedback.Report", on_delete=models.CASCADE, related_name="open311_submission"
    )
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.SET_NULL, null=True, related_name="submissions"
    )
    media_url = models.URLField(_("đường dẫn ảnh"), max_length=2000, blank=True)
    # A database default too, so a faster intake writing rows in SQL need not know this field.
    media_public = models.BooleanField(
        _("công khai đường dẫn ảnh"), default=False, db_default=False
    )

    class Meta:
        verbose_name = _("phản ánh qua Open311")
        verbose_name_plural = _("phản ánh qua Open311")

    def __str__(self) -> str:
        return f"{self.report} via {self.api_key}"
