"""Zalo Official Account articles: POST v2.0/article/create answers a token at once; the
article is made asynchronously and v2.0/article/verify with that token gives its id when
ready. Access tokens live about 25 hours; each refresh token works once, so refreshing is
serialized on the channel's row (select_for_update; SQLite's IMMEDIATE transactions serialize
writers the same way): the first worker refreshes, the others wait and reuse its token.

Error codes handled (the OA API's "error" field): -216 and -124 access token invalid or
expired (refresh once, then renew credentials); -14014 and other -14xxx from the OAuth server
(refresh token refused: renew credentials); -32 and -211 (too many requests, quota): wait;
-201 and -210 (parameters refused): content rejected; -224 and -230 (OA not allowed to post
articles): disconnected."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from caunoi.channels.connectors.base import (
    Answer,
    ContentRejected,
    CredentialsExpired,
    Disconnected,
    Outcome,
    Pending,
    Posted,
    RetryLater,
    http,
    setting,
)
from caunoi.channels.connectors.content import Post, post_of
from caunoi.channels.models import Channel, Delivery

TOKEN_INVALID = frozenset({-216, -124})
THROTTLED = frozenset({-32, -211})
REFUSED = frozenset({-201, -210})
NOT_ALLOWED = frozenset({-224, -230})
REFRESH_AHEAD = timedelta(minutes=10)
VERIFY_AFTER = timedelta(seconds=30)


def openapi_url() -> str:
    return setting("CAUNOI_ZALO_OPENAPI_URL", "https://openapi.zalo.me")


def oauth_url() -> str:
    return setting("CAUNOI_ZALO_OAUTH_URL", "https://oauth.zaloapp.com")


def _due(channel: Channel, stale: str) -> bool:
    token = channel.secrets().get("access_token", "")
    if not token or (stale and token == stale):
        return True
    expires = channel.token_expires_at
    return expires is not None and expires <= timezone.now() + REFRESH_AHEAD


def access_token(channel_id: int, *, stale: str = "") -> str:
    """A usable access token. `stale` is one the platform just refused."""
    channel = Channel.objects.get(pk=channel_id)
    if not _due(channel, stale):
        return channel.secrets()["access_token"]
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel_id)
        if not _due(channel, stale):
            return channel.secrets()["access_token"]  # another worker refreshed meanwhile
        secrets = channel.secrets()
        if not secrets.get("refresh_token") or not secrets.get("app_secret"):
            raise CredentialsExpired("Zalo: no refresh token or app secret saved")
        answer = http(
            "POST",
            f"{oauth_url()}/v4/oa/access_token",
            form={
                "refresh_token": secrets["refresh_token"],
                "app_id": channel.app_id,
                "grant_type": "refresh_token",
            },
            headers={"secret_key": secrets["app_secret"]},
        )
        body = answer.body if isinstance(answer.body, dict) else {}
        if not body.get("access_token") or not body.get("refresh_token"):
            code = body.get("error", answer.status)
            described = body.get("error_description") or body.get("error_name") or answer.text
            message = f"Zalo OAuth {code}: {str(described)[:200]}"
            if answer.status >= 500:
                raise RetryLater(message)
            raise CredentialsExpired(message)
        secrets.update(access_token=body["access_token"], refresh_token=body["refresh_token"])
        channel.set_secrets(secrets)
        seconds = int(body.get("expires_in") or 90_000)
        channel.token_expires_at = timezone.now() + timedelta(seconds=seconds)
        channel.save(update_fields=["credentials", "token_expires_at"])
        return str(body["access_token"])


def _check(answer: Answer, what: str) -> dict[str, Any]:
    body = answer.body if isinstance(answer.body, dict) else {}
    code = int(body.get("error", 0) or 0) if body else (0 if answer.status < 400 else -1)
    if code == 0 and answer.status < 400:
        data = body.get("data")
        return data if isinstance(data, dict) else {}
    message = f"Zalo {what} {code}: {body.get('message') or answer.text[:200]}"
    if code in TOKEN_INVALID:
        raise _TokenRefused(message)
    if code in THROTTLED or answer.status == 429:
        raise RetryLater(message, wait=timedelta(minutes=10))
    if code in REFUSED:
        raise ContentRejected(message)
    if code in NOT_ALLOWED:
        raise Disconnected(message)
    raise RetryLater(message)


class _TokenRefused(CredentialsExpired):
    pass


def _call(channel: Channel, method: str, path: str, **options: Any) -> dict[str, Any]:
    """One OA API call; a refused access token is refreshed once and the call repeated."""
    token = access_token(channel.pk)
    url = f"{openapi_url()}/v2.0/{path}"
    try:
        return _check(http(method, url, headers={"access_token": token}, **options), path)
    except _TokenRefused:
        token = access_token(channel.pk, stale=token)
        return _check(http(method, url, headers={"access_token": token}, **options), path)


def _article(post: Post, reshare: bool) -> dict[str, Any]:
    description = post.summary or post.body_text
    body = [{"type": "text", "content": post.body_html or post.summary or post.title}]
    if reshare:
        body.append({"type": "text", "content": f"Nguồn: {post.source}"})
    article: dict[str, Any] = {
        "type": "normal",
        "title": post.title[:150],
        "author": post.source[:50],
        "description": description[:300],
        "body": body,
        "tracking_link": post.url,
        "status": "show",
        "comment": "show",
    }
    if post.cover_url:
        article["cover"] = {"cover_type": "photo", "photo_url": post.cover_url, "status": "show"}
    return article


SLICE = 50  # articles per getslice page
SLICE_PAGES = 20
SLACK = timedelta(minutes=10)  # the platform's clock may differ from ours


class ZaloOA:
    def find(self, delivery: Delivery) -> Outcome | None:
        token = delivery.progress.get("zalo_token")
        if token:
            data = _call(delivery.channel, "POST", "article/verify", payload={"token": token})
            if data.get("id"):
                return Posted(str(data["id"]), str(data.get("link") or ""))
            return Pending(VERIFY_AFTER, note="Zalo is still making the article")
        return self._made_earlier(delivery)

    def _made_earlier(self, delivery: Delivery) -> Outcome | None:
        """An earlier create whose answer was lost: the OA's articles, newest first, page by
        page, back to the first attempt; one with our title is ours only if its details carry
        our article's address as tracking_link (titles repeat: "Lịch tiếp công dân")."""
        since_ms = int(((delivery.first_tried_at or delivery.created_at) - SLACK).timestamp())
        since_ms *= 1000
        title, url = delivery.article.title[:150], post_of(delivery).url
        for page in range(SLICE_PAGES):
            data = _call(
                delivery.channel,
                "GET",
                "article/getslice",
                query={"offset": str(page * SLICE), "limit": str(SLICE), "type": "normal"},
            )
            medias = [m for m in data.get("medias", []) if isinstance(m, dict)]
            for media in medias:
                if media.get("title") == title and media.get("id"):
                    detail = _call(
                        delivery.channel, "GET", "article/getdetail", query={"id": str(media["id"])}
                    )
                    if detail.get("tracking_link") == url:
                        return Posted(
                            str(media["id"]), str(media.get("link") or detail.get("link") or "")
                        )
            created = [int(m.get("create_date") or 0) for m in medias]
            if len(medias) < SLICE or (created and min(created) < since_ms):
                return None
        raise RetryLater(
            f"Zalo: more than {SLICE * SLICE_PAGES} articles since the first attempt; "
            "not creating again before they can be searched"
        )

    def send(self, delivery: Delivery) -> Outcome:
        data = _call(
            delivery.channel,
            "POST",
            "article/create",
            payload=_article(post_of(delivery), delivery.reshare),
        )
        token = data.get("token")
        if not token:
            raise RetryLater("Zalo article/create answered without a token")
        delivery.progress["zalo_token"] = str(token)
        Delivery.objects.filter(pk=delivery.pk).update(progress=delivery.progress)
        return Pending(VERIFY_AFTER, note="Zalo is making the article")
