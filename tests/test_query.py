"""query.py: the listing queries REST and GraphQL share, and every InvalidQuery message.

The surfaces' own tests (tests/api/test_views.py, tests/contrib/grapple/test_schema.py) check
that these messages reach readers as a 400 and as a GraphQL error.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from wagtail_series import query, reader
from wagtail_series.query import InvalidQuery

pytestmark = pytest.mark.django_db


def message(call, *args, **kwargs) -> str:
    with pytest.raises(InvalidQuery) as raised:
        call(*args, **kwargs)
    assert str(raised.value) == raised.value.message
    return raised.value.message


@pytest.mark.parametrize("raw", ["abc", "", "-1", "1.5", "1" * 11, str(2**31), "٣"])
def test_a_bad_id_says_what_a_good_one_looks_like(raw):
    assert message(query.parse_id, raw, example="/series/3/") == (
        "A series id must be a positive whole number, e.g. /series/3/."
    )
    assert message(query.parse_id, raw, example="series(id: 3)") == (
        "A series id must be a positive whole number, e.g. series(id: 3)."
    )


def test_good_ids_and_slugs():
    assert query.parse_id("3", example="x") == 3
    assert query.parse_id(2**31 - 1, example="x") == 2**31 - 1
    assert query.parse_slug("memories-2_b") == "memories-2_b"


@pytest.mark.parametrize("raw", ["", "a b", "a/b", "x" * 256])
def test_a_bad_slug(raw):
    assert message(query.parse_slug, raw) == (
        "slug must be 1 to 255 letters, numbers, underscores or hyphens."
    )


def test_a_bad_status():
    assert query.parse_status("ongoing") == "ongoing"
    assert message(query.parse_status, "done") == (
        "status must be one of: ongoing, complete, hiatus, cancelled."
    )


def test_tags(catalogue):
    visible = reader.visible_series()
    assert query.parse_tag("anime", visible) == "anime"
    assert message(query.parse_tag, "a\x00b", visible) == "tag must not contain control characters."
    assert message(query.parse_tag, "nope", visible) == "No series has the tag 'nope'."
    assert message(query.parse_tag, "", visible) == "No series has the tag ''."
    assert message(query.parse_tag, "x" * 101, visible) == f"No series has the tag {'x' * 100!r}."
    # A tag only invisible series have is no tag at all.
    assert message(query.parse_tag, "anime", visible.exclude(tags__name="anime")) == (
        "No series has the tag 'anime'."
    )


def test_search():
    assert query.parse_search('  "blade runner ') == ["blade", "runner"]
    assert message(query.parse_search, "   ") == "search must not be empty."
    assert message(query.parse_search, "x" * 201) == ("search must be at most 200 characters long.")
    assert message(query.parse_search, '"*"') == "search must contain at least one letter or digit."


def test_numbers_as_text():
    assert query.parse_number("limit", None, default=20, maximum=100) == 20
    assert query.parse_number("limit", "100", default=20, maximum=100) == 100
    for raw in ("-1", "x", "", "1" * 11):
        assert message(query.parse_number, "limit", raw, default=20, maximum=100) == (
            "limit must be a whole number from 0 to 100."
        )
    assert message(query.parse_number, "offset", "101", default=0, maximum=100) == (
        "offset cannot be higher than 100."
    )


def test_numbers_as_integers():
    assert query.check_number("limit", None, default=10, maximum=100) == 10
    assert query.check_number("limit", 0, default=10, maximum=100) == 0
    for value in (-1, 101):
        assert message(query.check_number, "limit", value, default=10, maximum=100) == (
            "limit must be a whole number from 0 to 100."
        )


def test_limit_max_is_the_setting(settings):
    assert query.limit_max() == 100
    settings.WAGTAIL_SERIES = {"API_LIMIT_MAX": 7}
    assert query.limit_max() == 7


def test_filters(catalogue):
    visible = reader.visible_series()

    def titles(**filters) -> list[str]:
        return sorted(series.title for series in query.filter_series(visible, **filters))

    assert titles() == ["Akira notes", "Blade Runner", "Cowboy Bebop"]
    assert titles(status="hiatus") == ["Cowboy Bebop"]
    assert titles(tag="anime") == ["Akira notes", "Cowboy Bebop"]
    assert titles(tag="anime", status="complete") == ["Akira notes"]
    assert titles(slug=catalogue["Blade Runner"].slug) == ["Blade Runner"]
    assert titles(search="cowboy") == ["Cowboy Bebop"]
    assert message(query.filter_series, visible, status="") == (
        "status must be one of: ongoing, complete, hiatus, cancelled."
    )


def test_orderings(catalogue):
    visible = reader.visible_series()

    def titles(ordering: str | None) -> list[str]:
        return [series.title for series in query.order_series(visible, ordering)]

    assert titles("title") == ["Akira notes", "Blade Runner", "Cowboy Bebop"]
    assert titles("-title") == ["Cowboy Bebop", "Blade Runner", "Akira notes"]
    assert titles("first_published_at") == ["Akira notes", "Cowboy Bebop", "Blade Runner"]
    # Newest part first by default (10, 20, 30 days ago).
    assert titles(None) == ["Blade Runner", "Cowboy Bebop", "Akira notes"]
    assert titles(query.DEFAULT_ORDERING) == titles(None)
    assert titles("latest_part_published_at") == ["Akira notes", "Cowboy Bebop", "Blade Runner"]


@pytest.mark.parametrize("ordering", ["", "-", "pk", "owner__password", "--title", "title "])
def test_only_the_allow_list_orders(ordering):
    assert message(query.order_series, reader.visible_series(), ordering) == (
        "order must be one of: title, -title, first_published_at, -first_published_at, "
        "latest_part_published_at, -latest_part_published_at."
    )
    assert query.ORDER_CHOICES in message(query.order_series, reader.visible_series(), ordering)


def test_query_knows_no_framework():
    tree = ast.parse(Path(query.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {
        name
        for name in imported
        if name
        and name.split(".")[0] in {"rest_framework", "graphene", "graphql", "grapple"}
        or (name or "").endswith("api")
    }
