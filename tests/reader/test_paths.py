"""Tree-path conditions: ``children_of`` finds the pages directly under many series
(``reader.paths``)."""

from __future__ import annotations

import pytest
from django.db.models import Q
from wagtail.models import PageViewRestriction

from tests.conftest import Page, add_part, make_series, reload, restrict
from wagtail_series.reader.paths import children_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(home):
    """Three series: parts, a page under a part (a grandchild), and a series under a series."""
    first = make_series(home, "First")
    second = make_series(home, "Second")
    third = make_series(home, "Third")
    parts = {
        "first": [add_part(first, "F1", state="live"), add_part(first, "F2", state="draft")],
        "second": [add_part(second, "S1", state="live")],
        "third": [add_part(third, "T1", state="live")],
    }
    grandchild = add_part(parts["first"][0], "Under a part", state="live")
    nested = make_series(reload(second), "Nested")
    return {
        "series": [reload(first), reload(second), reload(third)],
        "parts": parts,
        "grandchild": grandchild,
        "nested": nested,
    }


def plain_q(series_list, prefix=""):
    """The condition as Django builds it, one ``Q`` per series (treebeard's get_children)."""
    children = Q()
    for series in series_list:
        children |= Q(
            **{
                f"{prefix}path__range": series._get_children_path_interval(series.path),
                f"{prefix}depth": series.depth + 1,
            }
        )
    return children


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("count", [1, 2, 3])
def test_children_of_finds_the_children_of_every_series_and_nothing_else(tree, count):
    chosen = tree["series"][:count]
    found = ids(Page.objects.filter(children_of(chosen)))
    expected = {child.pk for series in chosen for child in series.get_children()}
    assert found == expected
    assert tree["grandchild"].pk not in found
    assert (tree["nested"].pk in found) == (count >= 2)  # a child of the second series
    assert found == ids(Page.objects.filter(plain_q(chosen)))


def test_children_of_many_is_the_same_sql_as_the_plain_condition(tree):
    series_list = tree["series"]
    ours = Page.objects.filter(children_of(series_list)).order_by("path")
    plain = Page.objects.filter(plain_q(sorted(series_list, key=lambda s: s.path)))
    assert str(ours.query) == str(plain.order_by("path").query)


def test_children_of_through_a_relation(tree):
    first, second, third = tree["series"]
    private = restrict(tree["parts"]["first"][1], PageViewRestriction.LOGIN)
    restrict(second, PageViewRestriction.LOGIN)  # on a series, not a child of one
    other = restrict(tree["parts"]["third"][0], PageViewRestriction.PASSWORD, password="x")
    restrictions = PageViewRestriction.objects.filter(children_of([first, third], "page__"))
    assert ids(restrictions) == {private.pk, other.pk}
    assert ids(restrictions) == ids(
        PageViewRestriction.objects.filter(plain_q([first, third], "page__"))
    )


def test_children_of_a_series_listed_twice_is_one_condition(tree):
    first = tree["series"][0]
    assert ids(Page.objects.filter(children_of([first, reload(first)]))) == {
        page.pk for page in tree["parts"]["first"]
    }


def test_a_backend_preparing_other_parameters_gets_each_condition_compiled(tree, monkeypatch):
    from django.db.models.lookups import Range

    from wagtail_series.reader import paths

    class LowerCaseUpperBound(Range):
        """Prepares the upper bound otherwise (lower case sorts after "Z": the same pages)."""

        def get_db_prep_lookup(self, value, connection):
            sql, params = super().get_db_prep_lookup(value, connection)
            return sql, [params[0], params[1].lower()]

    monkeypatch.setattr(paths, "Range", LowerCaseUpperBound)
    series_list = tree["series"]
    queryset = Page.objects.filter(children_of(series_list))
    sql, params = queryset.query.sql_with_params()
    assert sum(str(p).endswith("zzzz") for p in params) == len(series_list)
    assert ids(queryset) == ids(Page.objects.filter(plain_q(series_list)))
