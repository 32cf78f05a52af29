"""Addresses of channels: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver

app_name = "channels"
urlpatterns: list[URLPattern | URLResolver] = []
