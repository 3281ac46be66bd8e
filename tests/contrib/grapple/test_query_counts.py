"""GraphQL answers in a constant number of queries, whatever the length of a series."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.conftest import add_part, make_series, reload, restrict
from tests.contrib.grapple.conftest import data
from tests.testapp.models import BlogPage

pytestmark = pytest.mark.django_db

ENTRIES = "parts { id position label title status url teaser expectedDate firstPublishedAt }"

# series(id) with its parts: the series (1), view restrictions on it, its ancestors and its parts
# (1, and 1 for their groups since there are restrictions), the parts (one query per part type:
# 3 here, with LinkedPart), and the request's Site (1: the fields answer for it,
# reader.series_in_scope; no other Site lookup for URLs: with one site, a URL is relative whatever
# the site). Without restrictions and with one part type and LinkedPart, 5.
SERIES_WITH_PARTS = 7
# ... and the part pages themselves, with their seriesInfo: none more, as the live parts' rows are
# read whole with the outline.
SERIES_WITH_PAGES = SERIES_WITH_PARTS
# ... unless the query names a StreamField, which a page type loads through the ORM: then one
# query more for each part type with one (SeriesPart here).
SERIES_WITH_PAGE_BODIES = SERIES_WITH_PAGES + 1
# seriesList: the request's Site (1), visible series (restrictions 1), the page of series (1), tags
# (1), then as above for all the series at once: restrictions and groups (2), parts with their
# pages (3).
LIST_WITH_EVERYTHING = 9


def build(home, parts: int, title: str = ""):
    """A series of ``parts`` parts of two page types (both, whatever the length), with a
    forthcoming and a private part."""
    series = make_series(home, title or f"Series of {parts}")
    series.tags.add("long")
    series.save()
    for n in range(parts - 2):
        add_part(series, f"P{n}", state="live", **({"model": BlogPage} if n % 7 == 6 else {}))
    add_part(series, "Forthcoming", state="draft", model=BlogPage)
    restrict(add_part(series, "Members", state="live"), PageViewRestriction.LOGIN)
    return reload(series)


def counted(client, query: str, variables: dict | None = None) -> tuple[int, dict]:
    data(client, query, variables)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as context:
        result = data(client, query, variables)
    return len(context.captured_queries), result


@pytest.mark.parametrize("parts", [3, 300])
def test_series_with_parts_costs_the_same_for_3_or_300_parts(
    client, home, parts, django_assert_num_queries
):
    series = build(home, parts)
    query = f"query ($id: ID) {{ series(id: $id) {{ title {ENTRIES} partsTotal }} }}"
    data(client, query, {"id": series.pk})
    with django_assert_num_queries(SERIES_WITH_PARTS):
        result = data(client, query, {"id": series.pk})
    assert len(result["series"]["parts"]) == parts - 1  # all but the private part
    assert result["series"]["partsTotal"] == parts - 1


@pytest.mark.parametrize("parts", [3, 300])
def test_part_pages_and_their_series_info_cost_the_same_for_3_or_300_parts(
    client, home, parts, django_assert_num_queries
):
    series = build(home, parts)
    query = """query ($id: ID) { series(id: $id) { parts { title page { id title url
        ... on SeriesPartInterface { seriesInfo { label summary previous { title page { id } } } }
    } } } }"""
    data(client, query, {"id": series.pk})
    with django_assert_num_queries(SERIES_WITH_PAGES):
        result = data(client, query, {"id": series.pk})
    published = [p for p in result["series"]["parts"] if p["page"]]
    assert len(published) == parts - 2
    assert published[-1]["page"]["seriesInfo"]["label"] == f"Part {parts - 2}"


def test_series_by_slug_costs_the_same_as_by_id(client, home):
    series = build(home, 3)
    query = f"query ($id: ID, $slug: String) {{ series(id: $id, slug: $slug) {{ {ENTRIES} }} }}"
    by_id, _ = counted(client, query, {"id": series.pk})
    by_slug, _ = counted(client, query, {"slug": series.slug})
    assert by_id == by_slug == SERIES_WITH_PARTS


@pytest.mark.parametrize("count", [3, 30])
def test_series_list_costs_the_same_for_3_or_30_series(
    client, home, count, django_assert_num_queries
):
    for n in range(count):
        build(home, 30 if n == 0 else 3, title=f"Series {n}")
    query = """{ seriesList(limit: 50) { title tags partsTotal
        parts { title page { title ... on SeriesPartInterface { seriesInfo { label } } } } } }"""
    data(client, query)
    with django_assert_num_queries(LIST_WITH_EVERYTHING):
        result = data(client, query)
    assert len(result["seriesList"]) == count
    assert sorted(s["partsTotal"] for s in result["seriesList"])[-1] == 29


@pytest.mark.parametrize("parts", [3, 300])
def test_asking_for_part_bodies_costs_the_same_for_3_or_300_parts(client, home, parts):
    """Part pages are loaded without their StreamFields unless the query names one: then with,
    through the ORM."""
    series = build(home, parts)
    with_body = """query ($id: ID) { series(id: $id) { parts { page {
        ... on SeriesPart { intro body { blockType } } } } } }"""
    without = """query ($id: ID) { series(id: $id) { parts { page {
        ... on SeriesPart { intro } } } } }"""
    assert counted(client, with_body, {"id": series.pk})[0] == SERIES_WITH_PAGE_BODIES
    assert counted(client, without, {"id": series.pk})[0] == SERIES_WITH_PAGES


@pytest.mark.parametrize(
    "parts_selection",
    [
        "parts { page { title } }",
        "parts { ... on SeriesEntry { page { title } } }",
        "parts { ...Entry }",
        "... on SeriesPage { parts { ...Entry } }",
    ],
)
def test_part_pages_asked_through_fragments_come_with_the_outline(
    client, home, parts_selection, django_assert_num_queries
):
    series = build(home, 30)
    query = f"""query ($id: ID) {{ series(id: $id) {{ partsTotal {parts_selection} }} }}
        fragment Entry on SeriesEntry {{ page {{ title }} }}"""
    if "...Entry" not in parts_selection:
        query = query.split("fragment")[0]
    data(client, query, {"id": series.pk})
    with django_assert_num_queries(SERIES_WITH_PAGES):
        result = data(client, query, {"id": series.pk})
    pages = [part["page"] for part in result["series"]["parts"] if part["page"]]
    assert len(pages) == 30 - 2


def test_operation_fields_find_entry_pages_by_where_page_is_asked():
    from graphql import parse

    from wagtail_series.contrib.grapple.loaders import operation_fields

    def scan(query: str):
        document = parse(query)
        operation, *fragments = document.definitions

        class Info:  # what operation_fields reads of a GraphQLResolveInfo
            pass

        info = Info()
        info.operation = operation
        info.fragments = {f.name.value: f for f in fragments}
        return operation_fields(info)

    assert scan("{ series(id: 1) { parts { page { title } } } }").entry_pages
    assert scan(
        "{ a: series(id: 1) { seriesList { parts { ...E } } } } fragment E on X { page { id } }"
    ).entry_pages
    assert scan("{ page(id: 1) { ... on P { seriesInfo { next { page { id } } } } } }").entry_pages
    # grapple's own `page` query, and a page not inside an entry field, are not entry pages.
    found = scan("{ page(id: 1) { title } series(id: 1) { parts { title } } }")
    assert not found.entry_pages and {"page", "title", "series", "parts"} <= found.names
    assert not scan("{ series(id: 1) { ...E } } fragment E on X { page { id } }").entry_pages
