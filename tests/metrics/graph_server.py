"""A local stand-in for Facebook's Graph API insights, answering as Graph documents: daily
values with an end_time at the end of each day, lifetime post values, breakdowns as objects,
and errors as {"error": {"message", "type", "code", "fbtrace_id"}} (code 100 for a metric that
does not exist, 190 for a token that is no longer valid)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

VERSION = "v21.0"
TOKEN = "page-token-ok"


@dataclass
class Graph:
    page_id: str = "1001"
    removed: set[str] = field(default_factory=set)  # metrics Graph no longer knows
    names_removed_metric: bool = False  # does the error message name the metric?
    requests: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {
                "id": "1001_501",
                "created_time": "2026-03-02T02:00:00+0000",
                "permalink_url": "https://www.facebook.com/1001/posts/501",
                "message": "Lịch tiếp công dân tháng 3",
                "comments": {"data": [], "summary": {"total_count": 7}},
                "shares": {"count": 3},
            }
        ]
    )
    url: str = ""

    def daily(self, metric: str, day: date) -> Any:
        if metric == "page_actions_post_reactions_total":
            return {"like": 10, "love": 2}
        return {
            "page_impressions_unique": 300,
            "page_impressions": 800,
            "page_fans": 3200,
            "page_follows": 3300,
            "page_post_engagements": 40,
        }.get(metric, 1) + day.day

    def lifetime(self, metric: str) -> Any:
        if metric == "post_reactions_by_type_total":
            return {"like": 25, "love": 5, "haha": 1}
        return {"post_impressions_unique": 1200, "post_impressions": 2000, "post_clicks": 30}.get(
            metric, 1
        )


def _error(code: int, message: str) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": "AbCdEf123",
        }
    }


class _Handler(BaseHTTPRequestHandler):
    graph: Graph

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        self.graph.requests.append({"path": url.path, **query})
        if query.get("access_token") != TOKEN:
            self._send(400, _error(190, "Error validating access token: Session has expired"))
            return
        if len(parts) != 3 or parts[0] != VERSION:
            self._send(404, _error(803, "Unknown path"))
            return
        _version, object_id, edge = parts
        if edge == "posts":
            self._send(200, {"data": self.graph.posts, "paging": {}})
            return
        metrics = query.get("metric", "").split(",")
        bad = [m for m in metrics if m in self.graph.removed]
        if bad:
            named = f" {bad[0]}" if self.graph.names_removed_metric else ""
            self._send(400, _error(100, f"(#100) The value must be a valid insights metric{named}"))
            return
        if query.get("period") == "lifetime":
            data = [
                {
                    "name": m,
                    "period": "lifetime",
                    "values": [{"value": self.graph.lifetime(m)}],
                    "title": m,
                    "description": m,
                    "id": f"{object_id}/insights/{m}/lifetime",
                }
                for m in metrics
            ]
        else:
            since = date.fromisoformat(query["since"])
            until = date.fromisoformat(query["until"])
            days = [since + timedelta(days=n) for n in range((until - since).days)]
            data = [
                {
                    "name": m,
                    "period": "day",
                    "values": [
                        {
                            "value": self.graph.daily(m, d),
                            "end_time": f"{d + timedelta(days=1)}T08:00:00+0000",
                        }
                        for d in days
                    ],
                    "title": m,
                    "description": m,
                    "id": f"{object_id}/insights/{m}/day",
                }
                for m in metrics
            ]
        self._send(200, {"data": data, "paging": {"previous": "x", "next": "y"}})


@contextmanager
def graph_server() -> Iterator[Graph]:
    graph = Graph()
    handler = type("Handler", (_Handler,), {"graph": graph})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    graph.url = f"http://127.0.0.1:{server.server_address[1]}/{VERSION}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield graph
    finally:
        server.shutdown()
        server.server_close()
