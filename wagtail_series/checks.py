"""System checks for the WAGTAIL_SERIES setting."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.functional import Promise
from django_tasks import task_backends

from .conf import (
    DEFAULTS,
    DEPRECATED_NAMES,
    EMPTY_PART_PUBLISH_CHOICES,
    SETTING_NAME,
    TOC_WINDOW_KEYS,
)
from .models import get_part_models


@register(Tags.compatibility)
def check_series_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    value = getattr(settings, SETTING_NAME, {})
    if not isinstance(value, dict):
        return [Error(f"{SETTING_NAME} must be a dict.", id="wagtail_series.E001")]
    errors = []
    for name in sorted(set(value) - set(DEFAULTS) - set(DEPRECATED_NAMES)):
        errors.append(
            Error(
                f"{SETTING_NAME} has an unknown setting {name!r}.",
                hint="Known settings: " + ", ".join(sorted(DEFAULTS)),
                id="wagtail_series.E002",
            )
        )
    types = {**DEFAULTS, **{old: DEFAULTS[new] for old, new in DEPRECATED_NAMES.items()}}
    for name, default in types.items():
        if name in _MAY_BE_NONE and value.get(name, default) is None:
            continue
        if name in value and not _same_type(value[name], default):
            errors.append(
                Error(
                    f"{SETTING_NAME}[{name!r}] must be a "
                    f"{type(default).__name__ if default is not None else 'str'}, "
                    f"not {type(value[name]).__name__}.",
                    id="wagtail_series.E003",
                )
            )
    for name in ("API_CACHE_MAX_AGE", "GRAPHQL_MAX_ALIASES"):
        if isinstance(value.get(name), int) and value[name] < 0:
            errors.append(
                Error(f"{SETTING_NAME}[{name!r}] can't be negative.", id="wagtail_series.E004")
            )
    for name in ("API_MAX_PARTS", "API_LIMIT_MAX", "GRAPHQL_MAX_DEPTH"):
        if isinstance(value.get(name), int) and value[name] < 1:
            errors.append(
                Error(f"{SETTING_NAME}[{name!r}] must be 1 or more.", id="wagtail_series.E004")
            )
    errors.extend(_propagation_errors(value))
    errors.extend(_reader_errors(value))
    for name in ("CACHE_ALIAS", "API_VALIDATOR_CACHE"):  # (the second: its deprecated name)
        alias = value.get(name)
        if isinstance(alias, str) and alias not in settings.CACHES:
            errors.append(
                Error(
                    f"{SETTING_NAME}[{name!r}] is {alias!r}, which is not in CACHES.",
                    hint="Name a cache alias from CACHES, or None to keep nothing in a cache.",
                    id="wagtail_series.E007",
                )
            )
    return errors


# Settings whose value may be None as well as of their default's type.
_MAY_BE_NONE = frozenset(
    [
        "CACHE_ALIAS",
        "API_VALIDATOR_CACHE",
        "CACHE_TAG_HEADER",
        "TOC_WINDOW",
        "SERIES_PAGE_SIZE",
        "OVERDUE_LABEL",
        "WEBSUB_HUB",
    ]
)


# An HTTP header name: an RFC 9110 token.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _same_type(value: Any, default: Any) -> bool:
    if default is None:
        # OVERDUE_LABEL: a string, or a lazy translation (gettext_lazy) of one.
        return isinstance(value, str | Promise)
    if isinstance(default, float):
        # A whole number of seconds is fine where seconds may be fractional.
        return type(value) in (int, float)
    return type(value) is type(default)


def _reader_errors(value: dict[str, Any]) -> list[Error]:
    """The table of contents: its window on part pages and the series page's page size."""
    errors = []
    window = value.get("TOC_WINDOW")
    if isinstance(window, dict) and not (
        set(window) <= set(TOC_WINDOW_KEYS)
        and all(type(n) is int and n >= 0 for n in window.values())
    ):
        errors.append(
            Error(
                f"{SETTING_NAME}['TOC_WINDOW'] must map some of "
                + ", ".join(repr(k) for k in TOC_WINDOW_KEYS)
                + f" to whole numbers, 0 or more, not {window!r}.",
                hint='For example {"first": 3, "around": 2, "last": 1, "forthcoming": 2}; '
                "None lists every part on every part page.",
                id="wagtail_series.E005",
            )
        )
    empty_publish = value.get("EMPTY_PART_PUBLISH")
    if isinstance(empty_publish, str) and empty_publish not in EMPTY_PART_PUBLISH_CHOICES:
        errors.append(
            Error(
                f"{SETTING_NAME}['EMPTY_PART_PUBLISH'] must be one of "
                + ", ".join(repr(c) for c in EMPTY_PART_PUBLISH_CHOICES)
                + f", not {empty_publish!r}.",
                id="wagtail_series.E005",
            )
        )
    size = value.get("SERIES_PAGE_SIZE")
    if type(size) is int and size < 1:
        errors.append(
            Error(
                f"{SETTING_NAME}['SERIES_PAGE_SIZE'] must be 1 or more (None: no pagination).",
                id="wagtail_series.E004",
            )
        )
    return errors


def _propagation_errors(value: dict[str, Any]) -> list[Error]:
    """Feeds, purging and webhooks: ranges, the endpoint list and the task backend."""
    errors = []
    for name in ("FEED_ITEMS", "WEBHOOK_MAX_ATTEMPTS"):
        if _same_type(value.get(name), 1) and value[name] < 1:
            errors.append(
                Error(f"{SETTING_NAME}[{name!r}] must be 1 or more.", id="wagtail_series.E004")
            )
    for name in ("FEED_CACHE_TIMEOUT", "WEBHOOK_BACKOFF"):
        if type(value.get(name)) in (int, float) and value[name] < 0:
            errors.append(
                Error(f"{SETTING_NAME}[{name!r}] can't be negative.", id="wagtail_series.E004")
            )
    for name in ("WEBHOOK_TIMEOUT", "PROPAGATION_TIMEOUT"):
        if type(value.get(name)) in (int, float) and value[name] <= 0:
            errors.append(
                Error(f"{SETTING_NAME}[{name!r}] must be more than 0.", id="wagtail_series.E004")
            )
    pending = value.get("WEBHOOK_PENDING_TIMEOUT", DEFAULTS["WEBHOOK_PENDING_TIMEOUT"])
    timeout = value.get("WEBHOOK_TIMEOUT", DEFAULTS["WEBHOOK_TIMEOUT"])
    if (
        type(pending) in (int, float)
        and type(timeout) in (int, float)
        and timeout > 0
        and pending <= timeout
    ):
        errors.append(
            Error(
                f"{SETTING_NAME}['WEBHOOK_PENDING_TIMEOUT'] must be more than WEBHOOK_TIMEOUT "
                f"({timeout} s): a claim must outlast the attempt it covers.",
                hint="A few minutes is usual (the default is 300).",
                id="wagtail_series.E004",
            )
        )
    namespaces = value.get("API_URL_NAMESPACES")
    if isinstance(namespaces, list) and not all(isinstance(n, str) for n in namespaces):
        errors.append(
            Error(
                f"{SETTING_NAME}['API_URL_NAMESPACES'] must be a list of strings.",
                id="wagtail_series.E005",
            )
        )
    webhooks = value.get("WEBHOOKS")
    if isinstance(webhooks, list):
        for index, endpoint in enumerate(webhooks):
            if not (
                isinstance(endpoint, dict)
                and set(endpoint) == {"url", "secret"}
                and isinstance(endpoint["url"], str)
                and endpoint["url"].startswith(("http://", "https://"))
                and isinstance(endpoint["secret"], str)
                and endpoint["secret"]
            ):
                errors.append(
                    Error(
                        f"{SETTING_NAME}['WEBHOOKS'][{index}] must be a dict with an http(s) "
                        "'url' and a non-empty 'secret', and nothing else.",
                        id="wagtail_series.E005",
                    )
                )
    header = value.get("CACHE_TAG_HEADER")
    if isinstance(header, str) and not _HEADER_NAME.fullmatch(header):
        errors.append(
            Error(
                f"{SETTING_NAME}['CACHE_TAG_HEADER'] must be an HTTP header name, not {header!r}.",
                hint='For example "Cache-Tag", "Surrogate-Key" or "xkey"; None sends no tags.',
                id="wagtail_series.E005",
            )
        )
    backend = value.get("TASK_BACKEND")
    if isinstance(backend, str) and backend not in task_backends.settings:
        errors.append(
            Error(
                f"{SETTING_NAME}['TASK_BACKEND'] is {backend!r}, which is not in TASKS.",
                hint="Known task backends: " + ", ".join(sorted(task_backends.settings)),
                id="wagtail_series.E006",
            )
        )
    return errors


@register(Tags.models)
def check_part_api_fields(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """A part page type whose own ``api_fields`` leave out the mixin's ``series`` field."""
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
