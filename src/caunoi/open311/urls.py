"""/open311/v2/…: the GeoReport v2 API, each resource in .xml and .json."""

from django.urls import URLPattern, URLResolver, path, re_path

from caunoi.open311 import api

app_name = "open311"
FORMAT = r"\.(?P<fmt>json|xml)$"
urlpatterns: list[URLPattern | URLResolver] = [
    path("v2/", api.not_found, {"fmt": "xml"}, name="root"),
    re_path(r"^v2/discovery" + FORMAT, api.discovery, name="discovery"),
    re_path(r"^v2/services" + FORMAT, api.services, name="services"),
    re_path(r"^v2/services/(?P<code>[^/]+)" + FORMAT, api.service_definition, name="service"),
    re_path(r"^v2/requests" + FORMAT, api.requests, name="requests"),
    re_path(r"^v2/requests/(?P<public_id>[^/]+)" + FORMAT, api.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[^/]+)" + FORMAT, api.token, name="token"),
    re_path(r"^v2/(?P<rest>.*)" + FORMAT, api.not_found),
    re_path(r"^v2/(?P<rest>.*)$", api.not_found, {"fmt": "xml"}),
]
