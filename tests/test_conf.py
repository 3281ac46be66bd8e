"""series_settings: defaults, overrides, unknown names, reload on setting change."""

import pytest

from wagtail_series.conf import DEFAULTS, series_settings


def test_defaults():
    assert series_settings.API_CACHE_MAX_AGE == DEFAULTS["API_CACHE_MAX_AGE"]


def test_override_settings_is_seen_at_once(settings):
    settings.WAGTAIL_SERIES = {"API_CACHE_MAX_AGE": 5}
    assert series_settings.API_CACHE_MAX_AGE == 5
    assert series_settings.API_MAX_PARTS == DEFAULTS["API_MAX_PARTS"]
    settings.WAGTAIL_SERIES = {}
    assert series_settings.API_CACHE_MAX_AGE == DEFAULTS["API_CACHE_MAX_AGE"]


def test_unknown_name_is_an_error():
    with pytest.raises(AttributeError, match="no setting 'NOPE'"):
        series_settings.NOPE  # noqa: B018
