"""End to end: the example site run in subprocesses, read over HTTP by a real GraphQL client.

``manage.py migrate`` and ``load_demo`` on a temporary SQLite database, ``runserver`` on a free
port, then the ``gql`` package (with its requests transport) fetches the schema by introspection,
checks the queries against it and runs them at ``/graphql/``, as a Python frontend would.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport

from tests.example_site_runner import manage, runserver, sqlite_site

SERIES = """
query Series($slug: String!) {
  series(slug: $slug) {
    title
    description
    partsTotal
    partsTruncated
    parts {
      position
      label
      title
      status
      url
      teaser
      expectedDate
      page {
        title
        ... on SeriesPart { seriesInfo { summary next { title status url } } }
      }
    }
  }
}
"""


@pytest.fixture(scope="module")
def graphql_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("example_site_graphql")
    port, base_url, env = sqlite_site(tmp)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    with runserver(env, port, tmp / "runserver.log"):
        yield f"{base_url}/graphql/"


def client_for(url: str) -> Client:
    # The schema comes from the server by introspection: queries are checked against it first.
    return Client(
        transport=RequestsHTTPTransport(url=url, timeout=10), fetch_schema_from_transport=True
    )


def test_a_graphql_client_fetches_the_demo_series_with_its_placeholders(graphql_url):
    with client_for(graphql_url) as session:
        result = session.execute(GraphQLRequest(SERIES, variable_values={"slug": "memories"}))
    series = result["series"]
    assert series["title"] == "Memories"
    assert (series["partsTotal"], series["partsTruncated"]) == (3, False)
    assert [(p["label"], p["title"], p["status"]) for p in series["parts"]] == [
        ("Part 1", "Magnetic Rose", "PUBLISHED"),
        ("Part 2", "Stink Bomb", "FORTHCOMING"),
        ("Part 3", "Cannon Fodder", "FORTHCOMING"),
    ]
    rose, stink, cannon = series["parts"]
    assert rose["url"] == "/memories/magnetic-rose/"
    assert rose["page"]["seriesInfo"] == {
        "summary": "Part 1 of 3 in Memories",
        "next": {"title": "Stink Bomb", "status": "FORTHCOMING", "url": None},
    }
    for placeholder in (stink, cannon):
        assert placeholder["url"] is None and placeholder["page"] is None
        assert placeholder["teaser"].split()[:2] in (["A", "junior"], ["One", "ordinary"])
    assert stink["expectedDate"] is not None and cannon["expectedDate"] is None
    # The demo's draft text never reaches the client.
    assert "Draft: notes" not in str(result)


def test_the_client_is_told_why_a_query_is_refused(graphql_url):
    deep = '{ series(slug: "memories") { ' + "children { " * 20 + "title" + " }" * 20 + " } }"
    with client_for(graphql_url) as session, pytest.raises(TransportQueryError) as refused:
        session.execute(GraphQLRequest(deep))
    assert "nested more than 10 fields deep" in str(refused.value)
