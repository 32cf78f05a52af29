"""Facebook Page through the Graph API: POST /{page-id}/feed (or /photos with a cover image)
with the page access token.

Errors (developers.facebook.com/docs/graph-api/guides/error-handling): 190 and 102 = renew the
token; 4, 17, 32, 613, 80001 (and 341, 368) = throttled, wait; 10 and 200–299 = permission
removed (disconnected); 100, 506, 1609005 = the content was refused. Usage headers X-App-Usage,
X-Page-Usage and X-Business-Use-Case-Usage say how close the page is to its limit: at 95 % we
stop calling until the platform's estimated time to regain access has passed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from caunoi.channels.connectors.base import (
    Answer,
    ContentRejected,
    CredentialsExpired,
    Disconnected,
    Outcome,
    Posted,
    RetryLater,
    http,
    setting,
)
from caunoi.channels.connectors.content import message_of, post_of
from caunoi.channels.models import Delivery

THROTTLED = frozenset({4, 17, 32, 613, 80001, 341, 368})
RENEW = frozenset({190, 102})
REFUSED = frozenset({100, 506, 1609005})
NEAR_LIMIT = 95  # percent of any usage figure
PAGE_SIZE = 100  # posts per request when looking for an earlier attempt (the Graph maximum)
MAX_PAGES = 20  # at most 2,000 posts since the first attempt are searched
SLACK = timedelta(minutes=10)  # the platform's clock may differ from ours


def base_url() -> str:
    return setting("CAUNOI_FACEBOOK_GRAPH_URL", "https://graph.facebook.com/v21.0")


def post_url(post_id: str) -> str:
    return f"{setting('CAUNOI_FACEBOOK_WEB_URL', 'https://www.facebook.com')}/{post_id}"


def usage_wait(headers: dict[str, str]) -> timedelta | None:
    """How long to keep off the page, from the usage headers; None when there is room."""
    worst = 0.0
    regain = 0.0
    for name in ("x-app-usage", "x-page-usage", "x-ad-account-usage"):
        figures = _json(headers.get(name))
        if isinstance(figures, dict):
            worst = max([worst, *(_number(v) for v in figures.values())])
    buc = _json(headers.get("x-business-use-case-usage"))
    if isinstance(buc, dict):
        for entries in buc.values():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                for key in ("call_count", "total_cputime", "total_time"):
                    worst = max(worst, _number(entry.get(key)))
                regain = max(regain, _number(entry.get("estimated_time_to_regain_access")))
    if regain > 0:
        return timedelta(minutes=regain)
    if worst >= NEAR_LIMIT:
        return timedelta(minutes=max(5.0, 60 * (worst - NEAR_LIMIT) / 5))
    return None


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _raise_for(answer: Answer) -> None:
    wait = usage_wait(answer.headers)
    if answer.status < 400 and not (isinstance(answer.body, dict) and "error" in answer.body):
        return
    error = answer.body.get("error", {}) if isinstance(answer.body, dict) else {}
    code = int(_number(error.get("code"))) if isinstance(error, dict) else 0
    subcode = error.get("error_subcode", "") if isinstance(error, dict) else ""
    text = error.get("message", "") if isinstance(error, dict) else ""
    message = f"Facebook #{code}{f'/{subcode}' if subcode else ''}: {text or answer.text[:200]}"
    if code in RENEW:
        raise CredentialsExpired(message)
    if code in THROTTLED:
        raise RetryLater(message, wait=wait or timedelta(minutes=15))
    if code == 10 or 200 <= code <= 299:
        raise Disconnected(message)
    if code in REFUSED:
        raise ContentRejected(message)
    if answer.status >= 500 or code in {1, 2}:
        raise RetryLater(message, wait=wait)
    raise ContentRejected(message)


class FacebookPage:
    def find(self, delivery: Delivery) -> Outcome | None:
        """The post an earlier attempt made, if the platform has it: every post of the page
        since that attempt (less some slack), following the Graph's paging, is searched for
        the article's address."""
        channel = delivery.channel
        token = channel.secrets().get("page_token", "")
        if not token:
            raise CredentialsExpired("Facebook: no page token saved")
        since = (delivery.first_tried_at or delivery.created_at) - SLACK
        url = f"{base_url()}/{channel.account_id}/feed"
        query: dict[str, str] | None = {
            "fields": "id,message,permalink_url,created_time",
            "since": str(int(since.timestamp())),
            "limit": str(PAGE_SIZE),
            "access_token": token,
        }
        marker = post_of(delivery).url
        for _page in range(MAX_PAGES):
            answer = http("GET", url, query=query)
            _raise_for(answer)
            body = answer.body if isinstance(answer.body, dict) else {}
            for post in body.get("data", []):
                if isinstance(post, dict) and marker in str(post.get("message", "")):
                    found = str(post["id"])
                    return Posted(found, str(post.get("permalink_url") or post_url(found)))
            following = (body.get("paging") or {}).get("next")
            # The next page's address carries the token: follow it only to the Graph itself.
            if not isinstance(following, str) or not following.startswith(base_url() + "/"):
                return None
            url, query = following, None
        raise RetryLater(
            f"Facebook: more than {PAGE_SIZE * MAX_PAGES} posts since the first attempt; "
            "not posting again before they can be searched"
        )

    def send(self, delivery: Delivery) -> Outcome:
        channel = delivery.channel
        token = channel.secrets().get("page_token", "")
        if not token:
            raise CredentialsExpired("Facebook: no page token saved")
        post = post_of(delivery)
        message = message_of(post, reshare=delivery.reshare)
        if post.cover_url:
            answer = http(
                "POST",
                f"{base_url()}/{channel.account_id}/photos",
                form={"url": post.cover_url, "caption": message, "access_token": token},
            )
        else:
            answer = http(
                "POST",
                f"{base_url()}/{channel.account_id}/feed",
                form={"message": message, "link": post.url, "access_token": token},
            )
        _raise_for(answer)
        body = answer.body if isinstance(answer.body, dict) else {}
        post_id = str(body.get("post_id") or body.get("id") or "")
        if not post_id:
            raise RetryLater(f"Facebook answered without a post id: {answer.text[:200]}")
        # Posted; if the page is near its limit, the channel keeps off for a while.
        return Posted(post_id, post_url(post_id), pause=usage_wait(answer.headers))
