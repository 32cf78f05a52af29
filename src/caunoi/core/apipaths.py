"""Requests to the Open311 API skip the middleware that only a browser needs.

A 311 app sends its api_key with every POST: sessions, CSRF tokens, the logged-in user,
flash messages, htmx and login lock-outs mean nothing to it, yet each of those middleware
runs on every request (about 0.15 ms of CPU per report on the bench machine, 5% of the web
process's work for one). `caunoi serve` therefore gives addresses under API_PREFIXES a
second Django handler, identical but for that: the same settings, URLs and views, and every
other middleware of MIDDLEWARE in the same order, so security headers (HSTS, nosniff,
referrer and opener policy, CSP, X-Frame-Options), the https redirect, host checking, the
body limit and the language headers stay as they are. The views themselves never read a
session or a user (tests/open311/test_api_paths.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.utils.module_loading import import_string

API_PREFIXES = ("/open311/",)
BROWSER_ONLY = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",  # static files
        "caunoi.publishing.pagecache.PageCacheMiddleware",  # portal pages
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",  # the API's views are csrf_exempt
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "axes.middleware.AxesMiddleware",  # staff login lock-outs
    }
)


def api_middleware() -> list[str]:
    """MIDDLEWARE without what only a browser needs, in the same order."""
    return [path for path in settings.MIDDLEWARE if path not in BROWSER_ONLY]


class ApiHandler(WSGIHandler):
    """Django's WSGI handler with `api_middleware()` instead of MIDDLEWARE (all of it
    synchronous, as BaseHandler.load_middleware builds a synchronous chain)."""

    def load_middleware(self, is_async: bool = False) -> None:
        if is_async:
            raise NotImplementedError("ApiHandler is for WSGI")
        view: list[Callable[..., Any]] = []
        template_response: list[Callable[..., Any]] = []
        exception: list[Callable[..., Any]] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(api_middleware()):
            try:
                instance = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(instance, "process_view"):
                view.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                template_response.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                exception.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._view_middleware = view
        self._template_response_middleware = template_response
        self._exception_middleware = exception
        self._middleware_chain = handler


class ApiPaths:
    """The site's WSGI application, with API_PREFIXES answered by an ApiHandler."""

    def __init__(self, site: Any, prefixes: Iterable[str] = API_PREFIXES) -> None:
        self.site = site
        self.api = ApiHandler()
        self.prefixes = tuple(prefixes)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if str(environ.get("PATH_INFO", "")).startswith(self.prefixes):
            return self.api(environ, start_response)
        return self.site(environ, start_response)
