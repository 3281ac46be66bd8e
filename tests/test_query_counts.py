"""Pages render in a constant number of queries, whatever the length of the series."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.conftest import add_part, make_series, page_link, reload, restrict, rich_text_paragraph
from tests.testapp.models import BlogPage

pytestmark = pytest.mark.django_db

# Queries for one page view. They include Wagtail's own routing, site and restriction lookups; the
# series adds one query per part page type (3 here: SeriesPart, BlogPage, LinkedPart), one for view
# restrictions and, on part pages, the lookup of the series linking the page (LinkedPart) and the
# rich-text link lookups. (A part page finds its own series from Wagtail's routing, no query.)
SERIES_PAGE_QUERIES = 10
PART_PAGE_QUERIES = 16
# Entries of the part page's table of contents (the default TOC_WINDOW) for the first part: all
# 2 visible ones of 3; of 300 (299 visible), parts 1-3, a gap, and "Coming", forthcoming and last.
WINDOW_ENTRIES = {3: 2, 300: 4}
SERIES_PAGE_SIZE = 200  # the default


def build_series(home, parts: int):
    """A series of ``parts`` parts of two page types, with drafts and a private part among them."""
    series = make_series(home, "Long", description="<p>A long one.</p>")
    for i in range(parts - 2):
        model = BlogPage if i % 10 == 5 else None
        add_part(series, f"Part {i}", state="live", **({"model": model} if model else {}))
    add_part(series, "Coming", state="draft", forthcoming_teaser="Soon.")
    restrict(add_part(series, "Members", state="live"), PageViewRestriction.LOGIN)
    parts_so_far = list(reload(series).get_children().specific())
    target = parts_so_far[0]
    target.body = rich_text_paragraph(
        "".join(
            page_link(p, p.title)
            for p in {p.pk: p for p in parts_so_far[:3] + parts_so_far[-2:]}.values()
        )
    )
    target.save()
    return reload(series), reload(target)


@pytest.mark.parametrize("parts", [3, 300])
def test_series_page_queries_do_not_grow_with_the_series(
    home, client, parts, django_assert_num_queries
):
    series, _ = build_series(home, parts)
    client.get(series.url)
    with django_assert_num_queries(SERIES_PAGE_QUERIES):
        response = client.get(series.url)
    assert response.status_code == 200
    # All but the private part, SERIES_PAGE_SIZE a page.
    assert response.content.count(b"series-toc__entry--") == min(parts - 1, SERIES_PAGE_SIZE)
    if parts - 1 > SERIES_PAGE_SIZE:
        with django_assert_num_queries(SERIES_PAGE_QUERIES):
            response = client.get(series.url + "?page=2")
        assert response.content.count(b"series-toc__entry--") == parts - 1 - SERIES_PAGE_SIZE
    # Its cache tag comes with it, at no query (counted above).
    assert response["Cache-Tag"] == f"wagtail-series-{series.pk}"


@pytest.mark.parametrize("parts", [3, 300])
def test_part_page_queries_do_not_grow_with_the_series(
    home, client, parts, django_assert_num_queries
):
    series, part = build_series(home, parts)
    client.get(part.url)
    with django_assert_num_queries(PART_PAGE_QUERIES):
        response = client.get(part.url)
    assert response.status_code == 200
    assert b"Part 1 of " in response.content
    assert response.content.count(b"series-forthcoming-link") == 1
    # The table of contents is a window: its size doesn't grow with the series either.
    assert response.content.count(b'class="series-toc__entry ') == WINDOW_ENTRIES[parts]
    assert response.content.count(b'class="series-toc__gap"') == (parts > 3)
    # Its series' cache tag, read from what rendering memoised: no query (counted above).
    assert response["Cache-Tag"] == f"wagtail-series-{series.pk}"


@pytest.mark.parametrize("parts", [10, 300])  # build_series adds a BlogPage from 8 parts on
def test_a_host_part_type_is_tagged_at_no_query(home, client, parts):
    series, _ = build_series(home, parts)
    blog = reload(series).get_children().type(BlogPage).first().specific
    client.get(blog.url)
    with CaptureQueriesContext(connection) as tagged:
        response = client.get(blog.url)
    assert response["Cache-Tag"] == f"wagtail-series-{series.pk}"
    # The same page with tagging off: the tag costs nothing.
    from django.test import override_settings

    with (
        override_settings(WAGTAIL_SERIES={"CACHE_TAG_HEADER": None}),
        CaptureQueriesContext(connection) as untagged,
    ):
        response = client.get(blog.url)
    assert "Cache-Tag" not in response
    assert len(tagged) == len(untagged)


def test_group_restrictions_cost_the_same_for_3_and_300_parts(home, client, django_user_model):
    """The user's groups are read once, not once per group-restricted part."""
    club = Group.objects.create(name="Club")
    member = django_user_model.objects.create_user("member", password="x")
    member.groups.add(club)
    client.force_login(member)
    counts = {}
    for parts in (3, 300):
        series = make_series(home, f"Club series {parts}")
        for i in range(parts):
            restrict(
                add_part(series, f"P{i}", state="live"), PageViewRestriction.GROUPS, groups=[club]
            )
        client.get(series.url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(series.url)
        published = response.content.count(b"series-toc__entry--published")
        assert published == min(parts, SERIES_PAGE_SIZE)
        counts[parts] = len(ctx.captured_queries)
    assert counts[3] == counts[300]
