from django.urls import include, path

from caunoi.core.health import healthz
from caunoi.portal import sitemaps

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-units.xml", sitemaps.units, name="sitemap_units"),
    path("sitemap-articles-<int:page>.xml", sitemaps.articles, name="sitemap_articles"),
    path("staff/", include("caunoi.staff.urls")),
    path("", include("caunoi.portal.urls")),
]

handler403 = "caunoi.portal.views.forbidden"
handler404 = "caunoi.portal.views.not_found"
handler500 = "caunoi.portal.views.server_error"
