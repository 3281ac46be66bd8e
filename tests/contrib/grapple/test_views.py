"""SeriesGraphQLView: depth and alias limits, introspection switch, and bad input answered with a
clear GraphQL error, never a 500 and never a list of internal model fields."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from tests.conftest import add_part, make_series, restrict
from tests.contrib.grapple.conftest import URL, data, error_messages, post
from tests.testapp.models import BlogPage

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    """A query ``depth`` fields deep: series > parts > page > children > children ... > title."""
    assert depth >= 4
    inner = "title"
    for _ in range(depth - 4):
        inner = f"children {{ {inner} }}"
    return f'{{ series(slug: "memories") {{ parts {{ page {{ {inner} }} }} }} }}'


# --- Depth -----------------------------------------------------------------------------------


def test_a_query_at_the_depth_limit_runs(client, memories):
    memories()
    result = data(client, nested(10))
    assert result["series"]["parts"][0]["page"] == {"children": []}


def test_a_query_20_deep_is_refused_before_it_runs(client, memories, django_assert_num_queries):
    memories()
    with django_assert_num_queries(0):
        messages = error_messages(client, nested(20), status=400)
    assert messages == [
        "The query is nested more than 10 fields deep; the limit is 10. "
        "Ask for less nested data or split the query."
    ]
    assert "nested more than 10" in error_messages(client, nested(11), status=400)[0]


def test_depth_counts_fragments_where_they_are_spread(client, memories):
    memories()
    query = """
      query Deep { series(slug: "memories") { ...P } }
      fragment P on SeriesPage { parts { page { ...Q } } }
      fragment Q on PageInterface { parent { parent { parent { parent { parent { parent {
        parent { title } } } } } } } }
    """
    assert error_messages(client, query, status=400) == [
        "Operation 'Deep' is nested more than 10 fields deep; the limit is 10. "
        "Ask for less nested data or split the query."
    ]


def test_the_depth_limit_comes_from_the_setting(client, memories, settings):
    memories()
    settings.WAGTAIL_SERIES = {"GRAPHQL_MAX_DEPTH": 4}
    assert data(client, nested(4))["series"]["parts"]
    assert "the limit is 4" in error_messages(client, nested(5), status=400)[0]


def test_a_query_nested_thousands_deep_is_a_400_not_a_500(client):
    query = "{ page(id: 1) { " + "parent { " * 3000 + "title" + " }" * 3000 + " } }"
    response = client.post(URL, json.dumps({"query": query}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]


# --- Aliases ---------------------------------------------------------------------------------


def aliased(count: int) -> str:
    return "{ " + " ".join(f"a{n}: seriesCount" for n in range(count)) + " }"


def test_a_query_with_1000_aliases_is_refused(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        messages = error_messages(client, aliased(1000), status=400)
    assert messages == ["The query uses 1000 aliases; the limit is 30."]


def test_aliases_up_to_the_limit_run(client, home):
    make_series(home, "One")
    assert set(data(client, aliased(30)).values()) == {1}


def test_aliases_in_fragments_count_each_time_they_are_spread(client):
    # F4 is spread 2**4 = 16 times, each with 2 aliases: 32 aliases.
    query = """
      { ...F0 }
      fragment F0 on Query { a: seriesCount ...F1 b: seriesList { ...F1x } }
      fragment F1x on SeriesPage { id }
      fragment F1 on Query { ...F2 c: seriesCount }
      fragment F2 on Query { ...F3 }
      fragment F3 on Query { ...F4 }
      fragment F4 on Query { x: seriesCount y: seriesCount }
    """
    # 3 aliases (a, b, c) + 2 in F4 = 5: allowed.
    assert post(client, query)["data"]["a"] == 0
    bomb = "{ ...B0 }\n" + "\n".join(
        f"fragment B{n} on Query {{ ...B{n + 1} ...B{n + 1} }}" for n in range(40)
    )
    bomb += "\nfragment B40 on Query { x: seriesCount }"
    # 2**40 spreads of one alias, measured without expanding them one by one.
    assert error_messages(client, bomb, status=400) == [
        f"The query uses {2**40} aliases; the limit is 30."
    ]


def test_the_alias_limit_comes_from_the_setting(client, settings):
    settings.WAGTAIL_SERIES = {"GRAPHQL_MAX_ALIASES": 0}
    assert error_messages(client, aliased(1), status=400) == [
        "The query uses 1 aliases; the limit is 0."
    ]
    assert data(client, "{ seriesCount }") == {"seriesCount": 0}


# --- Introspection ---------------------------------------------------------------------------


def test_introspection_is_on_by_default(client):
    result = data(
        client, '{ __schema { queryType { name } } __type(name: "SeriesEntry") { name } }'
    )
    assert result == {
        "__schema": {"queryType": {"name": "Query"}},
        "__type": {"name": "SeriesEntry"},
    }


def test_the_standard_introspection_query_fits_the_depth_limit(client):
    from graphql import get_introspection_query

    result = data(client, get_introspection_query())
    assert "SeriesEntry" in {t["name"] for t in result["__schema"]["types"]}


def test_introspection_can_be_switched_off(client, settings):
    settings.WAGTAIL_SERIES = {"GRAPHQL_INTROSPECTION": False}
    messages = error_messages(client, "{ __schema { types { name } } }", status=400)
    assert messages[0] == (
        "GraphQL introspection has been disabled, but the requested query contained the field "
        "'__schema'."
    )
    assert "'__type'" in error_messages(client, '{ __type(name: "Query") { name } }')[0]
    # __typename is not introspection: clients such as Apollo add it to every selection.
    assert data(client, "{ __typename seriesCount }") == {"__typename": "Query", "seriesCount": 0}


def test_without_introspection_errors_do_not_suggest_field_names(client, settings):
    assert "Did you mean" in error_messages(client, "{ seriesCont }")[0]
    settings.WAGTAIL_SERIES = {"GRAPHQL_INTROSPECTION": False}
    assert error_messages(client, "{ seriesCont }") == [
        "Cannot query field 'seriesCont' on type 'Query'."
    ]


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ series(slug: ", "Syntax Error: Unexpected <EOF>."),
        ("query { seriesList { title }", "Syntax Error: Expected Name, found <EOF>."),
        ("{ nothing }", "Cannot query field 'nothing' on type 'Query'."),
        ('{ series(slug: "x") { owner { password } } }', "Cannot query field 'owner' on type"),
        ("{ series(id: [1]) { id } }", "ID cannot represent a non-string and non-integer value"),
        ('{ seriesList(limit: "ten") { id } }', 'Int cannot represent non-integer value: "ten"'),
        ("{ seriesList(limit: 1.5) { id } }", "Int cannot represent non-integer value: 1.5"),
        (
            "{ seriesList(status: PAUSED) { id } }",
            "Value 'PAUSED' does not exist in 'SeriesStatus'",
        ),
        ('{ seriesList(colour: "red") { id } }', "Unknown argument 'colour' on field"),
        ("{ seriesList }", "Field 'seriesList' of type '[SeriesPage!]!' must have a selection"),
        ("{ ...Missing }", "Unknown fragment 'Missing'."),
        ("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }", "Cannot spread"),
        ("mutation { seriesCount }", "Schema is not configured to execute mutation operation."),
    ],
)
def test_bad_queries_are_a_400_with_a_clear_message(client, query, message):
    messages = error_messages(client, query, status=400)
    assert any(m.startswith(message) for m in messages), messages


def test_order_outside_the_allow_list_never_reaches_the_orm(client, home):
    make_series(home, "One")
    messages = error_messages(client, '{ seriesList(order: "owner__password") { id } }', status=200)
    assert messages == [
        "order must be one of: title, -title, first_published_at, -first_published_at, "
        "latest_part_published_at, -latest_part_published_at."
    ]


def test_a_failing_grapple_field_does_not_list_model_fields(client, home):
    """grapple passes `order` to the ORM, whose error lists every field of the model."""
    make_series(home, "One")
    result = post(client, '{ pages(order: "no_such_field") { id } }', status=200)
    (error,) = result["errors"]
    assert error["message"] == "This field could not be resolved with the arguments given."
    assert error["path"] == ["pages"]
    assert "Choices are" not in json.dumps(result) and "url_path" not in json.dumps(result)


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('{"query": 5}', "application/json", 400),
        ('{"query": null}', "application/json", 400),
        ('{"query": "{ seriesCount }", "variables": "{oops"}', "application/json", 400),
        ('{"query": "{ seriesCount }", "variables": [1]}', "application/json", 400),
        (
            '{"query": "query ($n: Int) { seriesCount }", "variables": {"n": "x"}}',
            "application/json",
            400,
        ),
        ("", "application/json", 400),
        ("{ seriesCount }", "application/graphql", 200),
        ("\x00\x01", "application/graphql", 400),
        ("query=%7B+seriesCount+%7D", "application/x-www-form-urlencoded", 200),
        ("{ seriesCount }", "text/plain", 400),
    ],
)
def test_odd_requests_never_cause_a_500(client, body, content_type, status):
    response = client.post(URL, body, content_type=content_type)
    assert response.status_code == status, response.content
    assert response.json()


def test_get_works_for_queries_and_other_methods_are_refused(client):
    response = client.get(URL, {"query": "{ seriesCount }"}, HTTP_ACCEPT="application/json")
    assert (response.status_code, response.json()) == (200, {"data": {"seriesCount": 0}})
    assert client.put(URL, "{}", content_type="application/json").status_code == 405
    assert client.get(URL, HTTP_ACCEPT="application/json").status_code == 400


def test_frontends_post_without_a_csrf_token(home):
    make_series(home, "One")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        URL, json.dumps({"query": "{ seriesCount }"}), content_type="application/json"
    )
    assert (response.status_code, response.json()) == (200, {"data": {"seriesCount": 1}})


# --- grapple's parent field --------------------------------------------------------------------


def test_parent_is_null_when_the_reader_may_not_see_it(client, home):
    """grapple's own `parent` returns a page's parent even when it is a draft; the view hides it."""
    draft_section = BlogPage(title="Draft section", live=False)
    home.add_child(instance=draft_section)
    draft_section.save_revision()
    inner = BlogPage(title="Inner", live=True)
    draft_section.add_child(instance=inner)
    query = "query ($id: ID) { pages(parent: $id) { title parent { title } } }"
    assert data(client, query, {"id": draft_section.pk})["pages"] == [
        {"title": "Inner", "parent": None}
    ]
    query = "query ($id: ID) { page(id: $id) { parent { title } } }"
    assert data(client, query, {"id": inner.pk})["page"] == {"parent": None}
    assert data(client, query, {"id": draft_section.pk})["page"] is None
    # A live, public parent is shown.
    section = add_part(home, "Public section", state="live", model=BlogPage)
    child = BlogPage(title="Child", live=True)
    section.add_child(instance=child)
    assert data(client, query, {"id": child.pk})["page"] == {"parent": {"title": "Public section"}}


def test_private_parent_is_shown_only_to_readers_who_pass(client, home, django_user_model):
    series = make_series(home, "Members")
    restrict(series, PageViewRestriction.LOGIN)
    add_part(series, "Members part")
    query = '{ series(slug: "members") { parts { page { parent { title } } } } }'
    assert data(client, query)["series"] is None
    client.force_login(django_user_model.objects.create_user("member", password="x"))
    assert data(client, query)["series"]["parts"] == [{"page": {"parent": {"title": "Members"}}}]


@pytest.mark.parametrize(
    ("order", "allowed"),
    [
        ("-first_published_at", True),
        ("title, -id", True),
        ("owner__password", False),
        ("title,owner__password", False),
        ("?", False),
        ("_title", False),
        ("", False),
    ],
)
def test_grapple_order_may_only_name_fields_of_the_listed_pages(client, home, order, allowed):
    """grapple hands `order` to the ORM: ordering by a relation would reveal other models."""
    make_series(home, "One")
    query = "query ($order: String) { pages(order: $order) { title } }"
    result = post(client, query, {"order": order})
    if allowed:
        assert "errors" not in result and result["data"]["pages"]
    else:
        assert result["errors"][0]["message"].startswith(
            'order must name fields of the listed objects, each optionally with "-"'
        )
        assert result["data"] is None or result["data"]["pages"] is None
    literal = error_messages(client, '{ pages(order: "owner__password") { title } }', status=200)
    assert literal[0].endswith("'owner__password' is not one.")
