"""System checks for the WAGTAIL_SERIES setting."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

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
