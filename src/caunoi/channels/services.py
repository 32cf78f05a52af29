"""Registering a unit's channels, and the newsletter's subscribers. Credentials are kept
encrypted and never given back: a form only says whether each is set, and may replace it."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.channels.deliveries import deliveries_resume
from caunoi.channels.models import BUILT_IN, Channel, ChannelHealth, ChannelKind, Subscriber
from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, require
from caunoi.core.tasks import enqueue_on_commit

K = ChannelKind
# The secrets each kind needs, in the order the form asks for them.
SECRETS: dict[str, tuple[str, ...]] = {
    K.FACEBOOK: ("page_token",),
    K.ZALO: ("app_secret", "access_token", "refresh_token"),
    K.WEBHOOK: ("signing_secret",),
}
UNCONFIRMED_FOR = timedelta(days=7)


class ChannelError(CaunoiError):
    pass


def channels_ensure_built_in(*, unit: Unit) -> None:
    """Every unit has its portal page and its feeds, registered or not."""
    have = set(Channel.objects.filter(unit=unit, kind__in=BUILT_IN).values_list("kind", flat=True))
    names = {K.PORTAL: _("Trang thông tin %(unit)s"), K.FEED: _("RSS/Atom %(unit)s")}
    Channel.objects.bulk_create(
        Channel(unit=unit, kind=kind, name=names[kind] % {"unit": unit.name})
        for kind in (K.PORTAL, K.FEED)
        if kind not in have
    )


def _check(
    *,
    kind: str,
    name: str,
    url: str,
    account_id: str,
    app_id: str,
    endpoint: str,
    secrets: dict[str, str],
) -> None:
    if not name:
        raise ChannelError(_("Tên kênh không được để trống."))
    if url and urlsplit(url).scheme not in {"http", "https"}:
        raise ChannelError(_("Địa chỉ kênh phải bắt đầu bằng http:// hoặc https://."))
    if kind == K.WEBHOOK:
        parts = urlsplit(endpoint)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ChannelError(
                _(
                    "Địa chỉ webhook phải là một địa chỉ http:// hoặc https:// đầy đủ, "
                    "ví dụ https://example.gov.vn/caunoi-webhook."
                )
            )
    if kind in {K.FACEBOOK, K.ZALO} and not account_id:
        raise ChannelError(_("Nhập mã trang Facebook hoặc mã Zalo OA của kênh."))
    if kind == K.ZALO and not app_id:
        raise ChannelError(_("Nhập mã ứng dụng Zalo (app id) dùng để làm mới mã truy cập."))
    missing = [key for key in SECRETS.get(kind, ()) if not secrets.get(key)]
    if missing:
        raise ChannelError(
            _("Còn thiếu thông tin đăng nhập: %(fields)s.")
            % {"fields": ", ".join(SECRET_LABELS[key] for key in missing)}
        )


SECRET_LABELS = {
    "page_token": "page access token",
    "app_secret": "app secret key",
    "access_token": "access token",
    "refresh_token": "refresh token",
    "signing_secret": "signing secret",
}


@transaction.atomic
def channel_create(
    *,
    unit: Unit,
    kind: str,
    name: str,
    by: User,
    url: str = "",
    account_id: str = "",
    app_id: str = "",
    endpoint: str = "",
    followers: int | None = None,
    secrets: dict[str, str] | None = None,
) -> Channel:
    require(by, Action.CHANNEL_MANAGE, unit)
    if kind not in K.values:
        raise ChannelError(_("Loại kênh không hợp lệ."))
    if kind in BUILT_IN:
        raise ChannelError(_("Trang thông tin và RSS/Atom đơn vị nào cũng có sẵn."))
    secrets = {k: v.strip() for k, v in (secrets or {}).items() if k in SECRETS.get(kind, ())}
    name, endpoint = " ".join(name.split()), endpoint.strip()
    _check(
        kind=kind,
        name=name,
        url=url,
        account_id=account_id.strip(),
        app_id=app_id.strip(),
        endpoint=endpoint,
        secrets=secrets,
    )
    channel = Channel(
        unit=unit,
        kind=kind,
        name=name,
        url=url,
        account_id=account_id.strip(),
        app_id=app_id.strip(),
        endpoint=endpoint,
        followers=followers,
    )
    channel.set_secrets(secrets)
    channel.save()
    audit.record(
        "caunoi.channel.created",
        actor=by,
        unit=unit,
        obj=channel,
        changes={
            "kind": [None, kind],
            "name": [None, name],
            "credentials": [None, sorted(secrets)],
        },
    )
    return channel


@transaction.atomic
def channel_update(
    *,
    channel: Channel,
    by: User,
    name: str,
    active: bool,
    url: str = "",
    account_id: str = "",
    app_id: str = "",
    endpoint: str = "",
    followers: int | None = None,
    secrets: dict[str, str] | None = None,
) -> Channel:
    """Change a channel. A secret left empty keeps the saved one; a new one replaces it, and
    a channel flagged for credentials or disconnection is cleared and sends what it held."""
    require(by, Action.CHANNEL_MANAGE, channel.unit)
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if channel.built_in and not active:
        raise ChannelError(_("Trang thông tin và RSS/Atom luôn hoạt động, không tắt được."))
    fresh = {
        k: v.strip() for k, v in (secrets or {}).items() if v and k in SECRETS.get(channel.kind, ())
    }
    merged = {**channel.secrets(), **fresh}
    name, endpoint = " ".join(name.split()), endpoint.strip()
    _check(
        kind=channel.kind,
        name=name,
        url=url,
        account_id=account_id.strip(),
        app_id=app_id.strip(),
        endpoint=endpoint,
        secrets=merged,
    )
    before = {
        "name": channel.name,
        "url": channel.url,
        "active": channel.active,
        "account_id": channel.account_id,
        "app_id": channel.app_id,
        "endpoint": channel.endpoint,
        "followers": channel.followers,
    }
    channel.name, channel.url, channel.active = name, url, active
    channel.account_id, channel.app_id, channel.endpoint = (
        account_id.strip(),
        app_id.strip(),
        endpoint,
    )
    channel.followers = followers
    changes = audit.diff(
        before,
        {
            "name": channel.name,
            "url": channel.url,
            "active": channel.active,
            "account_id": channel.account_id,
            "app_id": channel.app_id,
            "endpoint": channel.endpoint,
            "followers": channel.followers,
        },
    )
    reconnect = bool(fresh) or (changes and channel.health == ChannelHealth.DISCONNECTED)
    if fresh:
        channel.set_secrets(merged)
        if "access_token" in fresh:
            channel.token_expires_at = None
        changes["credentials"] = ["…", sorted(fresh)]  # which were replaced, never the values
    if reconnect and channel.health != ChannelHealth.OK:
        changes["health"] = [channel.health, ChannelHealth.OK]
        channel.health, channel.flagged_at, channel.flag_reason = ChannelHealth.OK, None, ""
        channel.paused_until = None
    channel.save()
    if changes:
        audit.record(
            "caunoi.channel.updated", actor=by, unit=channel.unit, obj=channel, changes=changes
        )
    if "health" in changes and channel.active:
        deliveries_resume(channel=channel)
    return channel


# --- newsletter subscribers ---------------------------------------------------------------------


def newsletter_of(unit: Unit) -> Channel | None:
    found: Channel | None = (
        Channel.objects.filter(unit=unit, kind=K.EMAIL, active=True).order_by("pk").first()
    )
    return found


@transaction.atomic
def newsletter_subscribe(*, channel: Channel, email: str) -> Subscriber | None:
    """Double opt-in: a confirmation mail goes out; nothing is sent before it is confirmed.

    Answers the same whether or not the address was already there (no one can probe who reads
    the newsletter). Unconfirmed requests older than a week are forgotten."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ChannelError(_("Địa chỉ thư điện tử chưa đúng, ví dụ ten@example.com.")) from None
    Subscriber.objects.filter(
        confirmed_at__isnull=True, created_at__lt=timezone.now() - UNCONFIRMED_FOR
    ).delete()
    subscriber, created = Subscriber.objects.get_or_create(channel=channel, email=email.lower())
    if subscriber.confirmed_at is not None:
        return None
    from caunoi.channels.tasks import send_confirmation

    enqueue_on_commit(send_confirmation, subscriber.pk)
    if created:
        audit.record(
            "caunoi.newsletter.requested",
            actor=None,
            unit=channel.unit,
            changes={"channel": [None, channel.pk]},
        )
    return subscriber


@transaction.atomic
def newsletter_confirm(*, token: str) -> Subscriber | None:
    subscriber: Subscriber | None = (
        Subscriber.objects.select_for_update()
        .select_related("channel__unit")
        .filter(token=token)
        .first()
    )
    if subscriber is None:
        return None
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
        audit.record(
            "caunoi.newsletter.confirmed",
            actor=None,
            unit=subscriber.channel.unit,
            changes={"channel": [None, subscriber.channel_id]},
        )
    return subscriber


@transaction.atomic
def newsletter_unsubscribe(*, token: str) -> bool:
    """One click: the address is erased, not kept as unsubscribed."""
    subscriber = Subscriber.objects.select_related("channel__unit").filter(token=token).first()
    if subscriber is None:
        return False
    unit, channel_id = subscriber.channel.unit, subscriber.channel_id
    subscriber.delete()
    audit.record(
        "caunoi.newsletter.unsubscribed",
        actor=None,
        unit=unit,
        changes={"channel": [channel_id, None]},
    )
    return True
