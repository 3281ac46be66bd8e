from __future__ import annotations

from collections.abc import Sequence

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ...compat import DEFAULT_PAGE_MODEL, page_model_name

APP_NAME = "wagtail_series.contrib.grapple"

# Apps this one needs, and why; grapple itself needs the last two.
REQUIRED_APPS = {
    "wagtail_series": "the series models",
    "grapple": "wagtail-grapple builds the site's GraphQL schema",
    "graphene_django": "grapple serves its schema with graphene-django",
    "wagtail.embeds": "grapple's StreamField types import wagtail.embeds",
}


def requirement_errors(installed: Sequence[str], page_model: str = DEFAULT_PAGE_MODEL) -> list[str]:
    """What is missing from ``installed`` (INSTALLED_APPS' app names) for this app, or wrong with
    the site's ``page_model`` ("app_label.ModelName")."""
    errors = [
        f"{APP_NAME} needs {name!r} in INSTALLED_APPS ({why})."
        for name, why in REQUIRED_APPS.items()
        if name not in installed
    ]
    if page_model != DEFAULT_PAGE_MODEL:
        # grapple 0.31 builds its page types and page queries on wagtail.models.Page itself.
        errors.append(
            f"{APP_NAME} can't serve a site whose page model is swapped (WAGTAIL_PAGE_MODEL = "
            f"{page_model!r}): wagtail-grapple only knows wagtail.models.Page."
        )
    return errors


class WagtailSeriesGrappleConfig(AppConfig):
    name = APP_NAME
    label = "wagtail_series_grapple"
    verbose_name = _("Wagtail series: GraphQL")

    def ready(self) -> None:
        # Fail at start-up, not on the first GraphQL request.
        errors = requirement_errors(
            [config.name for config in apps.get_app_configs()], page_model_name()
        )
        if errors:
            raise ImproperlyConfigured(
                " ".join(errors)
                + " wagtail-grapple comes with: pip install 'wagtail-series[graphql]'."
            )
        # The types and query fields join the schema through grapple's hook (wagtail_hooks.py).
        from . import checks  # noqa: F401  (registers the system checks)
