"""Addresses of training: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver

app_name = "training"
urlpatterns: list[URLPattern | URLResolver] = []
