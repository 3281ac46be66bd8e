"""The example site's URLs plus the trivial view that 304 responses are compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from example_site.urls import urlpatterns as site_urlpatterns


def trivial_view(request: HttpRequest) -> HttpResponse:
    """As little as a Django view can do: the floor a 304 from the API is measured against."""
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial/", trivial_view), *site_urlpatterns]
