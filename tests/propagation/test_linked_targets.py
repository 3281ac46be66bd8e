"""A change to a page linked in series reaches every series it belongs to (issue 13).

Each action is done to a linked target, of a page type that knows nothing of series, or to a
child part that another series links too. Each series it is in must get what the editor actions
of ``test_editor_actions`` get: a new ETag, a purge and a webhook, with no edit to the series.
"""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from tests.conftest import Page, make_series, reload, restrict
from tests.propagation.test_editor_actions import detail, editor  # noqa: F401 (fixture)
from tests.reader.test_linked import add_link, add_review
from tests.test_webhooks import site_root  # noqa: F401 (fixture)
from wagtail_series import reader
from wagtail_series.models import SeriesPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(editor, home):  # noqa: F811 (the fixture imported above)
    review = add_review(home, "Akira review")
    draft = add_review(home, "Steamboy review", live=False)
    best = make_series(home, "Best of")
    add_link(best, "Magnetic Rose", editor.pages["rose"])
    add_link(best, "Akira", review)
    add_link(best, "Steamboy", draft)
    add_link(best, "Stink Bomb", editor.pages["stink"])
    editor.pages |= {"best": reload(best), "review": review, "draft": draft}
    return editor


def best(linked) -> SeriesPage:  # noqa: F811 (not the fixture)
    return linked.pages["best"]


def titles(series: Page) -> list[tuple[str, str | None]]:
    return [(e.title, e.url) for e in reader.get_series_outline(reload(series)).entries]


def test_publishing_a_target_propagates_to_the_series_linking_it(linked):
    with linked.propagates(best(linked), "published"):
        reload(linked.pages["draft"]).save_revision().publish()
    assert ("Steamboy review", "/steamboy-review/") in titles(best(linked))
    payload = next(r.json for r in linked.receiver.received if r.json["event"] == "published")
    assert payload["part"]["id"] == linked.pages["draft"].pk


def test_publishing_a_child_part_propagates_to_its_series_and_those_linking_it(linked):
    stink = linked.pages["stink"]
    with (
        linked.propagates(best(linked), "published"),
        linked.propagates(linked.series, "published"),
    ):
        reload(stink).get_latest_revision().publish()
    assert ("Stink Bomb", "/memories/stink-bomb/") in titles(best(linked))


def test_unpublishing_a_target_propagates(linked):
    with linked.propagates(best(linked), "unpublished"):
        reload(linked.pages["review"]).unpublish()
    assert ("Akira", None) in titles(best(linked))


def test_retitling_a_target_propagates(linked):
    review = reload(linked.pages["review"])
    review.title = "Akira, reviewed again"
    with linked.propagates(best(linked), "published"):
        review.save_revision().publish()
    assert ("Akira, reviewed again", "/akira-review/") in titles(best(linked))


def test_moving_a_target_or_its_section_propagates(linked, home):
    section = add_review(home, "Reviews")
    with linked.propagates(best(linked), "moved"):
        reload(linked.pages["review"]).move(reload(section), pos="last-child")
    assert ("Akira review", "/reviews/akira-review/") in titles(best(linked))
    # The section's slug changes: the target's URL below it too.
    section = reload(section)
    section.slug = "critique"
    with linked.propagates(best(linked), "updated"):
        section.save_revision().publish()
    assert ("Akira review", "/critique/akira-review/") in titles(best(linked))


def test_restricting_a_target_or_an_ancestor_propagates(linked, home):
    with linked.propagates(best(linked), "restriction"):
        restrict(reload(linked.pages["review"]), PageViewRestriction.LOGIN)
    assert "Akira review" not in [title for title, _ in titles(best(linked))]


def test_deleting_a_target_propagates_and_leaves_a_placeholder(linked):
    with linked.propagates(best(linked), "unpublished"):
        reload(linked.pages["review"]).delete()
    assert ("Akira", None) in titles(best(linked))


def test_the_reverse_lookup_costs_one_query_whatever_the_number_of_series(
    linked, home, django_assert_num_queries
):
    from wagtail_series import propagation

    for i in range(20):
        add_link(make_series(home, f"More {i}"), "Akira", linked.pages["review"])
    review = reload(linked.pages["review"])
    with django_assert_num_queries(1):
        ids = propagation.series_ids_linked_to(review)
    assert len(ids) == 21
