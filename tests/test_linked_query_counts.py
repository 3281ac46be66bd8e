"""Series mixing child, linked and placeholder parts cost the same queries for 3 or 300 parts, on
every surface (issue 13): pages, REST, GraphQL and feeds."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.conftest import add_part, make_series, reload, restrict
from tests.feeds.test_views import items_of
from tests.feeds.validation import check_feed
from tests.testapp.models import ReviewPage
from wagtail_series.models import LinkedPart

pytestmark = pytest.mark.django_db


def build(home, parts: int):
    """A series of ``parts`` entries: a child part, a link to a live review and a placeholder, in
    turn; then a link to a draft review and one to a members-only review (both counted, neither
    shown as a link to an anonymous reader)."""
    series = make_series(home, "Mixed")
    first_target = None
    now = timezone.now()
    for i in range(parts):
        kind = i % 3
        if kind == 0:
            add_part(series, f"Child {i}", state="live")
        elif kind == 1:
            target = ReviewPage(
                title=f"Review {i}",
                live=True,
                slug=f"review-{i}",
                first_published_at=now,
                last_published_at=now,
            )
            home.add_child(instance=target)
            add_part(series, f"Link {i}", state="live", model=LinkedPart, target=target)
            first_target = first_target or target
        else:
            add_part(series, f"Placeholder {i}", state="live", model=LinkedPart)
    draft = ReviewPage(title="Draft review", live=False, slug="draft-review")
    home.add_child(instance=draft)
    add_part(series, "Draft link", state="live", model=LinkedPart, target=draft)
    private = ReviewPage(
        title="Members review",
        live=True,
        slug="members-review",
        first_published_at=now,
        last_published_at=now,
    )
    home.add_child(instance=private)
    restrict(private, PageViewRestriction.LOGIN)
    add_part(series, "Members link", state="live", model=LinkedPart, target=private)
    series = reload(series)
    child = series.get_children().first().specific
    return series, child, reload(first_target)


def series_query(series) -> str:
    return (
        f"{{ series(id: {series.pk}) {{ title partsTotal parts {{ id position label title status "
        "url teaser expectedDate firstPublishedAt page { id title url } } } }"
    )


SITE_FEEDS = {kind: reverse(f"wagtail_series_feeds:{kind}") for kind in ("rss", "atom", "json")}

# Each surface's queries for an anonymous reader, the same for 3 and 300 parts. Building the
# series' outline costs, on each: the series' view restrictions (1), one query per part type
# (SeriesPart, BlogPage, LinkedPart: 3), the live targets (1) and the view restrictions above them
# (1), on top of what the surface costs with child parts only (see test_query_counts,
# api/test_views, feeds/test_views, contrib/grapple/test_query_counts). Feeds are counted uncached.
SURFACES = {
    "series page": 12,
    "child part page": 15,
    "target page": 13,
    "rest detail": 10,
    "rest listing": 12,
    "pages api target": 15,
    "graphql series": 13,
    "series rss": 18,
    "series atom": 18,
    "series json": 18,
    "site rss": 15,
    "site atom": 15,
    "site json": 15,
}


def surface_url(name: str, series, child, target) -> str:
    return {
        "series page": series.url,
        "child part page": child.url,
        "target page": target.url,
        "rest detail": f"/api/v2/series/{series.pk}/",
        "rest listing": "/api/v2/series/",
        "pages api target": f"/api/v2/pages/{target.pk}/",
        "graphql series": "/graphql/?query=" + series_query(series),
        "series rss": series.url + "feed/",
        "series atom": series.url + "feed/atom/",
        "series json": series.url + "feed/json/",
        "site rss": SITE_FEEDS["rss"],
        "site atom": SITE_FEEDS["atom"],
        "site json": SITE_FEEDS["json"],
    }[name]


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("parts", [3, 300])
def test_mixed_series_costs_the_same_queries_for_3_or_300_parts(
    client, home, settings, parts, surface, django_assert_num_queries
):
    if surface.startswith("graphql") and not apps.is_installed("wagtail_series.contrib.grapple"):
        pytest.skip("GraphQL is not installed (a swapped page model)")
    # Feeds built on every request (not from the cache), with every item.
    settings.WAGTAIL_SERIES = {"FEED_CACHE_TIMEOUT": 0, "FEED_ITEMS": 1000}
    series, child, target = build(home, parts)
    url = surface_url(surface, series, child, target)
    assert client.get(url).status_code == 200  # warm Wagtail's site and content type caches
    with django_assert_num_queries(SURFACES[surface]):
        response = client.get(url)
    assert response.status_code == 200
    check_content(surface, response, parts)


def check_content(surface: str, response, parts: int) -> None:
    """What each surface shows of the series: every entry (so the count covers them all)."""
    # An anonymous reader sees every entry but the members-only link; the draft link and the
    # placeholders are forthcoming; published are the child parts and the live reviews.
    visible = parts + 1
    published = parts - parts // 3
    body = response.content.decode()
    if surface == "series page":
        assert body.count("series-toc__entry--") == min(visible, 200)
        assert "Review 1" in body and "Members review" not in body
    elif surface in ("child part page", "target page"):
        assert f"of {visible}" in body, body
    elif surface == "rest detail":
        data = response.json()
        assert len(data["parts"]) == visible
        statuses = [part["status"] for part in data["parts"]]
        assert statuses.count("published") == published
    elif surface == "rest listing":
        [item] = response.json()["items"]
        assert item["counts"]["published"] == published
    elif surface == "pages api target":
        info = response.json()["series"]
        assert (info["title"], info["position"], info["total"]) == ("Mixed", 2, visible)
    elif surface == "graphql series":
        data = response.json()
        assert "errors" not in data, data
        entries = data["data"]["series"]["parts"]
        assert len(entries) == visible
        assert sum(entry["page"] is not None for entry in entries) == published
    else:
        kind = surface.split()[-1]
        items = items_of(kind, check_feed(kind, response.content))
        assert len(items) == published


# A logged-in member of a group, with a group-restricted target too: the surfaces that depend on
# the reader (feeds are public documents, the same for everyone). The session, the user and their
# groups (and, on Wagtail's own views, its restriction checks) cost a few queries more than for
# an anonymous reader, whatever the length of the series.
MEMBER_SURFACES = {
    "series page": 16,
    "child part page": 19,
    "target page": 17,
    "rest detail": 14,
    "rest listing": 16,
    "pages api target": 22,
    "graphql series": 16,
}


@pytest.mark.parametrize("parts", [3, 300])
def test_a_members_view_of_a_mixed_series_costs_the_same_for_3_or_300_parts(
    client, home, parts, django_user_model, django_assert_num_queries
):
    series, child, target = build(home, parts)
    club = Group.objects.create(name="Club")
    club_review = ReviewPage(title="Club review", live=True, slug="club-review")
    home.add_child(instance=club_review)
    restrict(club_review, PageViewRestriction.GROUPS, groups=[club])
    add_part(series, "Club link", state="live", model=LinkedPart, target=club_review)
    member = django_user_model.objects.create_user("member", password="x")
    member.groups.add(club)
    client.force_login(member)
    for surface, expected in MEMBER_SURFACES.items():
        if surface.startswith("graphql") and not apps.is_installed(
            "wagtail_series.contrib.grapple"
        ):
            continue
        url = surface_url(surface, reload(series), child, target)
        assert client.get(url).status_code == 200
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        # The member sees both restricted targets: every entry, numbered.
        if surface in ("series page", "rest detail", "graphql series"):
            assert "Members review" in body and "Club review" in body, surface
        elif surface == "rest listing":
            [item] = response.json()["items"]
            assert item["counts"]["published"] == parts - parts // 3 + 2
        elif surface == "pages api target":
            assert response.json()["series"]["total"] == parts + 3
        else:
            assert f"of {parts + 3}" in body, surface
