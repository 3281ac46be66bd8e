"""Rich-text links to forthcoming parts: no href until the part is published."""

from __future__ import annotations

import pytest
from wagtail.rich_text import expand_db_html, features
from wagtail.rich_text.pages import PageLinkHandler

from tests.conftest import add_part, make_series, page_link, publish, reload
from tests.testapp.models import BlogPage
from wagtail_series.rich_text import SeriesPageLinkHandler, forthcoming_link_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(home):
    return make_series(home, "Memories")


def test_our_handler_replaces_wagtails_page_link_handler():
    assert features.get_link_types()["page"] is SeriesPageLinkHandler


def test_link_to_forthcoming_part_has_no_href_until_published(series):
    stink = add_part(series, "Stink Bomb", state="draft")
    html = f"<p>Next: {page_link(stink, 'Stink Bomb')}.</p>"
    assert expand_db_html(html) == (
        '<p>Next: <a class="series-forthcoming-link" data-series-forthcoming="true" '
        'title="Coming soon"><span class="series-visually-hidden">(coming soon) </span>'
        "Stink Bomb</a>.</p>"
    )
    publish(stink)
    assert expand_db_html(html) == '<p>Next: <a href="/memories/stink-bomb/">Stink Bomb</a>.</p>'


def test_link_to_a_part_that_was_unpublished_loses_its_href(series):
    part = add_part(series, "Magnetic Rose")
    html = page_link(part, "Rose")
    assert 'href="/memories/magnetic-rose/"' in expand_db_html(html)
    reload(part).unpublish()
    assert expand_db_html(html) == f"{forthcoming_link_tag()}Rose</a>"


def test_other_links_render_exactly_as_wagtail_renders_them(home, series):
    live_part = add_part(series, "Live part")
    plain_draft = BlogPage(title="Draft post outside any series", live=False)
    home.add_child(instance=plain_draft)
    targets = [reload(home), reload(live_part), reload(plain_draft)]
    attrs = [{"id": str(p.pk)} for p in targets] + [{"id": "999999"}]
    ours = SeriesPageLinkHandler.expand_db_attributes_many(attrs)
    assert ours == PageLinkHandler.expand_db_attributes_many(attrs)
    assert ours[-1] == "<a>"  # a deleted page, as Wagtail renders it


def test_links_are_resolved_in_bulk(series, django_assert_num_queries):
    parts = [add_part(series, f"Part {i}", state="live") for i in range(20)]
    drafts = [add_part(series, f"Draft {i}", state="draft") for i in range(20)]
    html = "".join(page_link(p, p.title) for p in parts + drafts)
    expand_db_html(html)  # warm the content type and site caches
    # Wagtail's bulk page query (base + one specific query per type), and one for the parts' series.
    with django_assert_num_queries(3):
        out = expand_db_html(html)
    assert out.count("series-forthcoming-link") == 20
    assert out.count("href=") == 20


def test_forthcoming_links_in_streamfield_and_rich_text_field_bodies(home, series, client):
    stink = add_part(series, "Stink Bomb", state="draft")
    blog = add_part(
        series, "Blog part", model=BlogPage, body=f"<p>See {page_link(stink, 'the next one')}</p>"
    )
    response = client.get(blog.url)
    assert (
        b'<a class="series-forthcoming-link" data-series-forthcoming="true" title="Coming soon">'
        b'<span class="series-visually-hidden">(coming soon) </span>the next one</a>'
        in response.content
    )
    publish(stink)
    response = client.get(blog.url)
    assert b'<a href="/memories/stink-bomb/">the next one</a>' in response.content
