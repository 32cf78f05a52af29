"""caunoi's addresses plus the bare view the publishing benchmark compares against."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from caunoi.urls import handler403, handler404, handler500
from caunoi.urls import urlpatterns as caunoi_urls


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


@csrf_exempt
def bare_post(request: HttpRequest) -> HttpResponse:
    """A POST that reads its form and answers, as an API client's POST would (no CSRF)."""
    return HttpResponse(str(len(request.POST)).encode(), content_type="text/plain")


urlpatterns = [path("bench/bare", bare), path("bench/bare-post", bare_post), *caunoi_urls]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
