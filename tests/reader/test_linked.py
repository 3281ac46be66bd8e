"""Linked parts (issue 13): pages living anywhere join a series without moving.

Every rule of the reader applies to them as to child parts: numbering, visibility (live, view
restrictions on the target and its ancestors), the forthcoming fallback (never a target's draft),
summaries, positions in several series, rich-text links, listings' dates and propagation.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from tests.conftest import Page, add_part, make_series, page_link, publish, reload, restrict
from tests.testapp.models import ReviewPage
from wagtail_series import reader
from wagtail_series.models import LinkedPart, SeriesVersion
from wagtail_series.rich_text import SeriesPageLinkHandler

pytestmark = pytest.mark.django_db

HAS_DESCRIPTION = any(f.name == "search_description" for f in Page._meta.get_fields())


def add_link(series, title, target=None, *, state="published", **fields):
    """A linked part at the end of ``series`` pointing at ``target`` (a placeholder without)."""
    return add_part(series, title, state=state, model=LinkedPart, target=target, **fields)


def add_review(parent, title, *, live=True, **fields):
    if not HAS_DESCRIPTION:  # a swapped-in page model without one
        fields.pop("search_description", None)
    review = ReviewPage(title=title, live=False, **fields)
    parent.add_child(instance=review)
    revision = review.save_revision()
    if live:
        revision.publish()
    return reload(review)


@pytest.fixture
def best_of(home, memories):
    """Memories (Part 1 live, two announced) and "Best of Otomo" linking Memories' Part 1, a
    standalone review outside any series, a draft review and a placeholder with no page."""
    demo = memories()
    # (A swapped-in page model may have no search description: the teaser is then empty.)
    review = add_review(home, "Akira review", search_description="Why Akira still matters.")
    draft = add_review(home, "Steamboy review", live=False)
    best = make_series(home, "Best of Otomo")
    add_link(best, "Magnetic Rose", demo["rose"], forthcoming_teaser="Where it starts.")
    add_link(best, "Akira", review)
    add_link(best, "Steamboy", draft, forthcoming_teaser="A steam-powered epic.")
    add_link(best, "Short Peace", forthcoming_teaser="Coming next.", expected_date=None)
    return {**demo, "best": reload(best), "review": review, "draft": draft}


def test_a_live_target_is_the_entry_and_the_rest_fall_back_to_their_announcement(best_of):
    outline = reader.get_series_outline(best_of["best"])
    entries = outline.entries
    assert [(e.label, e.title, e.status.value) for e in entries] == [
        ("Part 1", "Magnetic Rose", "published"),
        ("Part 2", "Akira review", "published"),
        ("Part 3", "Steamboy", "forthcoming"),
        ("Part 4", "Short Peace", "forthcoming"),
    ]
    rose, akira, steamboy, placeholder = entries
    # The target's own URL, id and date: the page did not move.
    assert rose.page_id == best_of["rose"].pk and rose.url == best_of["rose"].url
    assert akira.url == "/akira-review/"
    assert akira.first_published_at == best_of["review"].first_published_at
    # The teaser: the linked entry's own, else the target's search description.
    assert rose.teaser == "Where it starts."
    assert akira.teaser == ("Why Akira still matters." if HAS_DESCRIPTION else "")
    assert all(e.is_linked for e in entries)
    # A draft target: the linked part's announcement, never the target's draft.
    assert steamboy.url is None and steamboy.teaser == "A steam-powered epic."
    assert steamboy.page_id != best_of["draft"].pk
    assert placeholder.url is None and placeholder.teaser == "Coming next."
    summary = reader.get_series_summaries([best_of["best"]])[best_of["best"].pk]
    assert (summary.published_count, summary.forthcoming_count) == (2, 2)
    assert summary.latest_published_at == outline.latest_published_at


def test_a_page_shows_its_place_in_every_series_it_is_in(best_of, rf):
    request = rf.get("/")
    positions = reader.get_part_positions(best_of["rose"], request)
    assert [(p.outline.title, p.entry.label) for p in positions] == [
        ("Memories", "Part 1"),
        ("Best of Otomo", "Part 1"),
    ]
    assert reader.get_part_position(best_of["rose"], request).outline.title == "Memories"
    # Any page type: the review is in one series, without having moved.
    [review] = reader.get_part_positions(best_of["review"], rf.get("/"))
    assert (review.outline.title, review.entry.label) == ("Best of Otomo", "Part 2")
    assert review.previous.title == "Magnetic Rose" and review.next.title == "Steamboy"


def test_publishing_a_linked_target_makes_it_a_link_everywhere_with_no_other_edit(best_of, client):
    best = best_of["best"]
    before = SeriesVersion.objects.get(series_id=best.pk).version
    publish(best_of["draft"])
    assert SeriesVersion.objects.get(series_id=best.pk).version > before
    entry = reader.get_series_outline(best).entries[2]
    assert (entry.title, entry.status.value, entry.url) == (
        "Steamboy review",
        "published",
        "/steamboy-review/",
    )
    # Listings order by the newest part: the target's date counts.
    assert (
        reload(best).latest_public_part_published_at == reload(best_of["draft"]).first_published_at
    )
    # Its own page shows its place in the series.
    html = client.get("/steamboy-review/").content.decode()
    assert "Part 3 of 4 in" in html and "Best of Otomo" in html


def test_a_restricted_target_or_section_hides_the_entry_from_readers_who_fail_it(
    best_of, home, rf, django_user_model
):
    best = best_of["best"]
    section = add_review(home, "Members area")
    private = add_review(section, "Members review")
    add_link(best, "Members", private)
    restrict(section, PageViewRestriction.LOGIN)
    group_only = add_review(home, "Club review")
    restrict(group_only, PageViewRestriction.GROUPS, groups=[Group.objects.create(name="Club")])
    add_link(best, "Club", group_only)
    anonymous = rf.get("/")
    anonymous.user = AnonymousUser()
    titles = [e.title for e in reader.get_series_outline(reload(best), anonymous).entries]
    assert "Members review" not in titles and "Members" not in titles and "Club" not in titles
    assert len(titles) == 4  # numbering skips them
    member = rf.get("/")
    member.user = django_user_model.objects.create_user("member", password="x")
    titles = [e.title for e in reader.get_series_outline(reload(best), member).entries]
    assert "Members review" in titles and "Club review" not in titles
    summary = reader.get_series_summaries([reload(best)], anonymous)[best.pk]
    assert summary.total == 4


def test_a_target_unpublished_moved_or_deleted_falls_back_without_a_stale_link(best_of, home):
    best, review = best_of["best"], best_of["review"]
    elsewhere = add_review(home, "Reviews")
    reload(review).move(elsewhere, pos="last-child")
    entry = reader.get_series_outline(reload(best)).entries[1]
    assert entry.url == "/reviews/akira-review/"
    reload(review).unpublish()
    entry = reader.get_series_outline(reload(best)).entries[1]
    assert (entry.title, entry.url, entry.status.value) == ("Akira", None, "forthcoming")
    reload(review).delete()
    entry = reader.get_series_outline(reload(best)).entries[1]
    assert (entry.title, entry.url) == ("Akira", None)
    assert LinkedPart.objects.get(title="Akira").target_id is None


def test_rich_text_links_to_a_draft_target_wait_until_it_is_live(best_of):
    draft = best_of["draft"]
    html = SeriesPageLinkHandler.expand_db_attributes_many([{"id": str(draft.pk)}])[0]
    assert "href" not in html and "series-forthcoming-link" in html
    publish(draft)
    html = SeriesPageLinkHandler.expand_db_attributes_many([{"id": str(draft.pk)}])[0]
    assert 'href="/steamboy-review/"' in html
    # A link to the linked part itself leads to its target once live, "coming soon" before.
    placeholder = LinkedPart.objects.get(title="Short Peace")
    html = SeriesPageLinkHandler.expand_db_attributes_many([{"id": str(placeholder.pk)}])[0]
    assert "href" not in html
    assert page_link(placeholder, "x")  # (stored links to it are ordinary page links)


def test_a_linked_part_that_is_not_live_never_shows_its_target(best_of):
    best = best_of["best"]
    other = add_review(best_of["review"].get_parent(), "Paprika review")
    hidden = add_link(best, "Unannounced", other, state="draft")
    entries = reader.get_series_outline(reload(best)).entries
    assert entries[-1].title == "Unannounced" and entries[-1].url is None
    LinkedPart.objects.filter(pk=hidden.pk).update(announce_forthcoming=False)
    assert all(e.title != "Unannounced" for e in reader.get_series_outline(reload(best)).entries)


def test_the_linked_parts_own_url_leads_to_its_target(best_of, client):
    link = LinkedPart.objects.get(title="Akira")
    response = client.get(link.url)
    assert response.status_code == 302 and response["Location"] == "/akira-review/"
    assert client.get(LinkedPart.objects.get(title="Short Peace").url).status_code == 404


@pytest.mark.parametrize("parts", [3, 300])
def test_outlines_mixing_child_linked_and_placeholder_parts_cost_constant_queries(
    home, parts, django_assert_num_queries
):
    series = make_series(home, "Mixed")
    for i in range(parts):
        kind = i % 3
        if kind == 0:
            add_part(series, f"Child {i}", state="live")
        elif kind == 1:
            target = ReviewPage(title=f"Review {i}", live=True, slug=f"review-{i}")
            home.add_child(instance=target)
            add_part(series, f"Link {i}", state="live", model=LinkedPart, target=target)
        else:
            add_part(series, f"Placeholder {i}", state="live", model=LinkedPart)
    series = reload(series)
    request = RequestFactory().get("/")
    # The Site's root paths (URLs); restrictions of the series; one per part type (3); the
    # targets; their restrictions.
    with django_assert_num_queries(7):
        outline = reader.get_series_outline(series, request)
    assert outline.total == parts
    assert outline.published_count == parts - parts // 3
    # Restrictions of the series; one per part type; the targets' restrictions.
    with django_assert_num_queries(5):
        summary = reader.get_series_summaries([series], RequestFactory().get("/"))[series.pk]
    assert (summary.published_count, summary.forthcoming_count) == (
        outline.published_count,
        outline.forthcoming_count,
    )
