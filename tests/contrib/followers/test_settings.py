"""The followers' settings: defaults, and the system check on their types."""

from __future__ import annotations

from wagtail_series.checks import check_series_settings
from wagtail_series.conf import DEFAULTS, series_settings


def test_defaults():
    assert series_settings.FOLLOWERS_FROM_EMAIL == {}
    assert series_settings.FOLLOWERS_BATCH_SIZE == DEFAULTS["FOLLOWERS_BATCH_SIZE"] == 100
    assert series_settings.WEBSUB_HUB is None


def test_checked(settings):
    settings.WAGTAIL_SERIES = {
        "WEBSUB_HUB": "https://hub.example.com/",
        "FOLLOWERS_IP_RATE": (5, 60),
    }
    assert check_series_settings() == []
    settings.WAGTAIL_SERIES = {"FOLLOWERS_BATCH_SIZE": "100", "WEBSUB_HUB": 3}
    ids = [error.id for error in check_series_settings()]
    assert len(ids) == 2


def test_from_address_per_site(settings, home):
    from wagtail_series.contrib.followers.emails import sender

    settings.DEFAULT_FROM_EMAIL = "default@example.com"
    assert sender(home) == ("default@example.com", [])
    settings.WAGTAIL_SERIES = {
        "FOLLOWERS_FROM_EMAIL": {"localhost": "Blog <news@example.com>"},
        "FOLLOWERS_REPLY_TO": {"localhost": "editors@example.com"},
    }
    assert sender(home) == ("Blog <news@example.com>", ["editors@example.com"])
