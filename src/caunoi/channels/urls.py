"""Addresses of channels: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver, path, re_path

from caunoi.channels import calendar, public, views

app_name = "channels"
UNIT = r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)"
TOKEN = r"(?P<token>[A-Za-z0-9_-]+)"  # noqa: S105 - a URL pattern, not a secret
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/units/<int:pk>/channels/", views.channel_list, name="list"),
    path("staff/units/<int:pk>/channels/new/", views.channel_new, name="new"),
    path("staff/channels/<int:pk>/", views.channel_edit, name="edit"),
    path("staff/units/<int:pk>/deliveries/", views.board, name="board"),
    path("staff/deliveries/<int:pk>/retry/", views.delivery_retry, name="retry"),
    path("staff/deliveries/<int:pk>/record/", views.delivery_record, name="record"),
    path("staff/units/<int:pk>/calendar/", calendar.calendar, name="calendar"),
    re_path(rf"{UNIT}/ban-tin/$", public.subscribe, name="subscribe"),
    re_path(rf"{UNIT}/ban-tin/xac-nhan/{TOKEN}/$", public.confirm, name="confirm"),
    re_path(rf"{UNIT}/ban-tin/huy/{TOKEN}/$", public.unsubscribe, name="unsubscribe"),
]
