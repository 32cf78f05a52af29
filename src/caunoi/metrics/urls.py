"""Addresses of metrics: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver

app_name = "metrics"
urlpatterns: list[URLPattern | URLResolver] = []
