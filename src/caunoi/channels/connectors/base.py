"""What every connector shares: the outcome of an attempt, the classified errors, and a small
JSON-over-HTTP client with a timeout (a platform that hangs must not hold a worker long)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings

from caunoi.channels.models import Delivery

TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Posted:
    """The platform has the post."""

    external_id: str = ""
    external_url: str = ""
    pause: timedelta | None = None  # the platform asked us to slow down on this channel


@dataclass(frozen=True)
class Pending:
    """The platform took the post and will confirm later (Zalo's article/verify)."""

    check_after: timedelta
    note: str = ""


@dataclass(frozen=True)
class AwaitingEntry:
    """Nothing to call: a person records what was done (a broadcast's programme log)."""


Outcome = Posted | Pending | AwaitingEntry


class DeliveryError(Exception):
    """An attempt failed; the subclass says what to do about it."""

    kind = "retry"

    def __init__(self, message: str, *, wait: timedelta | None = None) -> None:
        super().__init__(message)
        self.wait = wait  # the platform's own hint, if it gave one


class RetryLater(DeliveryError):
    kind = "retry"


class CredentialsExpired(DeliveryError):
    kind = "credentials"


class ContentRejected(DeliveryError):
    kind = "rejected"


class Disconnected(DeliveryError):
    kind = "disconnected"


class Connector(Protocol):
    def find(self, delivery: Delivery) -> Outcome | None:
        """Look on the platform for what an earlier attempt may already have posted."""

    def send(self, delivery: Delivery) -> Outcome:
        """Post once. Raises a DeliveryError subclass when it did not work."""


def setting(name: str, default: str) -> str:
    """A base URL or option: Django settings first, then the environment, then the default."""
    import os

    value = getattr(settings, name, None) or os.environ.get(name, "") or default
    return str(value).rstrip("/")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any = field(default=None)
    text: str = ""


def http(
    method: str,
    url: str,
    *,
    query: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    payload: Any = None,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request. Network failures become RetryLater; HTTP errors are returned, not raised,
    so each connector reads the platform's own error body."""
    if query:
        url = f"{url}?{urllib.parse.urlencode(query)}"
    data: bytes | None = raw
    sent_headers = {"User-Agent": "caunoi", "Accept": "application/json", **(headers or {})}
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        sent_headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif payload is not None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        sent_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=sent_headers)  # noqa: S310 - http(s) checked where addresses are entered
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return _answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return _answer(error.code, dict(error.headers or {}), error.read())
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise RetryLater(f"{urllib.parse.urlsplit(url).netloc}: {reason}") from None


def _answer(status: int, headers: dict[str, str], content: bytes) -> Answer:
    text = content.decode("utf-8", errors="replace")
    try:
        body = json.loads(text) if text.strip() else None
    except ValueError:
        body = None
    return Answer(status, {k.lower(): v for k, v in headers.items()}, body, text)
