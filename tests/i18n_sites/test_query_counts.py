"""Under Wagtail i18n, a French series costs the same queries at 3 and 300 parts on every
surface: the part page, the series page, REST detail and listing, GraphQL and its feed."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import reload
from tests.sites_and_locales import translate_page
from tests.test_query_counts import build_series


def queries(client, url: str, **kwargs) -> tuple[int, object]:
    client.get(url, **kwargs)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.content[:300])
    return len(captured), response


def graphql(client, query: str) -> tuple[int, dict]:
    client.post("/graphql/", {"query": query}, content_type="application/json")
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", {"query": query}, content_type="application/json")
    data = response.json()
    assert "errors" not in data, data
    return len(captured), data


def in_a_french_section(i18n, home, parts: int):
    """``build_series`` (a series "Long") in a French section of its own, one per length, so
    both lengths sit at the same depth."""
    from tests.conftest import Page

    french_home = Page.objects.filter(locale=i18n, depth=2).first()
    if french_home is None:
        french_home = translate_page(home, i18n, title="Accueil")
    section = Page(title=f"Rubrique {parts}", slug=f"rubrique-{parts}")
    french_home.add_child(instance=section)
    section.save_revision().publish()
    series, part = build_series(reload(section), parts)
    assert series.locale == i18n and part.url.startswith("/fr/")
    return series, part


@pytest.fixture
def counts(i18n, home, client):
    """Query counts per surface for a French series of 3 and of 300 parts (both on one site:
    the listing holds both)."""
    measured: dict[int, dict[str, int]] = {}
    for parts in (3, 300):
        series, part = in_a_french_section(i18n, home, parts)
        seen: dict[str, int] = {}
        seen["part page"], response = queries(client, part.url)
        assert "sur" in response.content.decode()  # French words around French parts
        seen["series page"], _ = queries(client, series.url)
        seen["REST detail"], response = queries(client, f"/api/v2/series/{series.pk}/")
        assert response.json()["locale"] == "fr"
        seen["REST listing"], response = queries(client, "/api/v2/series/?locale=fr")
        seen["feed"], _ = queries(client, series.url + "feed/")
        if not apps.is_installed("wagtail_series.contrib.grapple"):  # a swapped page model
            measured[parts] = seen
            continue
        seen["GraphQL"], data = graphql(
            client,
            f"{{ series(id: {series.pk}) {{ title locale parts {{ title }} }} }}",
        )
        assert data["data"]["series"]["locale"] == "fr"
        assert len(data["data"]["series"]["parts"]) == parts - 1  # all but the private part
        measured[parts] = seen
    return measured


def test_a_french_series_costs_the_same_at_3_and_300_parts(counts):
    assert counts[3] == counts[300], counts
