"""caunoi's addresses plus the bare view the publishing benchmark compares against."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from caunoi.urls import handler403, handler404, handler500
from caunoi.urls import urlpatterns as caunoi_urls


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *caunoi_urls]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
