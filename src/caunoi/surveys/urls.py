"""Addresses of surveys: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = []
