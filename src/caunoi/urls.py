from django.urls import include, path

from caunoi.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("staff/", include("caunoi.staff.urls")),
    path("", include("caunoi.portal.urls")),
]

handler403 = "caunoi.portal.views.forbidden"
handler404 = "caunoi.portal.views.not_found"
handler500 = "caunoi.portal.views.server_error"
