"""System checks of the GraphQL app: part page types that grapple serves without ``seriesInfo``."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register

from ...models import LinkedPart, SeriesPart, get_part_models
from .types import SERIES_PART_INTERFACE, SeriesPartInterface


@register(Tags.models)
def check_part_types_have_series_info(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    from grapple.registry import registry

    warnings = []
    for model in get_part_models():
        if model in (SeriesPart, LinkedPart):  # this app builds their types
            continue
        node = registry.pages.get(model)
        if node is None:  # not in the schema at all (its app is not in GRAPPLE["APPS"])
            continue
        if SeriesPartInterface not in node._meta.interfaces:
            warnings.append(
                Warning(
                    f"{model._meta.label} is a series part, but its GraphQL type has no "
                    "'seriesInfo' field.",
                    hint=f'Add graphql_interfaces = ("{SERIES_PART_INTERFACE}",) to it.',
                    obj=model,
                    id="wagtail_series_grapple.W001",
                )
            )
    return warnings
