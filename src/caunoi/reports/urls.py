"""Addresses of reports: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = []
