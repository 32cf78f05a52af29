"""Vietnamese first: the language is the person's choice, else their cookie, else Vietnamese.

The browser's Accept-Language is deliberately not used: offices want Vietnamese by default
whatever language the computer was set up in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

_CODES = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        translation.deactivate()
        return response

    def _choose(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in _CODES:
            return str(user.language)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        return cookie if cookie in _CODES else settings.LANGUAGE_CODE


def language_redirect(request: HttpRequest, code: str, target: str, fallback: str) -> HttpResponse:
    """Redirect back after a visitor picks a language, remembering the choice in a cookie."""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = fallback
    response = HttpResponseRedirect(target)
    if code in _CODES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
    return response


class BodyLimitMiddleware:
    """Refuse a request from someone not logged in whose declared body is over
    CAUNOI_MAX_BODY_MB, before anything reads it (413). Public forms and the Open311 API check
    their own, smaller limits after this one; staff screens check theirs with field errors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "CAUNOI_MAX_BODY_MB", 45)) * 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        user = getattr(request, "user", None)
        if length > limit and not (user is not None and user.is_authenticated):
            from django.utils.translation import gettext as _

            with translation.override(self._language(request)):
                text = _("Nội dung gửi lên quá lớn (tối đa %(mb)s MB). Hãy gửi ít ảnh hơn.") % {
                    "mb": limit // (1024 * 1024)
                }
            return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _language(request: HttpRequest) -> str:
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        return cookie if cookie in _CODES else settings.LANGUAGE_CODE
