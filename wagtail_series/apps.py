from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailSeriesAppConfig(AppConfig):
    name = "wagtail_series"
    label = "wagtail_series"
    verbose_name = _("Wagtail series")
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
