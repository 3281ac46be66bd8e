"""``path("graphql/", include("wagtail_series.contrib.grapple.urls"))``: the limited GraphQL view.

CSRF-exempt as grapple's own URL is: frontends POST queries without a CSRF token, and the schema
only reads.
"""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .views import SeriesGraphQLView

urlpatterns = [
    path("", csrf_exempt(SeriesGraphQLView.as_view()), name="wagtail_series_graphql"),
]
