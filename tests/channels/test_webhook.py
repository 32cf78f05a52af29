"""Webhooks: signed JSON a receiver can verify, the same idempotency key on every attempt, and
HTTP answers classified."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from caunoi.channels.connectors.webhook import sign, verify
from caunoi.channels.deliveries import delivery_attempt
from caunoi.channels.models import ChannelHealth, Delivery, DeliveryStatus
from tests.channels.conftest import due_now, publish, webhook
from tests.channels.platforms import Platform
from tests.conftest import World
from tests.worker import run_worker

D = DeliveryStatus


@pytest.mark.django_db(transaction=True)
def test_the_receiver_can_verify_the_signature_and_read_the_article(
    world: World, platform: Platform
) -> None:
    channel = webhook(world.commune, platform)
    article = publish(world)
    run_worker()

    [request] = platform.calls("POST", "/hook")
    header = request.headers["x-caunoi-signature"]
    timestamp, digest = (part.split("=", 1)[1] for part in header.split(","))
    # What docs/channels.md tells a receiver to do, written out by hand:
    expected = hmac.new(b"whsec-1", f"{timestamp}.".encode() + request.body, hashlib.sha256)
    assert hmac.compare_digest(digest, expected.hexdigest())
    assert abs(int(timestamp) - time.time()) < 60
    payload = json.loads(request.body)
    delivery = Delivery.objects.get(channel=channel)
    assert payload["id"] == delivery.key == request.headers["idempotency-key"]
    assert payload["event"] == "article.published"
    assert payload["article"]["title"] == article.title
    assert payload["article"]["url"].startswith(
        "https://caunoi.example.gov.vn/u/tinh-thu/xa-dong/bai/"
    )
    assert delivery.status == D.SENT


def test_a_signature_with_another_secret_an_altered_body_or_an_old_timestamp_fails() -> None:
    body = b'{"id": "x"}'
    now = int(time.time())
    header = sign("whsec-1", now, body)
    assert verify("whsec-1", header, body)
    assert not verify("another", header, body)
    assert not verify("whsec-1", header, body + b" ")
    assert not verify("whsec-1", sign("whsec-1", now - 3600, body), body)
    assert not verify("whsec-1", "garbage", body)


@pytest.mark.django_db(transaction=True)
def test_a_retry_sends_the_same_key_so_the_receiver_keeps_one_copy(
    world: World, platform: Platform
) -> None:
    channel = webhook(world.commune, platform)
    platform.force("/hook", (503, {"Retry-After": "120"}, {"error": "busy"}))
    publish(world)
    run_worker()
    delivery = Delivery.objects.get(channel=channel)
    assert delivery.status == D.RETRYING
    assert "503" in delivery.last_error

    due_now(delivery)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == D.SENT
    keys = [r.headers["idempotency-key"] for r in platform.calls("POST", "/hook")]
    assert keys == [delivery.key, delivery.key]
    assert list(platform.webhook_seen) == [delivery.key]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("status", "delivery_status", "health"),
    [
        (401, D.NEEDS_CREDENTIALS, ChannelHealth.NEEDS_CREDENTIALS),
        (410, D.DISCONNECTED, ChannelHealth.DISCONNECTED),
        (422, D.REJECTED, ChannelHealth.OK),
    ],
)
def test_receiver_answers_are_classified(
    world: World, platform: Platform, status: int, delivery_status: str, health: str
) -> None:
    channel = webhook(world.commune, platform)
    platform.force("/hook", (status, {}, {"error": "no"}))
    publish(world)
    run_worker()
    channel.refresh_from_db()
    assert Delivery.objects.get(channel=channel).status == delivery_status
    assert channel.health == health
