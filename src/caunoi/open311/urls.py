"""Addresses of open311: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver

app_name = "open311"
urlpatterns: list[URLPattern | URLResolver] = []
