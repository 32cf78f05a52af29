"""Staff screens for channels: register and edit a unit's channels, the delivery board with
its retry button, per-channel health, and the publishing calendar. Views parse, check, call
one service and render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.channels import deliveries, selectors, services
from caunoi.channels.forms import ChannelForm, RecordForm
from caunoi.channels.models import (
    BUILT_IN,
    RETRYABLE,
    Channel,
    ChannelKind,
    Delivery,
    DeliveryStatus,
)
from caunoi.core.errors import CaunoiError
from caunoi.core.permissions import Action, can, require
from caunoi.staff.views import _context, _unit, _user, current_unit

PERIODS = {"7": 7, "30": 30, "90": 90}
HEALTH_DAYS = 30
BOARD_PAGE = 50


@login_required
def channel_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    services.channels_ensure_built_in(unit=unit)
    since = timezone.now() - timedelta(days=HEALTH_DAYS)
    return render(
        request,
        "channels/channels.html",
        _context(
            request,
            unit,
            channels=list(selectors.channels_of(unit=unit)),
            health=selectors.channel_health(unit=unit, since=since),
            may_manage=can(_user(request), Action.CHANNEL_MANAGE, unit),
            kinds=[(k, label) for k, label in ChannelKind.choices if k not in BUILT_IN],
            health_days=HEALTH_DAYS,
        ),
    )


@login_required
def channel_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.CHANNEL_MANAGE)
    kind = request.GET.get("kind") or request.POST.get("kind", "")
    if kind not in ChannelKind.values or kind in BUILT_IN:
        raise Http404
    form = ChannelForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(
                unit=unit, kind=kind, by=_user(request), secrets=form.secrets(), **form.values()
            )
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm kênh “%(name)s”.") % {"name": channel.name})
            return redirect("channels:list", pk=unit.pk)
    return render(
        request,
        "channels/channel_form.html",
        _context(request, unit, form=form, kind=kind, kind_label=ChannelKind(kind).label),
        status=400 if form.errors else 200,
    )


@login_required
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_object_or_404(Channel.objects.select_related("unit"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, channel.unit)
    may_manage = can(_user(request), Action.CHANNEL_MANAGE, channel.unit)
    initial = {
        "name": channel.name,
        "url": channel.url,
        "followers": channel.followers,
        "account_id": channel.account_id,
        "app_id": channel.app_id,
        "endpoint": channel.endpoint,
        "active": channel.active,
    }
    form = ChannelForm(request.POST or None, kind=channel.kind, channel=channel, initial=initial)
    if request.method == "POST":
        require(_user(request), Action.CHANNEL_MANAGE, channel.unit)
        if form.is_valid():
            values = form.values()
            if channel.built_in:
                values = {**initial, "name": values["name"], "followers": values["followers"]}
            try:
                services.channel_update(
                    channel=channel,
                    by=_user(request),
                    active=bool(form.cleaned_data.get("active", True)) or channel.built_in,
                    secrets=form.secrets(),
                    **{k: v for k, v in values.items() if k != "active"},
                )
            except CaunoiError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã lưu kênh."))
                return redirect("channels:list", pk=channel.unit_id)
    return render(
        request,
        "channels/channel_form.html",
        _context(
            request,
            current_unit(request),
            form=form,
            channel=channel,
            kind=channel.kind,
            kind_label=channel.get_kind_display(),
            may_manage=may_manage,
        ),
        status=400 if form.errors else 200,
    )


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    status = request.GET.get("status", "")
    status = status if status in DeliveryStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in ChannelKind.values else ""
    period = request.GET.get("period", "30")
    period = period if period in PERIODS else ""
    since = timezone.now() - timedelta(days=PERIODS[period]) if period else None
    found = selectors.deliveries_in(unit=unit, status=status, kind=kind, since=since)
    page = Paginator(found, BOARD_PAGE).get_page(request.GET.get("page"))
    query = "&".join(
        f"{k}={v}" for k, v in (("status", status), ("kind", kind), ("period", period)) if v
    )
    return render(
        request,
        "channels/board.html",
        _context(
            request,
            unit,
            page=page,
            status=status,
            kind=kind,
            period=period,
            statuses=DeliveryStatus.choices,
            kinds=ChannelKind.choices,
            counts=selectors.status_counts(unit=unit),
            retryable=RETRYABLE,
            may_run=deliveries.may_run(_user(request), unit),
            record_form=RecordForm(),
            query=query,
        ),
    )


def _back(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/staff/") and "//" not in target:
        return redirect(target)
    return redirect("channels:board", pk=delivery.unit_id)


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("unit"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, delivery.unit)
    try:
        deliveries.delivery_retry(delivery=delivery, by=_user(request))
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã xếp lịch gửi lại ngay."))
    return _back(request, delivery)


@login_required
@require_POST
def delivery_record(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("unit"), pk=pk)
    require(_user(request), Action.UNIT_VIEW, delivery.unit)
    form = RecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Giờ phát chưa đúng; chọn ngày và giờ."))
        return _back(request, delivery)
    try:
        deliveries.delivery_record(delivery=delivery, by=_user(request), **form.cleaned_data)
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã ghi nhận."))
    return _back(request, delivery)
