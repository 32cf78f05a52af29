"""The public portal. Anonymous pages set no cookie and say how long they may be cached."""

from __future__ import annotations

import logging
import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from caunoi.core import selectors
from caunoi.core.middleware import language_redirect
from caunoi.core.models import Unit

logger = logging.getLogger(__name__)
PUBLIC_MAX_AGE = 300


def _public(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def index(request: HttpRequest) -> HttpResponse:
    roots = selectors.child_list(None)
    if len(roots) == 1:
        return redirect(roots[0].get_portal_url())
    return _public(request, render(request, "portal/index.html", {"kids": roots}))


def unit_home(request: HttpRequest, slugs: str) -> HttpResponse:
    unit = selectors.unit_by_slugs(slugs.split("/"))
    if unit is None:
        raise Http404
    return _public(
        request,
        render(
            request,
            "portal/unit.html",
            {
                "shown": unit,
                "ancestors": list(Unit.objects.get_ancestors(unit)),
                "kids": selectors.child_list(unit),
            },
        ),
    )


def language(request: HttpRequest, code: str) -> HttpResponse:
    """A visitor's explicit choice of language: the only cookie the portal ever sets."""
    return language_redirect(request, code, request.GET.get("next", "/"), "/")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/error.html", {"status": 403}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    error_id = uuid.uuid4().hex[:12]
    logger.error("server error %s on %s", error_id, request.path)
    return render(request, "portal/error.html", {"status": 500, "error_id": error_id}, status=500)
