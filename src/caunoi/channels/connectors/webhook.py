"""Webhook: one JSON POST per article, signed with HMAC-SHA256 over "<timestamp>.<body>" with
the channel's secret (docs/channels.md shows how a receiver checks it). Every attempt carries
the same Idempotency-Key, so a receiver that keeps the keys it has seen never posts twice.

2xx = received; 401/403 = secret refused (renew credentials); 404/410 = gone (disconnected);
400/413/415/422 = content refused; 408/409/425/429/5xx and network errors = try later
(Retry-After respected)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

from caunoi.channels.connectors.base import (
    ContentRejected,
    CredentialsExpired,
    Disconnected,
    Outcome,
    Posted,
    RetryLater,
    http,
)
from caunoi.channels.connectors.content import post_of
from caunoi.channels.models import Delivery

SIGNATURE_HEADER = "X-Caunoi-Signature"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int | None = None) -> bool:
    """What a receiver does: recompute and compare, refusing old timestamps (replays)."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else int(time.time())) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, timestamp, body)
    return hmac.compare_digest(expected, f"t={timestamp},v1={fields.get('v1', '')}")


def payload_of(delivery: Delivery) -> dict[str, Any]:
    post = post_of(delivery)
    article = delivery.article
    return {
        "id": delivery.key,
        "event": "article.published",
        "reshare": delivery.reshare,
        "unit": delivery.unit.name,
        "article": {
            "id": article.pk,
            "kind": article.kind,
            "title": post.title,
            "summary": post.summary,
            "body_html": post.body_html,
            "url": post.url,
            "source_unit": post.source,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "cover_url": post.cover_url or None,
        },
    }


def _retry_after(headers: dict[str, str]) -> timedelta | None:
    try:
        return timedelta(seconds=int(headers.get("retry-after", "")))
    except ValueError:
        return None


class Webhook:
    def find(self, delivery: Delivery) -> Outcome | None:
        # A receiver cannot be asked what it has; the idempotency key does that work.
        return None

    def send(self, delivery: Delivery) -> Outcome:
        secret = delivery.channel.secrets().get("signing_secret", "")
        if not secret:
            raise CredentialsExpired("webhook: no signing secret saved")
        body = json.dumps(payload_of(delivery), ensure_ascii=False, sort_keys=True).encode()
        answer = http(
            "POST",
            delivery.channel.endpoint,
            raw=body,
            headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(secret, int(time.time()), body),
                "Idempotency-Key": delivery.key,
                "X-Caunoi-Delivery": delivery.key,
            },
        )
        message = f"webhook HTTP {answer.status}: {answer.text[:200]}"
        if 200 <= answer.status < 300:
            body_json = answer.body if isinstance(answer.body, dict) else {}
            return Posted(str(body_json.get("id", "")), str(body_json.get("url", "")))
        if answer.status in {401, 403}:
            raise CredentialsExpired(message)
        if answer.status in {404, 410}:
            raise Disconnected(message)
        if answer.status in {400, 413, 415, 422}:
            raise ContentRejected(message)
        raise RetryLater(message, wait=_retry_after(answer.headers))
