"""Rate limits per client address for public POSTs (citizen forms, the Open311 API).

Two ways to use it:

    from caunoi.core.ratelimit import rate_limit, retry_after

    @rate_limit("report")              # a view: POSTs over the limit get the 429 page
    def report_form(request): ...

    @rate_limit("open311", respond=my_429)   # the same with another 429 body
    def post_request(request): ...           # respond(request, seconds) -> HttpResponse

    wait = retry_after(request, "report")    # a function: None when allowed, else the
    if wait is not None:                     # seconds to wait; counts this request
        return too_many_requests(request, wait)

Only POST, PUT, PATCH and DELETE are counted; GET and HEAD pass untouched. Every 429 carries
`Retry-After` in seconds.

Limits are "count/seconds" per scope, by default DEFAULT_LIMITS, overridden by the
environment: CAUNOI_RATE_LIMITS="report=20/600,open311=120/60". A scope may be "off".

Counters live in Django's default cache, so with CACHE_URL=redis://... every web process on
every machine shares them; in embedded mode (in-process memory) each process counts alone.
The window slides: the previous window's count is weighted by how much of it still overlaps,
so a burst at a window's edge cannot double the limit. When the cache is unreachable the
request is let through and a warning logged: a citizen's report matters more than a limit.

The client address is REMOTE_ADDR, unless CAUNOI_CLIENT_IP_HEADER names the header a trusted
reverse proxy sets (e.g. X-Forwarded-For or X-Real-IP). For a list header, the address taken is
the one CAUNOI_TRUSTED_PROXIES (default 1) entries from the right: what our own proxies saw,
never what the client claims. Set the header only behind such a proxy, or anyone can pretend
to be anyone. IPv6 clients are counted per /64, since one home or phone often holds a whole /64.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

DEFAULT_LIMITS: dict[str, str] = {
    # Citizens' forms on the portal. Generous: mobile carriers put many phones behind one
    # address (carrier-grade NAT), so a limit per address must not stop a neighbourhood.
    "report": "20/600",
    # Open311 clients (311 apps); a server relaying for many people raises it.
    "open311": "120/60",
    # Any other public POST (follow a report, answer a survey, ...).
    "post": "30/60",
}
COUNTED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

View = TypeVar("View", bound=Callable[..., HttpResponse])
Responder = Callable[[HttpRequest, int], HttpResponse]


def _parse(scope: str, text: str) -> tuple[int, int] | None:
    text = text.strip().lower()
    if text == "off":
        return None
    try:
        count, seconds = (int(part) for part in text.split("/"))
    except ValueError:
        count = seconds = 0
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(
            f"rate limit {scope}={text!r}: write COUNT/SECONDS, e.g. {scope}=20/600, or off"
        )
    return count, seconds


def limit_for(scope: str) -> tuple[int, int] | None:
    """(count, seconds) for a scope, or None when the scope is not limited."""
    configured: dict[str, str] = dict(DEFAULT_LIMITS)
    for item in str(getattr(settings, "CAUNOI_RATE_LIMITS", "")).split(","):
        if item.strip():
            name, _, value = item.partition("=")
            configured[name.strip()] = value
    if scope not in configured:
        raise ImproperlyConfigured(f"no rate limit for scope {scope!r}; add it to DEFAULT_LIMITS")
    return _parse(scope, configured[scope])


def client_address(request: HttpRequest) -> str:
    """The address a request came from, by the rules in this module's docstring."""
    header = str(getattr(settings, "CAUNOI_CLIENT_IP_HEADER", "") or "")
    candidate = ""
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        hops = [hop.strip() for hop in str(raw).split(",") if hop.strip()]
        trusted = max(1, int(getattr(settings, "CAUNOI_TRUSTED_PROXIES", 1)))
        if hops:
            candidate = hops[-min(trusted, len(hops))]
    for value in (candidate, str(request.META.get("REMOTE_ADDR", ""))):
        try:
            return str(ipaddress.ip_address(value.strip("[]")))
        except ValueError:
            continue
    return "unknown"


def _bucket(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False).network_address) + "/64"
    return str(parsed)


def _increment(key: str, ttl: int) -> int:
    cache.add(key, 0, timeout=ttl)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=ttl)
        return 1


def retry_after(request: HttpRequest, scope: str, *, now: float | None = None) -> int | None:
    """Count this request against `scope` for its client address.

    None when it is within the limit (or not a counted method, or the scope is off), else
    the whole seconds the client should wait before trying again (at least 1)."""
    if request.method not in COUNTED_METHODS:
        return None
    limit = limit_for(scope)
    if limit is None:
        return None
    count, seconds = limit
    moment = time.time() if now is None else now
    window = int(moment // seconds)
    elapsed = moment - window * seconds
    prefix = f"caunoi:rl:{scope}:{_bucket(client_address(request))}:"
    try:
        current = _increment(prefix + str(window), ttl=2 * seconds + 1)
        previous = int(cache.get(prefix + str(window - 1)) or 0)
    except Exception:  # the cache is down: let the citizen through, say so in the log
        logger.warning("rate limit %s not checked: the cache is unreachable", scope, exc_info=True)
        return None
    overlap = 1 - elapsed / seconds
    if previous * overlap + current <= count:
        return None
    if current > count or previous == 0:
        wait = seconds - elapsed
    else:
        # When the previous window's weight falls far enough for one more request.
        wait = seconds * (1 - (count - current) / previous) - elapsed
    return max(1, math.ceil(wait))


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    """The portal's 429 page: what happened and how long to wait, with Retry-After."""
    minutes = max(1, math.ceil(seconds / 60))
    response = render(
        request,
        "caunoi/too_many_requests.html",
        {"seconds": seconds, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def rate_limit(scope: str, *, respond: Responder = too_many_requests) -> Callable[[View], View]:
    """Decorate a view so that counted requests over the scope's limit get `respond`'s 429.

    `respond(request, seconds)` builds the response; the decorator sets Retry-After on it."""
    limit_for(scope)  # an unknown scope or a bad setting fails at import, not on a request

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            wait = retry_after(request, scope)
            if wait is not None:
                response = respond(request, wait)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorate
