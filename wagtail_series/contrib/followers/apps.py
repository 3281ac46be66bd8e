from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailSeriesFollowersConfig(AppConfig):
    name = "wagtail_series.contrib.followers"
    label = "wagtail_series_followers"
    verbose_name = _("Wagtail series: followers")
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
