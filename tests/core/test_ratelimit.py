"""Rate limits per client address on public POSTs: a clear 429 with Retry-After."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from caunoi.core import ratelimit
from caunoi.core.ratelimit import client_address, rate_limit, retry_after

factory = RequestFactory()


@pytest.fixture(autouse=True)
def _fresh_counters(settings: Any) -> Iterator[None]:
    settings.CAUNOI_RATE_LIMITS = "report=3/60"
    settings.CAUNOI_CLIENT_IP_HEADER = ""
    cache.clear()
    yield
    cache.clear()


def post(address: str = "203.0.113.7", **headers: str) -> HttpRequest:
    request = factory.post("/u/x/report/", {"description": "ổ gà"}, REMOTE_ADDR=address, **headers)
    request.user = AnonymousUser()
    return request


@rate_limit("report")
def report_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_posts_within_the_limit_pass_and_the_next_gets_a_429_page_with_retry_after() -> None:
    for _ in range(3):
        assert report_view(post()).status_code == 200
    refused = report_view(post())
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    page = refused.content.decode()
    assert "quá nhiều lần" in page
    assert "1 phút" in page


def test_reading_a_page_is_never_counted() -> None:
    for _ in range(10):
        request = factory.get("/u/x/report/", REMOTE_ADDR="203.0.113.7")
        assert retry_after(request, "report") is None
    assert retry_after(post(), "report") is None


def test_each_address_has_its_own_count() -> None:
    for _ in range(3):
        assert retry_after(post("203.0.113.7"), "report") is None
    assert retry_after(post("203.0.113.7"), "report") is not None
    assert retry_after(post("198.51.100.1"), "report") is None


def test_a_forwarded_header_is_ignored_unless_a_proxy_is_configured(settings: Any) -> None:
    forged = post("192.0.2.10", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(forged) == "192.0.2.10"
    settings.CAUNOI_CLIENT_IP_HEADER = "X-Forwarded-For"
    # The client may put anything first; our proxy appends what it saw, and that is used.
    behind_proxy = post("10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50")
    assert client_address(behind_proxy) == "203.0.113.50"
    settings.CAUNOI_TRUSTED_PROXIES = 2
    assert client_address(behind_proxy) == "1.2.3.4"


def test_a_proxy_header_that_is_missing_or_garbage_falls_back_to_the_peer(settings: Any) -> None:
    settings.CAUNOI_CLIENT_IP_HEADER = "X-Real-IP"
    assert client_address(post("10.0.0.2")) == "10.0.0.2"
    assert client_address(post("10.0.0.2", HTTP_X_REAL_IP="not-an-address")) == "10.0.0.2"


def test_ipv6_clients_are_counted_per_64_network() -> None:
    for host in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9"):
        assert retry_after(post(host), "report") is None
    assert retry_after(post("2001:db8:1:2::77"), "report") is not None
    assert retry_after(post("2001:db8:1:3::1"), "report") is None


def test_the_window_slides_so_a_burst_at_its_edge_cannot_double_the_limit() -> None:
    start = 6000.0  # the start of a 60-second window
    for _ in range(3):
        assert retry_after(post(), "report", now=start + 59) is None
    # One second into the next window the previous one still weighs 59/60 of its three.
    wait = retry_after(post(), "report", now=start + 61)
    assert wait is not None
    assert 1 <= wait <= 60
    # A whole window later the old posts have no weight left.
    assert retry_after(post(), "report", now=start + 180) is None


def test_a_scope_can_be_switched_off(settings: Any) -> None:
    settings.CAUNOI_RATE_LIMITS = "report=off"
    for _ in range(10):
        assert retry_after(post(), "report") is None


def test_a_badly_written_limit_says_how_to_write_it(settings: Any) -> None:
    settings.CAUNOI_RATE_LIMITS = "report=lots"
    with pytest.raises(ImproperlyConfigured, match="COUNT/SECONDS"):
        retry_after(post(), "report")
    with pytest.raises(ImproperlyConfigured, match="no rate limit for scope"):
        rate_limit("no-such-scope")


def _redis_up() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


def redis_cache(location: str, **options: Any) -> RedisCache:
    """A cache connection of its own, as another web process would have."""
    return RedisCache(location, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}", "OPTIONS": options})


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379 (make test starts it)")
def test_with_redis_every_process_shares_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    first = redis_cache("redis://127.0.0.1:6379/9")
    second = RedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": first.key_prefix})
    for process in (first, second, first):
        monkeypatch.setattr(ratelimit, "cache", process)
        assert retry_after(post(), "report") is None
    monkeypatch.setattr(ratelimit, "cache", second)
    assert retry_after(post(), "report") is not None


def test_when_the_cache_is_down_the_citizen_still_gets_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Nothing listens on port 1.
    monkeypatch.setattr(
        ratelimit, "cache", redis_cache("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    )
    for _ in range(5):
        assert retry_after(post(), "report") is None
