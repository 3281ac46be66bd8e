from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailSeriesAppConfig(AppConfig):
    name = "wagtail_series"
    label = "wagtail_series"
    verbose_name = _("Wagtail series")
    default_auto_field = "django.db.models.AutoField"
