"""A small client for Facebook's Graph API insights, written against (base URL, page id, page
token) so the tests can point it at a local server that answers as Graph documents:

    GET {base}/{page-id}/insights?metric=a,b&period=day&since=…&until=…
    GET {base}/{page-id}/posts?fields=…&since=…&until=…
    GET {base}/{post-id}/insights?metric=a,b

The base URL carries the API version and is the one the channels' Facebook connector uses
(CAUNOI_FACEBOOK_GRAPH_URL, default https://graph.facebook.com/v21.0).

A metric Graph no longer knows fails the whole request with error code 100; `insights` then
drops that metric, records it, and asks again for the others."""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings

DEFAULT_BASE_URL = "https://graph.facebook.com/v21.0"
TIMEOUT = 20


def base_url() -> str:
    configured = getattr(settings, "CAUNOI_FACEBOOK_GRAPH_URL", None) or os.environ.get(
        "CAUNOI_FACEBOOK_GRAPH_URL", DEFAULT_BASE_URL
    )
    return str(configured).rstrip("/")


class GraphError(Exception):
    def __init__(self, message: str, code: int | None = None, status: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.status = status

    @property
    def invalid_metric(self) -> bool:
        return self.code == 100

    @property
    def needs_new_token(self) -> bool:
        return self.code in (102, 190)

    @property
    def throttled(self) -> bool:
        return self.code in (4, 17, 32, 613, 80001)


@dataclass
class InsightValues:
    """Values of the metrics Graph answered, and the metrics it refused."""

    values: dict[str, list[tuple[date | None, int]]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)


def _total(value: Any) -> int | None:
    """A metric's value: a number, or a breakdown (reactions by type) summed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, dict):
        return sum(int(v) for v in value.values() if isinstance(v, int | float))
    return None


def _day_of(end_time: str | None) -> date | None:
    """A daily value's end_time is the midnight (Pacific time, so 07:00 or 08:00 UTC) that ends
    its day: the value belongs to the day before the end_time's date."""
    if not end_time:
        return None
    return datetime.strptime(end_time[:10], "%Y-%m-%d").date() - timedelta(days=1)


class GraphClient:
    def __init__(self, *, page_id: str, token: str, base: str | None = None) -> None:
        self.page_id = page_id
        self.token = token
        self.base = (base or base_url()).rstrip("/")

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        query = urllib.parse.urlencode({**params, "access_token": self.token})
        return self._fetch(f"{self.base}/{path}?{query}")

    def _fetch(self, url: str) -> dict[str, Any]:
        if not url.startswith(self.base + "/"):
            raise GraphError(f"paging link outside {self.base}")
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310 - base URL is ours
                body: dict[str, Any] = json.loads(answer.read().decode("utf-8"))
                return body
        except urllib.error.HTTPError as error:
            raise self._error(error.code, error.read()) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise GraphError(f"cannot reach {self.base}: {error}") from error
        except json.JSONDecodeError as error:
            raise GraphError(f"not JSON from {self.base}") from error

    @staticmethod
    def _error(status: int, body: bytes) -> GraphError:
        try:
            detail = json.loads(body.decode("utf-8")).get("error", {})
        except (ValueError, AttributeError):
            detail = {}
        code = detail.get("code") if isinstance(detail.get("code"), int) else None
        message = str(detail.get("message") or f"HTTP {status}")
        return GraphError(message, code, status)

    def insights(
        self,
        object_id: str,
        metrics: list[str],
        *,
        period: str,
        since: date | None = None,
        until: date | None = None,
    ) -> InsightValues:
        """Values of each metric; a metric Graph refuses (code 100) is dropped, not fatal."""
        result = InsightValues()
        params = {"period": period}
        if since is not None and until is not None:
            params.update(since=since.isoformat(), until=(until + timedelta(days=1)).isoformat())
        pending = list(metrics)
        while pending:
            try:
                self._insights_into(result, object_id, pending, params)
                return result
            except GraphError as error:
                if not error.invalid_metric:
                    raise
                named = [m for m in pending if re.search(rf"\b{re.escape(m)}\b", str(error))]
                if named:
                    bad = named
                elif len(pending) == 1:
                    bad = pending
                else:
                    # Graph did not say which one: ask for each alone to find the refused ones.
                    for metric in pending:
                        try:
                            self._insights_into(result, object_id, [metric], params)
                        except GraphError as single:
                            if not single.invalid_metric:
                                raise
                            result.dropped.append(metric)
                    return result
                result.dropped.extend(bad)
                pending = [m for m in pending if m not in bad]
        return result

    def _insights_into(
        self, result: InsightValues, object_id: str, metrics: list[str], params: dict[str, str]
    ) -> None:
        # One request covers the range asked for (at most 90 days) or a post's lifetime; the
        # paging links Graph adds point at the ranges before and after it, not wanted here.
        answer = self._get(f"{object_id}/insights", {**params, "metric": ",".join(metrics)})
        for item in answer.get("data", []):
            name = str(item.get("name", ""))
            for point in item.get("values", []):
                value = _total(point.get("value"))
                if value is not None:
                    result.values.setdefault(name, []).append(
                        (_day_of(point.get("end_time")), value)
                    )

    def posts(self, *, since: date, until: date) -> list[dict[str, Any]]:
        """The page's own posts published in the range, with their comment and share counts."""
        answer = self._get(
            f"{self.page_id}/posts",
            {
                "fields": "id,created_time,permalink_url,message,shares,"
                "comments.limit(0).summary(true)",
                "since": since.isoformat(),
                "until": (until + timedelta(days=1)).isoformat(),
                "limit": "100",
            },
        )
        posts: list[dict[str, Any]] = []
        while True:
            posts.extend(answer.get("data", []))
            following = (answer.get("paging") or {}).get("next")
            if not following or len(posts) >= 5000:
                return posts
            answer = self._fetch(str(following))
