"""Addresses of channels: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver, re_path

from caunoi.channels import public

app_name = "channels"
UNIT = r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)"
urlpatterns: list[URLPattern | URLResolver] = [
    re_path(rf"{UNIT}/ban-tin/$", public.subscribe, name="subscribe"),
    re_path(
        rf"{UNIT}/ban-tin/xac-nhan/(?P<token>[A-Za-z0-9_-]+)/$", public.confirm, name="confirm"
    ),
    re_path(
        rf"{UNIT}/ban-tin/huy/(?P<token>[A-Za-z0-9_-]+)/$", public.unsubscribe, name="unsubscribe"
    ),
]
