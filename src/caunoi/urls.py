from django.urls import include, path

from caunoi.core.health import healthz
from caunoi.portal import sitemaps
from caunoi.publishing.files import media_file
from caunoi.reports.urls import api_resolver

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # First of the rest: the API's POSTs are the busiest requests, and resolving walks the
    # patterns in order (no other address starts with open311/).
    path("open311/", include("caunoi.open311.urls")),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-units.xml", sitemaps.units, name="sitemap_units"),
    path("sitemap-articles-<int:page>.xml", sitemaps.articles, name="sitemap_articles"),
    path("media/<path:name>", media_file, name="media"),
    path("staff/", include("caunoi.staff.urls")),
    # Each app's staff screens (under staff/) and public pages (under u/<unit>/); before the
    # portal, whose last pattern takes any u/<unit>/ address.
    path("", include("caunoi.metrics.urls")),
    path("", include("caunoi.channels.urls")),
    path("", include("caunoi.feedback.urls")),
    path("", include("caunoi.surveys.urls")),
    path("", include("caunoi.press.urls")),
    path("", include("caunoi.training.urls")),
    path("", include("caunoi.reports.urls")),
    api_resolver(),
    path("", include("caunoi.portal.urls")),
]

handler403 = "caunoi.portal.views.forbidden"
handler404 = "caunoi.portal.views.not_found"
handler500 = "caunoi.portal.views.server_error"
