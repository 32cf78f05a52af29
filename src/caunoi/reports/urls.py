"""Addresses of reports: staff screens under /staff/dashboard/, /staff/periodic/ and
/staff/exports/, the JSON API under /api/reports/ (OpenAPI at /api/reports/openapi.json)."""

from django.urls import URLPattern, URLResolver, path
from django.urls.resolvers import RoutePattern

from caunoi.reports import periodic, views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/dashboard/<int:pk>/", views.dashboard, name="dashboard"),
    path("staff/dashboard/<int:pk>/export/", views.export_new, name="export_new"),
    path("staff/dashboard/<int:pk>/documents/", views.document_settings, name="documents"),
    path("staff/dashboard/template.docx", views.default_template, name="default_template"),
    path("staff/exports/<int:pk>/", views.export_detail, name="export"),
    path("staff/exports/<int:pk>/file/", views.export_download, name="export_download"),
    path("staff/periodic/unit/<int:pk>/", periodic.periodic_list, name="periodic_list"),
    path("staff/periodic/unit/<int:pk>/new/", periodic.periodic_new, name="periodic_new"),
    path("staff/periodic/unit/<int:pk>/requests/new/", periodic.request_new, name="request_new"),
    path("staff/periodic/requests/<int:pk>/", periodic.request_detail, name="request"),
    path("staff/periodic/<int:pk>/", periodic.periodic_detail, name="periodic"),
    path(
        "staff/periodic/<int:pk>/comment/",
        periodic.periodic_comment,
        name="periodic_comment",
    ),
    # The JSON API sits in the root urls.py (see api_resolver): ninja names its own namespace.
]


def api_resolver() -> URLResolver:
    """/api/reports/, imported on first use (see api_urls.py)."""
    return URLResolver(
        RoutePattern("api/reports/"),
        "caunoi.reports.api_urls",
        app_name="ninja",
        namespace="reports_api",
    )
