"""Mount before Wagtail's catch-all:

    path("series/followers/", include("wagtail_series.contrib.followers.urls")),

URL names (namespace ``wagtail_series_followers``): ``follow`` (the form), ``api_follow``
(JSON), ``confirm`` and ``unsubscribe`` (signed links in the emails).
"""

from django.urls import path

from . import views

app_name = "wagtail_series_followers"

urlpatterns = [
    path("follow/", views.follow_form, name="follow"),
    path("api/follow/", views.follow_api, name="api_follow"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
