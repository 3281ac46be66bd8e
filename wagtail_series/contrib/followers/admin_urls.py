from django.urls import path

from . import admin_views

app_name = "wagtail_series_followers_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("preview/<int:page_id>/", admin_views.preview, name="preview"),
    path("address/", admin_views.address, name="address"),
    path("address/delete/", admin_views.delete_address, name="delete"),
]
