"""What every Open311 view shares: the language of its messages, the jurisdiction asked for,
and turning a `Problem` into the spec's error list.

Plain Django views, not django-ninja: GeoReport v2 fixes its own shapes (a format suffix in the
path, form-encoded POSTs with attribute[code][] keys, XML as the required format, errors as a
list of code/description) and ninja's schema validation and 422 error body would have to be
overridden at every step; plain views also keep the intake path short for throughput.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from caunoi.core import memo
from caunoi.core.models import Unit
from caunoi.open311 import formats
from caunoi.open311.models import Jurisdiction

View = Callable[..., HttpResponse]


class Problem(Exception):
    """Answer with the spec's error list: an HTTP status and one description per problem."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)


def _language(request: HttpRequest, params: QueryDict) -> str:
    """Vietnamese unless the client asks for English (locale=en or Accept-Language: en)."""
    wanted = params.get("locale", "") or request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    return "en" if wanted.strip().lower().startswith("en") else "vi"


def endpoint(view: View) -> View:
    """An Open311 view: no CSRF (clients are apps), messages in the client's language, and a
    `Problem` raised anywhere inside becomes the error list in the asked-for format."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, fmt: str = formats.XML, **kwargs: Any) -> Any:
        params = request.POST if request.method == "POST" else request.GET
        with translation.override(_language(request, params)):
            try:
                response = view(request, *args, fmt=fmt, **kwargs)
            except Problem as problem:
                response = formats.errors(fmt, problem.status, problem.descriptions)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return wrapper


def jurisdiction(
    params: QueryDict, *, default: Unit | None = None, settings: memo.Snapshot | None = None
) -> Unit:
    """The unit answering for the request's jurisdiction_id.

    Without one: `default` when given (a key's unit), else the only configured jurisdiction,
    else the only top-level unit; a server with several asks the client to choose. With
    `settings` (a memo snapshot) a named jurisdiction is looked up in memory."""
    wanted = params.get("jurisdiction_id", "").strip().lower()
    if wanted:

        def load() -> Jurisdiction | None:
            return Jurisdiction.objects.select_related("unit").filter(domain=wanted).first()

        found = load() if settings is None else settings.get(("jurisdiction", wanted), load)
        if found is None:
            raise Problem(
                404,
                _("jurisdiction_id: không có vùng tiếp nhận “%(id)s” trên máy chủ này.")
                % {"id": wanted},
            )
        return found.unit
    if default is not None:
        return default
    configured = list(Jurisdiction.objects.select_related("unit")[:2])
    if len(configured) == 1:
        return configured[0].unit
    if not configured:
        roots = list(Unit.objects.filter(depth=1)[:2])
        if len(roots) == 1:
            return roots[0]
    domains = ", ".join(
        Jurisdiction.objects.order_by("domain").values_list("domain", flat=True)[:20]
    )
    raise Problem(
        400,
        _("jurisdiction_id: máy chủ này phục vụ nhiều nơi; hãy gửi jurisdiction_id (%(list)s).")
        % {"list": domains or "-"},
    )


def within(unit: Unit, scope: Unit) -> bool:
    return str(unit.path).startswith(str(scope.path))
