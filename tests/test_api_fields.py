"""The `series` field and rich-text HTML fields in Wagtail's stock pages endpoint."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from tests.conftest import add_part, make_series, page_link, publish, reload, restrict
from tests.testapp.models import BlogPage

pytestmark = pytest.mark.django_db


def page_json(client, page):
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_series_field_on_a_part(client, memories):
    pages = memories()
    series = page_json(client, pages["rose"])["series"]
    # In one series: its memberships are that one.
    assert series.pop("memberships") == [dict(series.items())]
    assert series == {
        "id": pages["series"].pk,
        "title": "Memories",
        "url": "http://localhost/memories/",
        "position": 1,
        "label": "Part 1",
        "total": 3,
        "planned_total": None,
        "previous": None,
        "next": {
            "id": pages["stink"].pk,
            "title": "Stink Bomb",
            "label": "Part 2",
            "position": 2,
            "status": "forthcoming",
            "url": None,
        },
    }


def test_series_field_on_a_host_page_type_and_its_neighbours(client, home):
    series = make_series(home, "Trilogy", planned_parts=4)
    one = add_part(series, "One")
    two = add_part(series, "Two", model=BlogPage)
    add_part(series, "Three")
    data = page_json(client, two)["series"]
    assert (data["position"], data["total"], data["planned_total"]) == (2, 3, 4)
    assert data["previous"]["id"] == one.pk
    assert data["previous"]["url"] == "http://localhost/trilogy/one/"
    assert data["next"]["status"] == "published"


def test_series_field_is_null_outside_a_series(client, home):
    lone = BlogPage(title="Lone")
    home.add_child(instance=lone)
    lone.save_revision().publish()
    assert page_json(client, reload(lone))["series"] is None


def test_neighbours_skip_parts_the_reader_may_not_see(client, home, django_user_model):
    series = make_series(home, "Trilogy")
    one = add_part(series, "One")
    restrict(add_part(series, "Members"), PageViewRestriction.LOGIN)
    three = add_part(series, "Three")
    anonymous = page_json(client, three)["series"]
    assert (anonymous["position"], anonymous["total"], anonymous["previous"]["id"]) == (
        2,
        2,
        one.pk,
    )
    client.force_login(django_user_model.objects.create_user("member", password="x"))
    member = page_json(client, three)["series"]
    assert (member["position"], member["previous"]["title"]) == (3, "Members")


def test_series_part_body_is_html_with_forthcoming_links_resolved(client, memories):
    pages = memories()
    body = page_json(client, pages["rose"])["body"]
    assert body[0]["type"] == "paragraph"
    assert "series-forthcoming-link" in body[0]["value"] and "href" not in body[0]["value"]
    publish(pages["stink"])
    assert 'href="/memories/stink-bomb/"' in page_json(client, pages["rose"])["body"][0]["value"]


def test_rich_text_html_field_for_host_page_types(home):
    from wagtail_series.api_fields import RichTextHTMLField

    series = make_series(home, "Trilogy")
    draft = add_part(series, "Later", state="draft")
    html = RichTextHTMLField().to_representation(f"<p>{page_link(draft, 'later')}</p>")
    assert 'data-series-forthcoming="true"' in html and "href" not in html


def test_listing_parts_of_one_series_shares_one_outline(
    client, home, django_assert_max_num_queries
):
    series = make_series(home, "Trilogy")
    for n in range(20):
        add_part(series, f"P{n}", state="live")
    url = (
        f"/api/v2/pages/?child_of={series.pk}&type=wagtail_series.SeriesPart&fields=series&limit=20"
    )
    client.get(url)
    # Wagtail's own listing queries, then one series lookup, one lookup of the series linking
    # the listed pages and one outline for all the parts.
    with django_assert_max_num_queries(14):
        items = client.get(url).json()["items"]
    assert [item["series"]["position"] for item in items] == list(range(1, 21))


def test_the_deprecated_module_still_offers_the_fields():
    from wagtail_series import api_fields
    from wagtail_series.api import fields

    for name in ("RichTextHTMLField", "SeriesInfoField", "StreamFieldHTMLField"):
        assert getattr(fields, name) is getattr(api_fields, name)
