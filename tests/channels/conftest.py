from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from caunoi.channels.models import Channel, ChannelKind, Delivery
from caunoi.core.models import RoleName, Unit, User
from caunoi.publishing import services as publishing
from caunoi.publishing.models import Article
from tests.channels.platforms import Platform
from tests.channels.platforms import platform as platform  # the fixture
from tests.conftest import World, make_person


def staff(username: str, unit: Unit, role: str, language: str = "vi") -> User:
    person = make_person(username, unit, role)
    person.email = f"{username}@example.gov.vn"
    person.language = language
    person.save()
    return person


def facebook(unit: Unit, platform: Platform, **fields: Any) -> Channel:
    channel = Channel(
        unit=unit, kind=ChannelKind.FACEBOOK, name="Trang Xã Đông", account_id="55501", **fields
    )
    channel.set_secrets({"page_token": platform.page_token})
    channel.save()
    return channel


def zalo(unit: Unit, platform: Platform) -> Channel:
    channel = Channel(
        unit=unit, kind=ChannelKind.ZALO, name="Xã Đông OA", account_id="4001", app_id="app-9"
    )
    channel.set_secrets(
        {
            "access_token": platform.zalo_access,
            "refresh_token": platform.zalo_refresh,
            "app_secret": platform.zalo_secret,
        }
    )
    channel.token_expires_at = timezone.now() + timedelta(hours=20)
    channel.save()
    return channel


def webhook(unit: Unit, platform: Platform, path: str = "/hook") -> Channel:
    channel = Channel(
        unit=unit, kind=ChannelKind.WEBHOOK, name="Cổng tỉnh", endpoint=f"{platform.url}{path}"
    )
    channel.set_secrets({"signing_secret": platform.webhook_secret})
    channel.save()
    return channel


def publish(
    world: World, *, title: str = "Lịch tiếp công dân tháng 12", unit: Unit | None = None
) -> Article:
    """Write, approve and publish through the real workflow; commits, so deliveries are made."""
    unit = unit or world.commune
    author = User.objects.filter(username="tac.gia").first() or staff(
        "tac.gia", unit, RoleName.EDITOR
    )
    approver = User.objects.filter(username="duyet").first() or staff(
        "duyet", world.province, RoleName.APPROVER
    )
    article = publishing.article_create(
        unit=unit,
        kind="news",
        title=title,
        summary="Lãnh đạo xã tiếp dân sáng thứ Năm.",
        body="<p>Tại trụ sở Ủy ban nhân dân xã.</p>",
        by=author,
    )
    publishing.article_submit(article=article, by=author)
    publishing.article_approve(article=article, by=approver)
    return publishing.article_publish(article=article, by=approver)


def due_now(delivery: Delivery) -> None:
    """Time passes: the delivery's next try (and any pause of its channel) is now."""
    past = timezone.now() - timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(next_try_at=past)
    Channel.objects.filter(pk=delivery.channel_id).update(paused_until=None)


@pytest.fixture
def admin_mail(world: World) -> User:
    return staff("quantri.xa", world.commune, RoleName.UNIT_ADMIN)
