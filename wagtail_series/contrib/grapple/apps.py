from __future__ import annotations

from collections.abc import Sequence

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

APP_NAME = "wagtail_series.contrib.grapple"

# Apps this one needs, and why; grapple itself needs the last two.
REQUIRED_APPS = {
    "wagtail_series": "the series models",
    "grapple": "wagtail-grapple builds the site's GraphQL schema",
    "graphene_django": "grapple serves its schema with graphene-django",
    "wagtail.embeds": "grapple's StreamField types import wagtail.embeds",
}


def requirement_errors(installed: Sequence[str]) -> list[str]:
    """What is missing from ``installed`` (INSTALLED_APPS' app names) for this app."""
    return [
        f"{APP_NAME} needs {name!r} in INSTALLED_APPS ({why})."
        for name, why in REQUIRED_APPS.items()
        if name not in installed
    ]


class WagtailSeriesGrappleConfig(AppConfig):
    name = APP_NAME
    label = "wagtail_series_grapple"
    verbose_name = _("Wagtail series: GraphQL")

    def ready(self) -> None:
        # Fail at start-up, not on the first GraphQL request.
        errors = requirement_errors([config.name for config in apps.get_app_configs()])
        if errors:
            raise ImproperlyConfigured(
                " ".join(errors)
                + " wagtail-grapple comes with: pip install 'wagtail-series[graphql]'."
            )
        # The types and query fields join the schema through grapple's hook (wagtail_hooks.py).
        from . import checks  # noqa: F401  (registers the system checks)
