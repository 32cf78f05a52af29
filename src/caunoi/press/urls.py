"""Addresses of press: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver

app_name = "press"
urlpatterns: list[URLPattern | URLResolver] = []
