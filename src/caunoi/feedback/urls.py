"""Addresses of feedback: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = []
