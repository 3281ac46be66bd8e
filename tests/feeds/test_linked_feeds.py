"""Feeds of series with linked parts (issue 13)."""

from __future__ import annotations

import pytest

from tests.conftest import add_part, make_series
from tests.feeds.validation import check_feed
from tests.testapp.models import ReviewPage
from wagtail_series.models import LinkedPart

pytestmark = pytest.mark.django_db


# A live target with no first_published_at (a page made live by code, e.g. an import, not through
# a publish): its linked part's own dates stand in, so Atom entries keep <updated> and JSON Feed
# items date_published.
@pytest.mark.parametrize("kind", ["atom", "json"])
def test_a_live_target_without_dates_still_gives_a_valid_feed(client, home, settings, kind):
    settings.WAGTAIL_SERIES = {"FEED_CACHE_TIMEOUT": 0}
    series = make_series(home, "Imported")
    target = ReviewPage(title="Imported review", live=True, slug="imported-review")
    home.add_child(instance=target)
    add_part(series, "Imported", state="live", model=LinkedPart, target=target)
    path = {"atom": "feed/atom/", "json": "feed/json/"}[kind]
    check_feed(kind, client.get(series.url + path).content)
