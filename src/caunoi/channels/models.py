from __future__ import annotations

import json
import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.crypto import EncryptedTextField
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


# Served by caunoi itself: every unit has them, they cannot be switched off.
BUILT_IN = frozenset({ChannelKind.PORTAL, ChannelKind.FEED})


class ChannelHealth(models.TextChoices):
    OK = "ok", _("Hoạt động")
    NEEDS_CREDENTIALS = "needs_credentials", _("Cần cấp lại thông tin đăng nhập")
    DISCONNECTED = "disconnected", _("Mất kết nối")


class Channel(models.Model):
    """An official channel a unit publishes on."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("loại kênh"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("tên kênh"), max_length=200)
    url = models.URLField(_("địa chỉ"), blank=True)
    followers = models.PositiveIntegerField(_("người theo dõi"), null=True, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where to post: a Facebook page id, a Zalo OA id; the Zalo app id; a webhook's address.
    account_id = models.CharField(_("mã trang / OA"), max_length=100, blank=True)
    app_id = models.CharField(_("mã ứng dụng"), max_length=100, blank=True)
    endpoint = models.CharField(_("địa chỉ nhận (webhook)"), max_length=500, blank=True)
    # Tokens and secrets as one JSON object, encrypted at rest; never shown after saving.
    credentials = EncryptedTextField(blank=True, default="")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    health = models.CharField(
        _("tình trạng"), max_length=20, choices=ChannelHealth.choices, default=ChannelHealth.OK
    )
    flagged_at = models.DateTimeField(_("gắn cờ lúc"), null=True, blank=True)
    flag_reason = models.TextField(_("lý do"), blank=True)
    # A platform asked us to slow down (throttling codes, usage headers): no call before this.
    paused_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kênh")
        verbose_name_plural = _("kênh")
        ordering = ["unit", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def secrets(self) -> dict[str, str]:
        if not self.credentials:
            return {}
        found: dict[str, str] = json.loads(self.credentials)
        return found

    def set_secrets(self, values: dict[str, str]) -> None:
        kept = {key: value for key, value in values.items() if value}
        self.credentials = json.dumps(kept, sort_keys=True) if kept else ""

    @property
    def built_in(self) -> bool:
        return self.kind in BUILT_IN


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    CONFIRMING = "confirming", _("Chờ nền tảng xác nhận")
    RETRYING = "retrying", _("Sẽ thử lại")
    SENT = "sent", _("Đã gửi")
    AWAITING_ENTRY = "awaiting_entry", _("Chờ cán bộ ghi lịch phát")
    NEEDS_CREDENTIALS = "needs_credentials", _("Cần cấp lại thông tin đăng nhập")
    REJECTED = "rejected", _("Nền tảng từ chối nội dung")
    DISCONNECTED = "disconnected", _("Kênh mất kết nối")
    FAILED = "failed", _("Thất bại sau nhiều lần thử")
    CANCELLED = "cancelled", _("Đã huỷ (bài đã gỡ)")


# Deliveries a person may send again with the retry button.
RETRYABLE = frozenset(
    {
        DeliveryStatus.RETRYING,
        DeliveryStatus.NEEDS_CREDENTIALS,
        DeliveryStatus.REJECTED,
        DeliveryStatus.DISCONNECTED,
        DeliveryStatus.FAILED,
    }
)
# Deliveries the worker still owes an attempt.
OPEN = frozenset(
    {
        DeliveryStatus.PENDING,
        DeliveryStatus.SENDING,
        DeliveryStatus.CONFIRMING,
        DeliveryStatus.RETRYING,
    }
)


class ErrorKind(models.TextChoices):
    RETRY = "retry", _("Tạm thời, sẽ thử lại")
    CREDENTIALS = "credentials", _("Cần cấp lại thông tin đăng nhập")
    REJECTED = "rejected", _("Nội dung bị từ chối")
    DISCONNECTED = "disconnected", _("Kênh mất kết nối")


def _new_key() -> str:
    return uuid.uuid4().hex


class Delivery(models.Model):
    """One article on one channel: its attempts and what the platform answered."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    article = models.ForeignKey(
        "publishing.Article", on_delete=models.CASCADE, related_name="deliveries"
    )
    # The unit whose channel carries it; differs from the article's unit for a re-share.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    reshare = models.BooleanField(_("chia sẻ lại"), default=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    next_try_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    # Sent with every attempt (idempotency key) and written into the post where the platform
    # allows it, so a retry can find an earlier attempt that did reach the platform.
    key = models.CharField(max_length=32, default=_new_key, unique=True, editable=False)
    external_id = models.CharField(_("mã trên nền tảng"), max_length=200, blank=True)
    external_url = models.URLField(_("đường dẫn trên nền tảng"), max_length=500, blank=True)
    error_kind = models.CharField(
        _("loại lỗi"), max_length=20, choices=ErrorKind.choices, blank=True
    )
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    # Connector state between attempts: a Zalo create token, newsletter recipients done…
    progress = models.JSONField(default=dict, blank=True)
    # Broadcast: the programme log entry staff type in.
    programme = models.CharField(_("chương trình"), max_length=300, blank=True)
    aired_at = models.DateTimeField(_("phát lúc"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    first_tried_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lượt đăng lên kênh")
        verbose_name_plural = _("các lượt đăng lên kênh")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "article"], name="delivery_once_per_channel")
        ]
        indexes = [models.Index(fields=["unit", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.channel}"


def _subscriber_token() -> str:
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    """A person who asked for a unit's newsletter: only the address they chose, nothing else.

    Unconfirmed rows expire; unsubscribing deletes the row."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(_("thư điện tử"))
    token = models.CharField(max_length=64, unique=True, default=_subscriber_token)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("người nhận bản tin")
        verbose_name_plural = _("người nhận bản tin")
        constraints = [models.UniqueConstraint(fields=["channel", "email"], name="subscriber_once")]

    def __str__(self) -> str:
        return f"subscriber {self.pk}"
