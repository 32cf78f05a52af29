"""Staff screens: home, unit tree, people and roles, audit log. Views parse, check, call one
service, and render; every check goes through core.permissions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caunoi.channels.models import ChannelKind
from caunoi.channels.selectors import channel_counts
from caunoi.core import audit, selectors, services
from caunoi.core.errors import CaunoiError
from caunoi.core.menus import staff_menu
from caunoi.core.middleware import language_redirect
from caunoi.core.models import Role, Unit, User
from caunoi.core.permissions import (
    Action,
    can,
    require,
    role_units,
    root_units,
    units_where,
)
from caunoi.metrics.home import home_context as metrics_home_context
from caunoi.staff import forms

SESSION_UNIT = "caunoi_unit"


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    redirect_authenticated_user = True


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def current_unit(request: HttpRequest) -> Unit | None:
    """The unit the person is working in: their choice, else the first unit they hold a role on."""
    user = _user(request)
    chosen = request.session.get(SESSION_UNIT)
    if chosen is not None:
        unit = Unit.objects.filter(pk=chosen).first()
        if unit is not None and can(user, Action.UNIT_VIEW, unit):
            return unit
    tops = root_units(user)
    return tops[0] if tops else None


def _context(request: HttpRequest, unit: Unit | None, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    return {
        "unit": unit,
        "role_units": role_units(user),
        "can_manage_people": unit is not None and can(user, Action.PERSON_VIEW, unit),
        "can_view_audit": unit is not None and can(user, Action.AUDIT_VIEW, unit),
        "can_change_unit": unit is not None and can(user, Action.UNIT_CHANGE, unit),
        "menu": staff_menu(user, unit),
        **extra,
    }


def _no_unit(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/no_unit.html", _context(request, None), status=403)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return _no_unit(request)
    by_kind = channel_counts(unit=unit)
    return render(
        request,
        "staff/home.html",
        _context(
            request,
            unit,
            counts=selectors.unit_counts(unit=unit),
            channels=[(ChannelKind(kind).label, n) for kind, n in sorted(by_kind.items())],
            channel_total=sum(by_kind.values()),
            metrics_home=metrics_home_context(unit=unit),
            recent=selectors.audit_entries(unit=unit)[:8]
            if can(_user(request), Action.AUDIT_VIEW, unit)
            else [],
        ),
    )


@login_required
@require_POST
def unit_switch(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=request.POST.get("unit") or 0)
    require(_user(request), Action.UNIT_VIEW, unit)
    request.session[SESSION_UNIT] = unit.pk
    return redirect("staff:home")


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_set(user=_user(request), language=language)
    return language_redirect(request, language, request.POST.get("next", ""), reverse("staff:home"))


# --- units --------------------------------------------------------------------------------------


def _unit(request: HttpRequest, pk: int, action: Action = Action.UNIT_VIEW) -> Unit:
    unit = get_object_or_404(Unit, pk=pk)
    require(_user(request), action, unit)
    return unit


@login_required
def units(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return _no_unit(request)
    return redirect("staff:unit", pk=unit.pk)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    user = _user(request)
    query = request.GET.get("q", "").strip()
    found = selectors.unit_search(within=selectors.subtree(unit), text=query) if query else None
    visible_ancestors = [
        a for a in Unit.objects.get_ancestors(unit) if can(user, Action.UNIT_VIEW, a)
    ]
    return render(
        request,
        "staff/unit.html",
        _context(
            request,
            current_unit(request),
            shown=unit,
            ancestors=visible_ancestors,
            kids=selectors.child_list(unit),
            query=query,
            found=found,
            may_change=can(user, Action.UNIT_CHANGE, unit),
            add_form=forms.UnitForm(prefix="add"),
        ),
    )


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    return render(request, "staff/_unit_children.html", {"kids": selectors.child_list(unit)})


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.UNIT_CHANGE)
    form = forms.UnitForm(
        request.POST or None,
        initial={
            "name": unit.name,
            "kind": unit.kind,
            "code": unit.code or "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, by=_user(request), **form.cleaned_data)
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("staff:unit", pk=unit.pk)
    return render(
        request,
        "staff/unit_edit.html",
        _context(request, current_unit(request), shown=unit, form=form),
        status=400 if form.errors else 200,
    )


@login_required
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _unit(request, pk, Action.UNIT_CHANGE)
    form = forms.UnitForm(request.POST or None, prefix="add")
    if request.method == "POST" and form.is_valid():
        try:
            child = services.unit_create(parent=parent, by=_user(request), **form.cleaned_data)
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": child.name})
            return redirect("staff:unit", pk=parent.pk)
    return render(
        request,
        "staff/unit_edit.html",
        _context(
            request,
            current_unit(request),
            shown=parent,
            form=form,
            adding=True,
        ),
        status=400 if form.errors else 200,
    )


@login_required
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.UNIT_CHANGE)
    user = _user(request)
    targets = list(
        units_where(user, Action.UNIT_CHANGE)
        .exclude(path__startswith=unit.path)
        .order_by("path")[:2000]
    )
    form = forms.UnitMoveForm(request.POST or None)
    form.fields["new_parent"].widget.choices = [
        (u.pk, "— " * (u.depth - 1) + u.name) for u in targets
    ]
    if request.method == "POST" and form.is_valid():
        target = Unit.objects.filter(pk=form.cleaned_data["new_parent"]).first()
        if target is None:
            form.add_error("new_parent", _("Chọn một đơn vị trong danh sách."))
        else:
            try:
                services.unit_move(unit=unit, new_parent=target, by=user)
            except CaunoiError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Đã chuyển %(unit)s vào %(parent)s.")
                    % {"unit": unit.name, "parent": target.name},
                )
                return redirect("staff:unit", pk=unit.pk)
    return render(
        request,
        "staff/unit_move.html",
        _context(
            request,
            current_unit(request),
            shown=unit,
            form=form,
        ),
        status=400 if form.errors else 200,
    )


# --- people -------------------------------------------------------------------------------------


def _unit_choices(user: User, within: Unit) -> list[tuple[int, str]]:
    units = units_where(user, Action.PERSON_MANAGE).filter(path__startswith=within.path)
    return [(u.pk, "— " * (u.depth - within.depth) + u.name) for u in units.order_by("path")[:2000]]


@login_required
def people_here(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return _no_unit(request)
    return redirect("staff:people", pk=unit.pk)


@login_required
def audit_here(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        return _no_unit(request)
    return redirect("staff:audit", pk=unit.pk)


@login_required
def people(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERSON_VIEW)
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.people_in(unit=unit, text=query), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "staff/people.html",
        _context(
            request,
            unit,
            page=page,
            query=query,
        ),
    )


@login_required
def person_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERSON_MANAGE)
    user = _user(request)
    form = forms.PersonForm(request.POST or None, initial={"unit": unit.pk})
    form.fields["unit"].widget.choices = _unit_choices(user, unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = Unit.objects.filter(pk=data.pop("unit")).first()
        if target is None or not can(user, Action.PERSON_MANAGE, target):
            form.add_error("unit", _("Chọn một đơn vị bạn quản trị."))
        else:
            try:
                person = services.person_create(unit=target, by=user, **data)
            except CaunoiError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": person})
                return redirect("staff:person", pk=unit.pk, person=person.pk)
    return render(
        request,
        "staff/person_new.html",
        _context(request, unit, form=form),
        status=400 if form.errors else 200,
    )


def _person(request: HttpRequest, pk: int, unit: Unit) -> User:
    """A person visible from `unit`: they hold a role somewhere in its subtree."""
    return get_object_or_404(selectors.people_in(unit=unit), pk=pk)


@login_required
def person_detail(request: HttpRequest, pk: int, person: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERSON_VIEW)
    user = _user(request)
    shown = _person(request, person, unit)
    audit.record("caunoi.person.viewed", actor=user, unit=unit, obj=shown)
    roles = list(selectors.roles_of(user=shown))
    for role in roles:
        role.may_revoke = can(user, Action.PERSON_MANAGE, role.unit)  # type: ignore[attr-defined]
    form = forms.RoleForm(initial={"unit": unit.pk})
    form.fields["unit"].widget.choices = _unit_choices(user, unit)
    return render(
        request,
        "staff/person.html",
        _context(
            request,
            unit,
            person=shown,
            roles=roles,
            role_form=form,
            password_form=forms.PasswordForm(),
            may_manage=all(can(user, Action.PERSON_MANAGE, r.unit) for r in roles),
        ),
    )


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int, person: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERSON_MANAGE)
    user = _user(request)
    target_person = _person(request, person, unit)
    form = forms.RoleForm(request.POST)
    if form.is_valid():
        target = get_object_or_404(Unit, pk=form.cleaned_data["unit"])
        try:
            services.role_grant(
                user=target_person, unit=target, name=form.cleaned_data["role"], by=user
            )
        except CaunoiError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã giao vai trò."))
    else:
        messages.error(request, _("Chọn đơn vị và vai trò."))
    return redirect("staff:person", pk=unit.pk, person=target_person.pk)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int, role: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERSON_VIEW)
    held = get_object_or_404(Role.objects.select_related("unit", "user"), pk=role)
    services.role_revoke(role=held, by=_user(request))
    messages.success(request, _("Đã thu hồi vai trò."))
    if selectors.people_in(unit=unit).filter(pk=held.user_id).exists():
        return redirect("staff:person", pk=unit.pk, person=held.user_id)
    return redirect("staff:people", pk=unit.pk)


@login_required
@require_POST
def person_active(request: HttpRequest, pk: int, person: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERSON_MANAGE)
    target = _person(request, person, unit)
    try:
        services.person_set_active(
            user=target, active=request.POST.get("active") == "1", by=_user(request)
        )
    except CaunoiError as error:
        messages.error(request, str(error))
    return redirect("staff:person", pk=unit.pk, person=target.pk)


@login_required
@require_POST
def person_password(request: HttpRequest, pk: int, person: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PERSON_MANAGE)
    target = _person(request, person, unit)
    form = forms.PasswordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nhập mật khẩu mới."))
    else:
        try:
            services.person_set_password(
                user=target, password=form.cleaned_data["password"], by=_user(request)
            )
        except CaunoiError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã đặt mật khẩu mới."))
    return redirect("staff:person", pk=unit.pk, person=target.pk)


# --- audit log ----------------------------------------------------------------------------------


@login_required
@require_GET
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.AUDIT_VIEW)
    form = forms.AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = Paginator(selectors.audit_entries(unit=unit, **filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/audit.html",
        _context(
            request,
            unit,
            form=form,
            page=page,
            actions=selectors.audit_actions(unit=unit),
            query=query.urlencode(),
        ),
        status=400 if form.errors else 200,
    )
