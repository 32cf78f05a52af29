"""`caunoi serve` answers the Open311 API without the middleware only browsers need, and
with everything else a response of ours carries (caunoi/core/apipaths.py)."""

from __future__ import annotations

import io
import sys
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings

from caunoi.core.apipaths import BROWSER_ONLY, ApiHandler, api_middleware
from caunoi.wsgi import application
from tests.open311.conftest import IN_COMMUNE, Open311

pytestmark = pytest.mark.django_db(transaction=True)  # requests as a server runs them


def served(
    method: str, path: str, body: bytes = b"", host: str = "127.0.0.1", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    """One request through the WSGI application `caunoi serve` runs."""
    path, _, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "203.0.113.9",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        answer["status"] = int(status.split()[0])
        answer["headers"] = {}
        for name, value in response_headers:
            answer["headers"].setdefault(name.lower(), []).append(value)

    chunks = application(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        chunks.close()
    return answer["status"], {k: ", ".join(v) for k, v in answer["headers"].items()}, content


def report(o311: Open311, **fields: str) -> bytes:
    data = {
        "api_key": o311.commune_key,
        "jurisdiction_id": "xadong.gov.vn",
        "service_code": "lighting",
        "lat": str(IN_COMMUNE[0]),
        "long": str(IN_COMMUNE[1]),
        "description": "Đèn đường trước nhà văn hóa không sáng.",
        **fields,
    }
    return urlencode(data).encode()


SECURITY_HEADERS = (
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "content-language",
)


def test_a_report_posted_to_the_server_is_taken_with_every_security_header(
    o311: Open311,
) -> None:
    status, headers, content = served("POST", "/open311/v2/requests.json", report(o311))
    assert status == 200, content
    assert b"service_request_id" in content
    for name in SECURITY_HEADERS:
        assert headers.get(name), name
    assert headers["x-frame-options"] == "DENY"
    assert "set-cookie" not in headers


def test_the_api_answers_with_the_headers_the_whole_middleware_gives(o311: Open311) -> None:
    path = "/open311/v2/services.json?jurisdiction_id=tinhthu.gov.vn"
    _status, lean, content = served("GET", path)
    full = o311.client.get(path, HTTP_HOST="127.0.0.1")
    assert content == full.content
    assert set(lean) == {name.lower() for name in full.headers}
    for name in SECURITY_HEADERS:
        assert lean[name] == full.headers[name], name


def test_the_api_still_refuses_a_host_the_site_does_not_serve(o311: Open311) -> None:
    status, _headers, _content = served(
        "POST", "/open311/v2/requests.json", report(o311), host="evil.example"
    )
    assert status == 400


def test_the_api_still_refuses_a_body_over_the_limit_before_reading_it(o311: Open311) -> None:
    status, _headers, _content = served(
        "POST",
        "/open311/v2/requests.json",
        report(o311),
        CONTENT_LENGTH=str(settings.CAUNOI_MAX_BODY_MB * 1024 * 1024 + 1),
    )
    assert status == 413


def test_the_rest_of_the_site_keeps_its_sessions_and_csrf(o311: Open311) -> None:
    status, headers, content = served("GET", "/staff/login/")
    assert status == 200, content
    assert "csrftoken=" in headers.get("set-cookie", "")


def test_only_middleware_a_browser_needs_is_left_out() -> None:
    assert api_middleware() == [m for m in settings.MIDDLEWARE if m not in BROWSER_ONLY]
    assert "django.middleware.security.SecurityMiddleware" in api_middleware()
    assert "csp.middleware.CSPMiddleware" in api_middleware()
    assert "django.middleware.common.CommonMiddleware" in api_middleware()
    assert "django.contrib.sessions.middleware.SessionMiddleware" not in api_middleware()
    chain = ApiHandler()
    assert chain._middleware_chain is not None
