"""Addresses of reports: staff screens under /staff/reports/, the JSON API under
/api/reports/ (OpenAPI description at /api/reports/openapi.json)."""

from django.urls import URLPattern, URLResolver, path

from caunoi.reports import periodic, views
from caunoi.reports.api import api

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/reports/<int:pk>/", views.dashboard, name="dashboard"),
    path("staff/reports/<int:pk>/export/", views.export_new, name="export_new"),
    path("staff/reports/<int:pk>/documents/", views.document_settings, name="documents"),
    path("staff/reports/template.docx", views.default_template, name="default_template"),
    path("staff/reports/exports/<int:pk>/", views.export_detail, name="export"),
    path("staff/reports/exports/<int:pk>/file/", views.export_download, name="export_download"),
    path("staff/reports/<int:pk>/periodic/", periodic.periodic_list, name="periodic_list"),
    path("staff/reports/<int:pk>/periodic/new/", periodic.periodic_new, name="periodic_new"),
    path("staff/reports/<int:pk>/requests/new/", periodic.request_new, name="request_new"),
    path("staff/reports/requests/<int:pk>/", periodic.request_detail, name="request"),
    path("staff/reports/periodic/<int:pk>/", periodic.periodic_detail, name="periodic"),
    path(
        "staff/reports/periodic/<int:pk>/comment/",
        periodic.periodic_comment,
        name="periodic_comment",
    ),
    path("api/reports/", api.urls),
]
