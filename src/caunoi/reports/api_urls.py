"""The reports API's addresses, loaded on first use: django-ninja (and pydantic) take seconds
to import on a busy machine, which a server's first health check should not wait for."""

from caunoi.reports.api import api

urlpatterns = api.urls[0]
