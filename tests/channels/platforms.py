"""Local stand-ins for the platforms we cannot reach here: an http.server on 127.0.0.1 in a
thread, speaking the documented requests, answers and error codes of the Facebook Graph API
(page feed and photos), the Zalo OA article API and its OAuth refresh, and a webhook receiver
that checks signatures and keeps the idempotency keys it has seen."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from caunoi.channels.connectors.webhook import SIGNATURE_HEADER, verify


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode()))

    def json(self) -> Any:
        return json.loads(self.body or b"null")


Reply = tuple[int, dict[str, str], Any]


def _public(post: dict[str, Any]) -> dict[str, Any]:
    """A stored post as the Graph shows it (created_time like "2026-11-23T10:00:00+0000")."""
    created = time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(post["created"]))
    return {**{k: v for k, v in post.items() if k != "created"}, "created_time": created}


@dataclass
class Platform:
    """Shared by the three fakes: what was asked, and answers forced for the next calls."""

    url: str = ""
    requests: list[Request] = field(default_factory=list)
    forced: dict[str, list[Reply]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Facebook
    page_token: str = "page-token-1"
    posts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    usage_headers: dict[str, str] = field(default_factory=dict)
    # Zalo
    zalo_access: str = "zalo-access-1"
    zalo_refresh: str = "zalo-refresh-1"
    zalo_secret: str = "zalo-app-secret"
    zalo_articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    zalo_polls_needed: int = 1
    refresh_delay: float = 0.0
    refreshes: int = 0
    # Webhook
    webhook_secret: str = "whsec-1"
    webhook_seen: dict[str, dict[str, Any]] = field(default_factory=dict)
    webhook_bad_signatures: int = 0
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1001))

    def force(self, path: str, *replies: Reply) -> None:
        self.forced.setdefault(path, []).extend(replies)

    def calls(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path == path]

    # --- answering -----------------------------------------------------------------------------

    def answer(self, request: Request) -> Reply:
        with self.lock:
            self.requests.append(request)
            queued = self.forced.get(request.path)
            if queued:
                return queued.pop(0)
        if request.path.startswith("/graph/"):
            return self._facebook(request)
        if request.path.startswith("/zalo/"):
            return self._zalo(request)
        if request.path.startswith("/oauth/"):
            return self._zalo_oauth(request)
        if request.path.startswith("/hook"):
            return self._webhook(request)
        return 404, {}, {"error": "no such address"}

    def _facebook(self, request: Request) -> Reply:
        params = {**request.query, **(request.form() if request.method == "POST" else {})}
        if params.get("access_token") != self.page_token:
            error = {
                "message": "Error validating access token: Session has expired",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
                "fbtrace_id": "AbC",
            }
            return 400, {}, {"error": error}
        page, edge = request.path.removeprefix("/graph/").split("/", 1)
        feed = self.posts.setdefault(page, [])
        if request.method == "GET" and edge == "feed":
            return 200, self.usage_headers, self._feed_page(request, page, feed, params)
        if request.method == "POST" and edge in {"feed", "photos"}:
            message = params.get("message") or params.get("caption") or ""
            if not message and not params.get("link"):
                error = {
                    "message": "(#100) Invalid parameter",
                    "type": "OAuthException",
                    "code": 100,
                }
                return 400, {}, {"error": error}
            number = next(self.ids)
            post_id = f"{page}_{number}"
            feed.append(
                {
                    "id": post_id,
                    "message": message,
                    "permalink_url": f"https://www.facebook.com/{page}/posts/{number}",
                    "created": int(time.time()),
                }
            )
            body = {"id": str(number), "post_id": post_id} if edge == "photos" else {"id": post_id}
            return 200, self.usage_headers, body
        return 404, {}, {"error": {"message": "Unknown path", "code": 803}}

    def _feed_page(
        self, request: Request, page: str, feed: list[dict[str, Any]], params: dict[str, str]
    ) -> dict[str, Any]:
        """Newest first, `since` (a Unix time) and `limit` (at most 100) as the Graph reads
        them, and cursor paging: `paging.next` is the whole address of the next page."""
        since = int(params.get("since", 0))
        posts = [p for p in reversed(feed) if p["created"] >= since]
        limit = min(int(params.get("limit", 25)), 100)
        start = int(params.get("after", 0))
        body: dict[str, Any] = {"data": [_public(p) for p in posts[start : start + limit]]}
        if start + limit < len(posts):
            following = {**params, "after": str(start + limit)}
            body["paging"] = {
                "cursors": {"after": str(start + limit)},
                "next": f"{self.url}/graph/{page}/feed?{urllib.parse.urlencode(following)}",
            }
        return body

    def _zalo(self, request: Request) -> Reply:
        if request.headers.get("access_token") != self.zalo_access:
            return 200, {}, {"error": -216, "message": "Access token is invalid"}
        path = request.path.removeprefix("/zalo/v2.0/")
        if path == "article/create":
            article = request.json()
            if not article.get("title") or not article.get("body"):
                return 200, {}, {"error": -201, "message": "Parameters are invalid"}
            token = f"tok-{next(self.ids)}"
            self.zalo_articles[token] = {
                **article,
                "polls": 0,
                "id": "",
                "create_date": int(time.time() * 1000),
            }
            return 200, {}, {"error": 0, "message": "Success", "data": {"token": token}}
        if path == "article/verify":
            found = self.zalo_articles.get(request.json().get("token", ""))
            if found is None:
                return 200, {}, {"error": -201, "message": "token is invalid"}
            found["polls"] += 1
            if found["polls"] < self.zalo_polls_needed:
                return 200, {}, {"error": 0, "message": "Processing", "data": {}}
            found["id"] = found["id"] or f"za{next(self.ids)}"
            return 200, {}, {"error": 0, "message": "Success", "data": {"id": found["id"]}}
        if path == "article/getdetail":
            wanted = request.query.get("id", "")
            for a in self.zalo_articles.values():
                if a["id"] and a["id"] == wanted:
                    detail = {k: v for k, v in a.items() if k != "polls"}
                    return 200, {}, {"error": 0, "message": "Success", "data": detail}
            return 200, {}, {"error": -201, "message": "Article is not existed"}
        if path == "article/getslice":
            # Newest first, `offset` and `limit` (at most 50), as the OA API pages them.
            offset = int(request.query.get("offset", 0))
            limit = min(int(request.query.get("limit", 10)), 50)
            made = [a for a in self.zalo_articles.values() if a["id"]]
            medias = [
                {
                    "id": a["id"],
                    "title": a["title"],
                    "status": "show",
                    "create_date": a["create_date"],
                }
                for a in reversed(made)
            ][offset : offset + limit]
            return (
                200,
                {},
                {
                    "error": 0,
                    "message": "Success",
                    "data": {"medias": medias, "total": len(made)},
                },
            )
        return 404, {}, {"error": -1, "message": "unknown"}

    def _zalo_oauth(self, request: Request) -> Reply:
        form = request.form()
        if request.headers.get("secret_key") != self.zalo_secret:
            return 200, {}, {"error": -14002, "error_name": "Invalid app secret"}
        with self.lock:
            if (
                form.get("grant_type") != "refresh_token"
                or form.get("refresh_token") != self.zalo_refresh
            ):
                return (
                    200,
                    {},
                    {
                        "error": -14014,
                        "error_name": "Invalid refresh token",
                        "error_description": "Refresh token is invalid or used",
                    },
                )
            time.sleep(self.refresh_delay)
            self.refreshes += 1
            self.zalo_access = f"zalo-access-{self.refreshes + 1}"
            self.zalo_refresh = f"zalo-refresh-{self.refreshes + 1}"
        return (
            200,
            {},
            {
                "access_token": self.zalo_access,
                "refresh_token": self.zalo_refresh,
                "expires_in": "90000",
            },
        )

    def _webhook(self, request: Request) -> Reply:
        if not verify(
            self.webhook_secret, request.headers.get(SIGNATURE_HEADER.lower(), ""), request.body
        ):
            self.webhook_bad_signatures += 1
            return 401, {}, {"error": "bad signature"}
        key = request.headers.get("idempotency-key", "")
        if key not in self.webhook_seen:
            self.webhook_seen[key] = request.json()
        return 200, {}, {"id": key, "received": True}


class _Handler(BaseHTTPRequestHandler):
    platform: Platform

    def _serve(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            self.command,
            parts.path,
            dict(urllib.parse.parse_qsl(parts.query)),
            {k.lower(): v for k, v in self.headers.items()},
            self.rfile.read(length) if length else b"",
        )
        status, headers, body = self.platform.answer(request)
        content = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def platform(settings: Any) -> Iterator[Platform]:
    state = Platform()
    handler = type("Handler", (_Handler,), {"platform": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.CAUNOI_FACEBOOK_GRAPH_URL = f"{state.url}/graph"
    settings.CAUNOI_ZALO_OPENAPI_URL = f"{state.url}/zalo"
    settings.CAUNOI_ZALO_OAUTH_URL = f"{state.url}/oauth"
    settings.CAUNOI_BASE_URL = "https://caunoi.example.gov.vn"
    yield state
    server.shutdown()
    server.server_close()
