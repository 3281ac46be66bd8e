"""Admin URLs of wagtail-series (under /admin/series/, namespace "wagtail_series_admin").

The Series index itself is the modeladmin area (see ``modeladmin``).
"""

from django.urls import path

from .views.parts import AddForthcomingPartView, AnnouncePartsView, LinkPageView
from .views.planner import ForthcomingPartsReportView
from .views.reorder import ReorderPartsView, SetPartPositionView

app_name = "wagtail_series_admin"

urlpatterns = [
    path(
        "forthcoming-parts/",
        ForthcomingPartsReportView.as_view(),
        name="forthcoming_parts",
    ),
    path(
        "forthcoming-parts/results/",
        ForthcomingPartsReportView.as_view(results_only=True),
        name="forthcoming_parts_results",
    ),
    path(
        "<int:series_id>/add-forthcoming-part/",
        AddForthcomingPartView.as_view(),
        name="add_forthcoming_part",
    ),
    path(
        "<int:series_id>/announce-parts/",
        AnnouncePartsView.as_view(),
        name="announce_parts",
    ),
    path(
        "<int:series_id>/link-page/",
        LinkPageView.as_view(),
        name="link_page",
    ),
    path("<int:series_id>/reorder/", ReorderPartsView.as_view(), name="reorder_parts"),
    path(
        "<int:series_id>/reorder/<int:page_id>/",
        SetPartPositionView.as_view(),
        name="set_part_position",
    ),
]
