"""Addresses of metrics: staff screens under /staff/."""

from django.urls import URLPattern, URLResolver, path

from caunoi.metrics import views

app_name = "metrics"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/metrics/", views.metrics_here, name="here"),
    path("staff/units/<int:pk>/metrics/", views.overview, name="overview"),
    path("staff/units/<int:pk>/metrics/import/", views.import_upload, name="import"),
    path("staff/metrics/imports/<int:pk>/", views.import_preview, name="import_preview"),
    path("staff/metrics/imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path(
        "staff/metrics/template.<str:fmt>",
        views.template_download,
        name="template",
    ),
]
