"""The newsletter's public pages: subscribe (double opt-in), confirm, and unsubscribe with one
click (RFC 8058: a POST from the mail program, no cookie, no further question)."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from caunoi.channels import services
from caunoi.core import selectors
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Địa chỉ thư điện tử của bạn"),
        max_length=254,
        error_messages={
            "invalid": gettext_lazy("Địa chỉ thư điện tử chưa đúng, ví dụ ten@example.com.")
        },
    )


def _unit_at(slugs: str) -> Unit:
    unit = selectors.unit_by_slugs(slugs.split("/"))
    if unit is None:
        raise Http404
    return unit


def _page(
    request: HttpRequest, unit: Unit, step: str, status: int = 200, **extra: object
) -> HttpResponse:
    context = {
        "shown": unit,
        "ancestors": list(Unit.objects.get_ancestors(unit)),
        "step": step,
        **extra,
    }
    return render(request, "channels/newsletter.html", context, status=status)


def subscribe(request: HttpRequest, slugs: str) -> HttpResponse:
    unit = _unit_at(slugs)
    channel = services.newsletter_of(unit)
    if channel is None:
        raise Http404
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.newsletter_subscribe(channel=channel, email=form.cleaned_data["email"])
        except CaunoiError as error:
            form.add_error("email", str(error))
        else:
            return _page(request, unit, "check_mail", channel=channel)
    return _page(
        request, unit, "form", status=400 if form.errors else 200, form=form, channel=channel
    )


def confirm(request: HttpRequest, slugs: str, token: str) -> HttpResponse:
    unit = _unit_at(slugs)
    # A GET only shows the button: mail scanners that open links must not confirm anyone.
    if request.method == "POST":
        subscriber = services.newsletter_confirm(token=token)
        if subscriber is None:
            return _page(request, unit, "unknown", status=404)
        return _page(request, unit, "confirmed", channel=subscriber.channel)
    return _page(request, unit, "confirm", token=token)


@csrf_exempt  # RFC 8058: the mail program posts with no cookie and no token but the link's own
def unsubscribe(request: HttpRequest, slugs: str, token: str) -> HttpResponse:
    unit = _unit_at(slugs)
    if request.method == "POST":
        services.newsletter_unsubscribe(token=token)
        return _page(request, unit, "unsubscribed")
    return _page(request, unit, "unsubscribe", token=token)
