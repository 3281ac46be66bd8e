"""The example site's URLs plus two bench-only views.

- ``bench/trivial/``: the floor a 304 from the API is measured against (api_bench);
- ``bench/siblings/<page id>/``: the stock side of the part-page benchmark, a page rendered in
  the site's layout with the titles and links of its live siblings, as a plain Wagtail site
  would list a section (``page.get_parent().get_children().live()``).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from wagtail.models import Page

from example_site.urls import urlpatterns as site_urlpatterns


def trivial_view(request: HttpRequest) -> HttpResponse:
    """As little as a Django view can do: the floor a 304 from the API is measured against."""
    return HttpResponse("ok")


def siblings_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """A page and the list of its live siblings: what a stock page listing its section costs."""
    page = get_object_or_404(Page, pk=page_id, live=True).specific
    siblings = page.get_parent().get_children().live()
    return render(request, "bench/siblings.html", {"page": page, "siblings": siblings})


urlpatterns = [
    path("bench/trivial/", trivial_view),
    path("bench/siblings/<int:page_id>/", siblings_view),
    *site_urlpatterns,
]
