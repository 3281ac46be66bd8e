from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "example_site.home"
    label = "home"
    verbose_name = "Example site: home"
    default_auto_field = "django.db.models.AutoField"
