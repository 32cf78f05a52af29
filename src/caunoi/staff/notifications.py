"""The bell: a person's own notifications, and marking them read. Nobody sees anyone else's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caunoi.core.models import Notification
from caunoi.core.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
    received_by,
    unread_for,
)
from caunoi.staff.views import _context, _user, current_unit


def unread_count(request: HttpRequest) -> dict[str, int]:
    """Context processor: the number on the bell."""
    user = getattr(request, "user", None)
    try:
        if user is None or not user.is_authenticated:
            return {}
        return {"unread_notifications": unread_for(_user(request)).count()}
    except DatabaseError:  # the error page of a database outage must still render
        return {}


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(received_by(_user(request)), 30).get_page(request.GET.get("page"))
    return render(
        request, "staff/notifications.html", _context(request, current_unit(request), page=page)
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with `open`, go on to what it is about."""
    user = _user(request)
    notification = get_object_or_404(Notification, pk=pk, recipient=user)
    notification_mark_read(notification=notification, by=user)
    target = notification.url
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("staff:notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    if notifications_mark_all_read(by=_user(request)):
        messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
    return redirect("staff:notifications")
