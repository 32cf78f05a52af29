"""Staff screens for outlets and their journalists' work contacts (PRESS_MANAGE only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.permissions import Action, can, require
from caunoi.press import forms, selectors, services
from caunoi.press.models import Journalist, Outlet
from caunoi.staff.views import _context, _unit, _user, current_unit


@login_required
def outlet_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PRESS_MANAGE)
    form = forms.OutletForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outlet = services.outlet_create(
                unit=unit,
                by=_user(request),
                **{k: v for k, v in form.cleaned_data.items() if k != "active"},
            )
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": outlet.name})
            return redirect("press:outlet", pk=outlet.pk)
    outlets = list(selectors.outlets_with_journalists(unit=unit))
    return render(
        request,
        "press/outlets.html",
        _context(request, unit, outlets=outlets, form=form),
        status=400 if form.errors else 200,
    )


def _outlet(request: HttpRequest, pk: int) -> Outlet:
    outlet = get_object_or_404(Outlet.objects.select_related("unit"), pk=pk)
    # Seen from the unit one works in: its own outlets and those above it.
    unit = current_unit(request)
    user = _user(request)
    if not (
        can(user, Action.PRESS_MANAGE, outlet.unit)
        or (
            unit is not None
            and can(user, Action.PRESS_MANAGE, unit)
            and unit.is_within(outlet.unit)
        )
    ):
        require(user, Action.PRESS_MANAGE, outlet.unit)
    return outlet


@login_required
def outlet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = _outlet(request, pk)
    user = _user(request)
    may_change = can(user, Action.PRESS_MANAGE, outlet.unit)
    form = forms.OutletForm(
        request.POST or None,
        initial={
            "name": outlet.name,
            "kind": outlet.kind,
            "email": outlet.email,
            "phone": outlet.phone,
            "website": outlet.website,
            "active": outlet.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.outlet_update(outlet=outlet, by=user, **form.cleaned_data)
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("press:outlet", pk=outlet.pk)
    audit.record("caunoi.press.outlet.viewed", actor=user, unit=outlet.unit, obj=outlet)
    return render(
        request,
        "press/outlet.html",
        _context(
            request,
            current_unit(request),
            outlet=outlet,
            form=form,
            may_change=may_change,
            journalists=list(outlet.journalists.order_by("name")),
            journalist_form=forms.JournalistForm(),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def journalist_add(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = _outlet(request, pk)
    form = forms.JournalistForm(request.POST)
    if not form.is_valid():
        for field, problems in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(p) for p in problems)}")
        return redirect("press:outlet", pk=outlet.pk)
    try:
        services.journalist_add(outlet=outlet, by=_user(request), **form.cleaned_data)
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thêm phóng viên."))
    return redirect("press:outlet", pk=outlet.pk)


@login_required
@require_POST
def journalist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    journalist = get_object_or_404(Journalist.objects.select_related("outlet__unit"), pk=pk)
    services.journalist_remove(journalist=journalist, by=_user(request))
    messages.success(request, _("Đã xoá liên hệ phóng viên."))
    return redirect("press:outlet", pk=journalist.outlet_id)
