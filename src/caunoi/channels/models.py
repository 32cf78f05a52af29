from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import Unit


class ChannelKind(models.TextChoices):
    PORTAL = "portal", _("Trang thông tin điện tử")
    FEED = "feed", _("RSS/Atom")
    EMAIL = "email", _("Bản tin thư điện tử")
    WEBHOOK = "webhook", _("Webhook")
    FACEBOOK = "facebook", _("Trang Facebook")
    ZALO = "zalo", _("Zalo OA")
    YOUTUBE = "youtube", _("YouTube")
    BROADCAST = "broadcast", _("Phát thanh, truyền hình")


class Channel(models.Model):
    """An official channel a unit publishes on."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("loại kênh"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("tên kênh"), max_length=200)
    url = models.URLField(_("địa chỉ"), blank=True)
    followers = models.PositiveIntegerField(_("người theo dõi"), null=True, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kênh")
        verbose_name_plural = _("kênh")
        ordering = ["unit", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
