"""The GraphQL schema: series, seriesList and seriesCount, SeriesEntry placeholders, seriesInfo on
part page types, and the series page types as grapple's own fields return them."""

from __future__ import annotations

import datetime as dt

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from tests.conftest import (
    CATALOGUE_ORDERS,
    add_part,
    make_series,
    page_link,
    publish,
    reload,
    restrict,
)
from tests.contrib.grapple.conftest import data, error_messages
from tests.testapp.models import BlogPage

pytestmark = pytest.mark.django_db

ENTRY_FIELDS = "id position label title status url teaser expectedDate firstPublishedAt"

SERIES = f"""
query ($id: ID, $slug: String) {{
  series(id: $id, slug: $slug) {{
    id title slug description status partLabel plannedParts tags
    parts {{ {ENTRY_FIELDS} page {{ id title }} }}
    partsTotal partsTruncated publishedCount forthcomingCount displayTotal latestPartPublishedAt
  }}
}}
"""


def iso(value: dt.datetime) -> str:
    return value.isoformat()


def series_data(client, **variables):
    return data(client, SERIES, variables)["series"]


# --- series(id, slug) ------------------------------------------------------------------------


def test_series_has_every_visible_part_in_order_with_placeholders(client, memories):
    pages = memories()
    rose = reload(pages["rose"])
    series = series_data(client, slug="memories")
    assert series["id"] == str(pages["series"].pk)
    assert (series["title"], series["slug"], series["status"], series["partLabel"]) == (
        "Memories",
        "memories",
        "ONGOING",
        "Part",
    )
    assert series["description"] == "<p>An anthology, one short at a time.</p>"
    assert series["parts"] == [
        {
            "id": str(rose.pk),
            "position": 1,
            "label": "Part 1",
            "title": "Magnetic Rose",
            "status": "PUBLISHED",
            "url": "/memories/magnetic-rose/",
            "teaser": "",
            "expectedDate": None,
            "firstPublishedAt": iso(rose.first_published_at),
            "page": {"id": str(rose.pk), "title": "Magnetic Rose"},
        },
        {
            "id": str(pages["stink"].pk),
            "position": 2,
            "label": "Part 2",
            "title": "Stink Bomb",
            "status": "FORTHCOMING",
            "url": None,
            "teaser": "A cold remedy goes very wrong.",
            "expectedDate": "2027-01-15",
            "firstPublishedAt": None,
            "page": None,
        },
        {
            "id": str(pages["cannon"].pk),
            "position": 3,
            "label": "Part 3",
            "title": "Cannon Fodder",
            "status": "FORTHCOMING",
            "url": None,
            "teaser": "A city built around its guns.",
            "expectedDate": None,
            "firstPublishedAt": None,
            "page": None,
        },
    ]
    assert (series["partsTotal"], series["partsTruncated"]) == (3, False)
    assert (series["publishedCount"], series["forthcomingCount"], series["displayTotal"]) == (
        1,
        2,
        3,
    )
    assert series["latestPartPublishedAt"] == iso(rose.first_published_at)
    assert series_data(client, id=pages["series"].pk) == series
    assert series_data(client, id=str(pages["series"].pk), slug="memories") == series


def test_unknown_unpublished_or_private_series_is_null(client, home, django_user_model):
    make_series(home, "Draft", live=False)
    private = make_series(home, "Private")
    restrict(private, PageViewRestriction.LOGIN)
    add_part(private, "Members part")
    assert series_data(client, slug="draft") is None
    assert series_data(client, slug="private") is None
    assert series_data(client, id=999999) is None
    assert series_data(client, id=private.pk, slug="draft") is None
    client.force_login(django_user_model.objects.create_user("member", password="x"))
    parts = series_data(client, slug="private")["parts"]
    assert [(p["title"], p["page"]["title"]) for p in parts] == [("Members part", "Members part")]


def test_the_first_visible_series_with_a_slug_in_tree_order(client, home):
    first = make_series(home, "Twin")
    restrict(first, PageViewRestriction.LOGIN)
    other_home = add_part(home, "Section", state="live", model=BlogPage)
    second = make_series(other_home, "Twin")
    assert series_data(client, slug="twin")["id"] == str(second.pk)


def test_description_resolves_forthcoming_links_like_the_html_site(client, memories):
    pages = memories()
    series = reload(pages["series"])
    series.description = f"<p>Soon: {page_link(pages['stink'], 'Stink Bomb')}</p>"
    series.save_revision().publish()
    description = series_data(client, slug="memories")["description"]
    assert "href" not in description and "series-forthcoming-link" in description
    publish(pages["stink"])
    assert 'href="/memories/stink-bomb/"' in series_data(client, slug="memories")["description"]


def test_cover_image_tags_status_and_planned_parts(client, home):
    cover = get_image_model().objects.create(title="Cover", file=get_test_image_file())
    series = make_series(
        home, "Covered", cover_image=cover, status="hiatus", part_label="Episode", planned_parts=5
    )
    series.tags.add("noir", "anime")
    series.save()
    add_part(series, "Pilot")
    result = data(
        client,
        """{ series(slug: "covered") { coverImage { id title } tags status partLabel plannedParts
             displayTotal parts { label } } }""",
    )["series"]
    assert result["coverImage"] == {"id": str(cover.pk), "title": "Cover"}
    assert result["tags"] == ["anime", "noir"]
    assert (result["status"], result["partLabel"], result["plannedParts"]) == (
        "HIATUS",
        "Episode",
        5,
    )
    assert result["displayTotal"] == 5
    assert result["parts"] == [{"label": "Episode 1"}]


def test_parts_beyond_the_cap_are_cut_and_the_answer_says_so(client, home, settings):
    settings.WAGTAIL_SERIES = {"API_MAX_PARTS": 2}
    series = make_series(home, "Long")
    for n in range(3):
        add_part(series, f"P{n}", state="live")
    result = data(client, '{ series(slug: "long") { parts { title } partsTotal partsTruncated } }')
    assert result["series"] == {
        "parts": [{"title": "P0"}, {"title": "P1"}],
        "partsTotal": 3,
        "partsTruncated": True,
    }


# --- Part pages: their content and seriesInfo ------------------------------------------------

PART_FRAGMENT = """
fragment Part on SeriesPartInterface {
  seriesInfo {
    series { id title }
    position label total planned displayTotal summary
    previous { title status url page { id } }
    next { title status url page { id } }
  }
}
"""


def test_series_info_on_the_bundled_part_type_and_on_a_host_page_type(client, home):
    series = make_series(home, "Mixed", planned_parts=4)
    first = add_part(series, "First", intro="Hello.")
    blog = add_part(series, "Blog", state="live", model=BlogPage, body="<p>Blog body</p>")
    add_part(series, "Later", state="draft", forthcoming_teaser="Soon.")
    result = data(
        client,
        PART_FRAGMENT
        + """query ($first: ID, $blog: ID) {
          first: page(id: $first) { title ...Part ... on SeriesPart { intro } }
          blog: page(id: $blog) { title ...Part }
        }""",
        {"first": first.pk, "blog": blog.pk},
    )
    assert result["first"]["intro"] == "Hello."
    assert result["first"]["seriesInfo"] == {
        "series": {"id": str(series.pk), "title": "Mixed"},
        "position": 1,
        "label": "Part 1",
        "total": 3,
        "planned": 4,
        "displayTotal": 4,
        "summary": "Part 1 of 4 in Mixed",
        "previous": None,
        "next": {
            "title": "Blog",
            "status": "PUBLISHED",
            "url": "/mixed/blog/",
            "page": {"id": str(blog.pk)},
        },
    }
    info = result["blog"]["seriesInfo"]
    assert (info["label"], info["summary"]) == ("Part 2", "Part 2 of 4 in Mixed")
    assert info["previous"]["page"] == {"id": str(first.pk)}
    assert info["next"] == {"title": "Later", "status": "FORTHCOMING", "url": None, "page": None}


def test_series_info_through_the_parts_of_a_series(client, memories):
    pages = memories()
    result = data(
        client,
        PART_FRAGMENT + '{ series(slug: "memories") { parts { page { ...Part } } } }',
    )
    (rose_info,) = [p["page"]["seriesInfo"] for p in result["series"]["parts"] if p["page"]]
    assert rose_info["summary"] == "Part 1 of 3 in Memories"
    assert rose_info["next"]["title"] == "Stink Bomb"
    assert rose_info["series"]["id"] == str(pages["series"].pk)


def test_series_info_is_null_outside_a_live_series(client, home):
    draft_series = make_series(home, "Unreleased", live=False)
    part = add_part(draft_series, "Out early")
    lone = add_part(home, "Standalone", state="live", model=BlogPage)
    result = data(
        client,
        """query ($a: ID, $b: ID) {
          a: page(id: $a) { title ... on SeriesPart { seriesInfo { label } } }
          b: page(id: $b) { title ... on BlogPage { seriesInfo { label } } }
        }""",
        {"a": part.pk, "b": lone.pk},
    )
    assert result == {
        "a": {"title": "Out early", "seriesInfo": None},
        "b": {"title": "Standalone", "seriesInfo": None},
    }


def test_part_body_rich_text_resolves_forthcoming_links(client, memories):
    pages = memories()
    query = """query ($id: ID) { page(id: $id) { ... on SeriesPart {
        body { ... on RichTextBlock { value } } } } }"""
    html = "".join(
        b["value"] for b in data(client, query, {"id": pages["rose"].pk})["page"]["body"]
    )
    assert "Stink Bomb" in html and "series-forthcoming-link" in html
    assert 'href="/memories/stink-bomb/"' not in html
    publish(pages["stink"])
    html = "".join(
        b["value"] for b in data(client, query, {"id": pages["rose"].pk})["page"]["body"]
    )
    assert 'href="/memories/stink-bomb/"' in html


def test_parent_of_a_part_is_its_series_only_while_the_reader_may_see_it(client, home):
    series = make_series(home, "Visible")
    part = add_part(series, "Part")
    hidden = make_series(home, "Hidden", live=False)
    orphan = add_part(hidden, "Orphan")
    query = """query ($id: ID) {
        page(id: $id) { parent { title ... on SeriesPage { parts { title } } } } }"""
    parent = data(client, query, {"id": part.pk})["page"]["parent"]
    assert parent == {"title": "Visible", "parts": [{"title": "Part"}]}
    assert data(client, query, {"id": orphan.pk})["page"]["parent"] is None


def test_series_page_types_show_no_draft_fields(client, home):
    """Unlike grapple's generated page types, ours have no fields that show a live page's draft."""
    series = make_series(home, "Drafty")
    part = add_part(series, "Part")
    for field in ("draftTitle", "hasUnpublishedChanges", "latestRevisionCreatedAt", "goLiveAt"):
        for type_name, page in (("SeriesPage", series), ("SeriesPart", part)):
            messages = error_messages(
                client, f"{{ page(id: {page.pk}) {{ ... on {type_name} {{ {field} }} }} }}"
            )
            assert messages[0].startswith(f"Cannot query field '{field}' on type '{type_name}'.")


def test_grapple_pages_query_returns_our_types(client, memories):
    memories()
    result = data(
        client,
        """{ pages(contentType: "wagtail_series.SeriesPage") {
              __typename ... on SeriesPage { title partsTotal } } }""",
    )
    assert result["pages"] == [{"__typename": "SeriesPage", "title": "Memories", "partsTotal": 3}]


# --- seriesList and seriesCount --------------------------------------------------------------


def titles(client, arguments: str = "") -> list[str]:
    query = f"{{ seriesList{f'({arguments})' if arguments else ''} {{ title }} }}"
    return [item["title"] for item in data(client, query)["seriesList"]]


def test_default_order_is_latest_part_first(client, catalogue):
    assert titles(client) == ["Blade Runner", "Cowboy Bebop", "Akira notes"]


@pytest.mark.parametrize(
    ("order", "expected"),
    CATALOGUE_ORDERS,
)
def test_order(client, catalogue, order, expected):
    assert titles(client, f'order: "{order}"') == expected


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ('tag: "anime"', ["Akira notes", "Cowboy Bebop"]),
        ("status: ONGOING", ["Blade Runner"]),
        ('tag: "anime", status: HIATUS', ["Cowboy Bebop"]),
    ],
)
def test_filters_and_count(client, catalogue, arguments, expected):
    assert titles(client, arguments + ', order: "title"') == expected
    assert data(client, f"{{ seriesCount({arguments}) }}")["seriesCount"] == len(expected)


def test_pagination_follows_grapple(client, catalogue, settings):
    assert titles(client, 'order: "title", limit: 2, offset: 1') == ["Blade Runner", "Cowboy Bebop"]
    assert titles(client, "limit: 0") == []
    assert titles(client, "offset: 50") == []
    assert data(client, "{ seriesCount }") == {"seriesCount": 3}
    # No limit: grapple's PAGE_SIZE, as for grapple's own lists.
    settings.GRAPPLE = {**settings.GRAPPLE, "PAGE_SIZE": 2}
    assert len(titles(client)) == 2


def test_series_list_outlines_and_tags_for_every_series(client, catalogue):
    result = data(client, '{ seriesList(order: "title") { tags partsTotal parts { title } } }')
    assert result["seriesList"] == [
        {"tags": ["anime"], "partsTotal": 1, "parts": [{"title": "Akira notes part"}]},
        {"tags": ["film", "noir"], "partsTotal": 1, "parts": [{"title": "Blade Runner part"}]},
        {"tags": ["anime", "tv"], "partsTotal": 1, "parts": [{"title": "Cowboy Bebop part"}]},
    ]


def test_private_series_are_listed_only_for_readers_who_pass(client, home, django_user_model):
    series = make_series(home, "Members")
    restrict(series, PageViewRestriction.LOGIN)
    assert titles(client) == []
    assert data(client, "{ seriesCount }")["seriesCount"] == 0
    client.force_login(django_user_model.objects.create_user("member", password="x"))
    assert titles(client) == ["Members"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('{ seriesList(order: "owner__password") { id } }', "order must be one of: title, -title,"),
        ('{ seriesList(order: "-id") { id } }', "order must be one of:"),
        ('{ seriesList(order: "") { id } }', "order must be one of:"),
        ("{ seriesList(limit: 101) { id } }", "limit must be a whole number from 0 to 100."),
        ("{ seriesList(limit: -1) { id } }", "limit must be a whole number from 0 to 100."),
        ("{ seriesList(offset: -1) { id } }", "offset must be a whole number from 0 to 100000."),
        (
            "{ seriesList(offset: 100001) { id } }",
            "offset must be a whole number from 0 to 100000.",
        ),
        ('{ seriesList(tag: "nonexistent") { id } }', "No series has the tag 'nonexistent'."),
        ('{ seriesCount(tag: "an\\u0000ime") }', "tag must not contain control characters."),
        ("{ series { id } }", "series needs an id or a slug"),
        ('{ series(id: "abc") { id } }', "A series id must be a positive whole number"),
        ('{ series(id: "99999999999") { id } }', "A series id must be a positive whole number"),
        ('{ series(slug: "no spaces") { id } }', "slug must be 1 to 255 letters"),
    ],
)
def test_bad_arguments_are_errors_that_say_what_to_fix(client, catalogue, query, message):
    messages = error_messages(client, query, status=200)
    assert len(messages) == 1 and messages[0].startswith(message), messages


def test_limit_over_the_maximum_follows_the_setting(client, catalogue, settings):
    settings.WAGTAIL_SERIES = {"API_LIMIT_MAX": 2}
    assert error_messages(client, "{ seriesList(limit: 3) { id } }") == [
        "limit must be a whole number from 0 to 2."
    ]
    assert len(titles(client, "limit: 2")) == 2


def test_a_series_reached_through_grapples_own_parent_field_shows_nothing_of_itself(home, rf):
    """Run as grapple's stock view would (no SeriesGraphQLView middleware): grapple's `parent` of
    a host part type returns an unpublished series, but none of our fields show its content."""
    from django.contrib.auth.models import AnonymousUser
    from grapple.schema import schema

    series = make_series(home, "Secret plans", live=False, description="<p>Draft text</p>")
    series.tags.add("secret")
    series.save_revision()
    part = add_part(series, "Out early", state="live", model=BlogPage)
    request = rf.get("/graphql/")
    request.user = AnonymousUser()
    result = schema.execute(
        """query ($id: ID) { page(id: $id) { ... on BlogPage { seriesInfo { label } }
             parent { ... on SeriesPage { description tags status partLabel plannedParts
               coverImage { id } parts { title } partsTotal } } } }""",
        variable_values={"id": part.pk},
        context_value=request,
    )
    assert result.errors is None
    assert result.data["page"] == {
        "seriesInfo": None,
        "parent": {
            "description": None,
            "tags": [],
            "status": None,
            "partLabel": None,
            "plannedParts": None,
            "coverImage": None,
            "parts": [],
            "partsTotal": 0,
        },
    }


def test_the_schema_runs_without_a_request_as_an_anonymous_reader(memories):
    """Executed directly (a script, a test), with no request as context: public data only."""
    from grapple.schema import schema

    memories()
    for context in (None, {}):
        result = schema.execute(
            '{ series(slug: "memories") { parts { title page { title } } } seriesCount }',
            context_value=context,
        )
        assert result.errors is None
        assert [p["title"] for p in result.data["series"]["parts"]] == [
            "Magnetic Rose",
            "Stink Bomb",
            "Cannon Fodder",
        ]
        assert result.data["seriesCount"] == 1
