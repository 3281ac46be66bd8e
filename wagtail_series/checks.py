"""System checks for the WAGTAIL_SERIES setting."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .conf import DEFAULTS, SETTING_NAME


@register(Tags.compatibility)
def check_series_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    value = getattr(settings, SETTING_NAME, {})
    if not isinstance(value, dict):
        return [Error(f"{SETTING_NAME} must be a dict.", id="wagtail_series.E001")]
    errors = []
    for name in sorted(set(value) - set(DEFAULTS)):
        errors.append(
            Error(
                f"{SETTING_NAME} has an unknown setting {name!r}.",
                hint="Known settings: " + ", ".join(sorted(DEFAULTS)),
                id="wagtail_series.E002",
            )
        )
    for name, default in DEFAULTS.items():
        if name in value and type(value[name]) is not type(default):
            errors.append(
                Error(
                    f"{SETTING_NAME}[{name!r}] must be a {type(default).__name__}, "
                    f"not {type(value[name]).__name__}.",
                    id="wagtail_series.E003",
                )
            )
    for name in ("API_CACHE_MAX_AGE",):
        if isinstance(value.get(name), int) and value[name] < 0:
            errors.append(
                Error(f"{SETTING_NAME}[{name!r}] can't be negative.", id="wagtail_series.E004")
            )
    for name in ("API_MAX_PARTS", "API_LIMIT_MAX"):
        if isinstance(value.get(name), int) and value[name] < 1:
            errors.append(
                Error(f"{SETTING_NAME}[{name!r}] must be 1 or more.", id="wagtail_series.E004")
            )
    return errors


@register(Tags.models)
def check_part_api_fields(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """A part page type whose own ``api_fields`` leave out the mixin's ``series`` field."""
    from .models import get_part_models

    warnings = []
    for model in get_part_models():
        names = {getattr(field, "name", field) for field in getattr(model, "api_fields", ())}
        if "series" not in names:
            warnings.append(
                Warning(
                    f"{model._meta.label} is a series part, but its api_fields have no 'series' "
                    "field, so Wagtail's pages API won't show its place in the series.",
                    hint="Add *SeriesPartMixin.api_fields to its api_fields.",
                    obj=model,
                    id="wagtail_series.W001",
                )
            )
    return warnings
