"""Zalo OA: create, then verify until the platform has made the article; access tokens are
refreshed ahead of expiry, and since a refresh token works once, never twice at a time."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from caunoi.channels.connectors.zalo import access_token
from caunoi.channels.deliveries import delivery_attempt
from caunoi.channels.models import Channel, ChannelHealth, Delivery, DeliveryStatus
from tests.channels.conftest import due_now, publish, zalo
from tests.channels.platforms import Platform
from tests.conftest import World
from tests.worker import run_worker

D = DeliveryStatus
pytestmark = pytest.mark.django_db(transaction=True)


def test_an_article_is_created_then_verified_until_zalo_gives_its_id(
    world: World, platform: Platform
) -> None:
    oa = zalo(world.commune, platform)
    platform.zalo_polls_needed = 2
    article = publish(world)
    run_worker()

    delivery = Delivery.objects.get(channel=oa)
    assert delivery.status == D.CONFIRMING
    [created] = platform.calls("POST", "/zalo/v2.0/article/create")
    sent = created.json()
    assert sent["title"] == article.title
    assert sent["tracking_link"].endswith(f"/bai/{article.pk}-lich-tiep-cong-dan-thang-12/")
    assert created.headers["access_token"] == "zalo-access-1"

    due_now(delivery)
    delivery_attempt(delivery_id=delivery.pk)  # still processing
    delivery.refresh_from_db()
    assert delivery.status == D.CONFIRMING
    due_now(delivery)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == D.SENT
    assert delivery.external_id.startswith("za")
    assert delivery.attempts == 1  # asking for confirmation is not a new attempt
    assert len(platform.calls("POST", "/zalo/v2.0/article/create")) == 1


def test_a_lost_create_answer_is_found_on_the_platform_instead_of_posting_again(
    world: World, platform: Platform
) -> None:
    oa = zalo(world.commune, platform)
    platform.zalo_polls_needed = 1
    publish(world)
    original = platform.answer

    def lose_create(request):  # type: ignore[no-untyped-def]
        reply = original(request)
        if request.path.endswith("article/create"):
            for made in platform.zalo_articles.values():  # Zalo finishes it meanwhile
                made["id"] = made["id"] or "za-made"
            return 504, {}, {"error": -1, "message": "Gateway timeout"}
        return reply

    platform.answer = lose_create  # type: ignore[method-assign]
    run_worker()
    delivery = Delivery.objects.get(channel=oa)
    assert delivery.status == D.RETRYING

    due_now(delivery)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == D.SENT
    assert delivery.external_id == "za-made"
    assert len(platform.calls("POST", "/zalo/v2.0/article/create")) == 1


def test_an_article_of_the_same_title_is_not_mistaken_for_the_lost_one(
    world: World, platform: Platform
) -> None:
    oa = zalo(world.commune, platform)
    # Last month's "same title" article, and 60 others since: the lost one is further back
    # than one page of the OA's list, and only its tracking link tells it from its namesake.
    article = publish(world)
    platform.zalo_articles["old"] = {
        "title": article.title,
        "tracking_link": "https://example.org/thang-truoc/",
        "id": "za-old",
        "polls": 9,
        "create_date": int(time.time() * 1000),
    }
    original = platform.answer

    def lose_create(request):  # type: ignore[no-untyped-def]
        reply = original(request)
        if request.path.endswith("article/create"):
            for made in list(platform.zalo_articles.values()):
                made["id"] = made["id"] or "za-made"
            for n in range(60):
                platform.zalo_articles[f"later-{n}"] = {
                    "title": f"Tin khác {n}",
                    "tracking_link": f"https://example.org/{n}/",
                    "id": f"za-{n}",
                    "polls": 9,
                    "create_date": int(time.time() * 1000),
                }
            return 504, {}, {"error": -1, "message": "Gateway timeout"}
        return reply

    platform.answer = lose_create  # type: ignore[method-assign]
    run_worker()
    delivery = Delivery.objects.get(channel=oa)
    assert delivery.status == D.RETRYING

    due_now(delivery)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == D.SENT
    assert delivery.external_id == "za-made"
    assert len(platform.calls("POST", "/zalo/v2.0/article/create")) == 1
    assert len(platform.calls("GET", "/zalo/v2.0/article/getslice")) == 2


def test_an_expiring_token_is_refreshed_and_the_new_refresh_token_kept(
    world: World, platform: Platform
) -> None:
    oa = zalo(world.commune, platform)
    Channel.objects.filter(pk=oa.pk).update(token_expires_at=timezone.now() + timedelta(minutes=3))
    platform.zalo_access = "zalo-access-2"  # the platform would refuse the old one anyway

    assert access_token(oa.pk) == platform.zalo_access
    oa.refresh_from_db()
    assert oa.secrets()["refresh_token"] == platform.zalo_refresh
    assert oa.token_expires_at is not None
    assert oa.token_expires_at > timezone.now() + timedelta(hours=24)


def test_a_refused_access_token_is_refreshed_once_and_the_call_repeated(
    world: World, platform: Platform
) -> None:
    oa = zalo(world.commune, platform)
    platform.zalo_access = "rotated-elsewhere"
    publish(world)
    run_worker()
    assert Delivery.objects.get(channel=oa).status == D.CONFIRMING
    assert platform.refreshes == 1


def test_a_used_refresh_token_flags_the_channel_for_new_credentials(
    world: World, platform: Platform
) -> None:
    oa = zalo(world.commune, platform)
    platform.zalo_access = "rotated-elsewhere"
    platform.zalo_refresh = "also-rotated"
    publish(world)
    run_worker()
    oa.refresh_from_db()
    assert oa.health == ChannelHealth.NEEDS_CREDENTIALS
    assert "-14014" in oa.flag_reason
    assert Delivery.objects.get(channel=oa).status == D.NEEDS_CREDENTIALS


def test_two_workers_refreshing_at_once_spend_the_refresh_token_only_once(
    world: World, platform: Platform
) -> None:
    if connection.vendor == "sqlite":
        # The test database is in-memory SQLite, where a second writer is refused at once
        # instead of waiting as it does on the file database caunoi runs on; PostgreSQL runs it.
        pytest.skip("row locks are exercised on PostgreSQL")
    oa = zalo(world.commune, platform)
    Channel.objects.filter(pk=oa.pk).update(token_expires_at=timezone.now())
    platform.refresh_delay = 0.3  # the first refresh is slow; the second worker arrives meanwhile
    got: list[str] = []
    failed: list[BaseException] = []

    def worker() -> None:
        try:
            got.append(access_token(oa.pk))
        except BaseException as error:  # reported below
            failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failed
    assert platform.refreshes == 1
    assert got == ["zalo-access-2", "zalo-access-2"]


def test_a_worker_that_saw_the_old_token_reuses_the_one_another_worker_just_got(
    world: World, platform: Platform
) -> None:
    oa = zalo(world.commune, platform)
    Channel.objects.filter(pk=oa.pk).update(token_expires_at=timezone.now())
    first = access_token(oa.pk)
    # A second worker had read "zalo-access-1" before the refresh and was refused with it.
    second = access_token(oa.pk, stale="zalo-access-1")
    assert first == second == "zalo-access-2"
    assert platform.refreshes == 1
