"""Readers never see what they may not: canary text in drafts and private pages, on every surface.

Each canary is unique text put where a reader must never see it. The test fetches every URL the
site serves for several kinds of reader and asserts each canary appears only where allowed. Positive
controls prove the test can see a canary when it is allowed: it does not pass by fetching nothing.

Surfaces added by later features (API, GraphQL, feeds) add their URLs to ``reader_urls``.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.conftest import (
    Page,
    add_part,
    make_series,
    page_link,
    reload,
    restrict,
    rich_text_paragraph,
)
from tests.testapp.models import BlogPage
from wagtail_series.models import SeriesPage

pytestmark = pytest.mark.django_db

# Who may see which canary (anything not listed: nobody).
ALLOWED = {
    "anonymous": set(),
    "member": {"LOGINPART", "PRIVATESERIES", "PRIVATESERIESPART"},
    "club": {"LOGINPART", "PRIVATESERIES", "PRIVATESERIESPART", "GROUPPART"},
}


@pytest.fixture
def site_with_canaries(home, django_user_model):
    c = {}

    def canary(name: str) -> str:
        c[name] = f"CANARY{name}"
        return c[name]

    series = make_series(home, "Memories")

    # A live part with a newer, unpublished draft revision.
    live = reload(add_part(series, "Magnetic Rose", intro="Public intro."))
    live.title = canary("NEWERDRAFTTITLE")
    live.intro = canary("NEWERDRAFTINTRO")
    live.save_revision()

    # An announced forthcoming part: only its announcement is public.
    announced = add_part(
        series,
        canary("DRAFTTITLE"),
        state="draft",
        forthcoming_title="Stink Bomb",
        forthcoming_teaser="A cold remedy goes wrong.",
        intro=canary("DRAFTINTRO"),
        body=rich_text_paragraph(f"<p>{canary('DRAFTBODY')}</p>"),
    )
    # An unannounced draft: nothing of it is public.
    unannounced = add_part(
        series,
        canary("UNANNOUNCEDTITLE"),
        state="draft",
        announce_forthcoming=False,
        forthcoming_title=canary("UNANNOUNCEDFORTHCOMING"),
        forthcoming_teaser=canary("UNANNOUNCEDTEASER"),
    )
    password_part = add_part(series, canary("PASSWORDPART"), intro=canary("PASSWORDINTRO"))
    restrict(password_part, PageViewRestriction.PASSWORD, password="secret")
    restrict(add_part(series, canary("LOGINPART")), PageViewRestriction.LOGIN)
    club = Group.objects.create(name="Club")
    restrict(add_part(series, canary("GROUPPART")), PageViewRestriction.GROUPS, groups=[club])
    # A forthcoming part that is also private: its announcement is private too.
    private_forthcoming = add_part(series, canary("PRIVATEFORTHCOMING"), state="draft")
    restrict(private_forthcoming, PageViewRestriction.PASSWORD, password="secret")

    # A host page type part whose rich text links to every other part.
    others = [live, announced, unannounced, password_part, private_forthcoming]
    add_part(
        series,
        "Cannon Fodder",
        model=BlogPage,
        body="".join(f"<p>{page_link(p, 'a link')}</p>" for p in others),
    )

    private_series = make_series(home, canary("PRIVATESERIES"))
    restrict(private_series, PageViewRestriction.LOGIN)
    add_part(private_series, canary("PRIVATESERIESPART"))

    draft_series = make_series(home, canary("DRAFTSERIES"), live=False)
    add_part(draft_series, "Live part of a draft series")

    users = {
        "member": django_user_model.objects.create_user("member", password="x"),
        "club": django_user_model.objects.create_user("clubber", password="x"),
    }
    users["club"].groups.add(club)
    return c, users


def reader_urls() -> list[str]:
    """Every URL a reader could ask for: each page in the tree, live or not, the API, the feeds."""
    pages = list(Page.objects.filter(depth__gt=1))
    series_ids = SeriesPage.objects.values_list("pk", flat=True)
    return [
        *(page.url for page in pages if page.url),
        # REST: the series endpoint, and the stock pages endpoint with our `series` field.
        "/api/v2/series/",
        "/api/v2/series/?search=canary",
        *(f"/api/v2/series/{series_id}/" for series_id in series_ids),
        *(f"/api/v2/pages/{page.pk}/" for page in pages),
        "/api/v2/pages/?type=wagtail_series.SeriesPart&fields=*",
        "/api/v2/pages/?type=testapp.BlogPage&fields=series,body",
        # Feeds: every series' RSS, Atom and JSON Feed, and the site-wide feeds.
        *(
            series.url + path
            for series in SeriesPage.objects.all()
            for path in SeriesPage.FEED_PATHS.values()
        ),
        *(reverse(f"wagtail_series_feeds:{kind}") for kind in ("rss", "atom", "json")),
        # GraphQL: our query fields and grapple's own, through every field of our types.
        *graphql_urls(pages, series_ids),
    ]


# Every field of the GraphQL types of wagtail_series.contrib.grapple, including the part page
# objects (`page`), the neighbours (`previous`, `next`), the series and `parent` links.
GRAPHQL_FRAGMENTS = """
fragment AnyPage on PageInterface {
  id title seoTitle searchDescription url parent { title }
  ... on SeriesPage { ...Series }
  ... on SeriesPart { intro body { ... on RichTextBlock { value } } ...Part }
  ... on BlogPage { ...Part }
}
fragment Series on SeriesPage {
  slug description tags status partLabel plannedParts partsTotal publishedCount forthcomingCount
  parts { ...Entry } children { title }
}
fragment Entry on SeriesEntry {
  id title status url teaser expectedDate firstPublishedAt
  page { id title url parent { title } ...Part }
}
fragment Part on SeriesPartInterface {
  seriesInfo {
    position label total planned summary series { id title description parts { title } }
    previous { ...Link } next { ...Link }
  }
}
fragment Link on SeriesEntry { title status url teaser page { title url } }
"""
GRAPHQL_SERIES_LIST = "/graphql/?" + urlencode(
    {"query": "{ seriesList(limit: 100) { ...AnyPage } seriesCount }" + GRAPHQL_FRAGMENTS}
)


def graphql_urls(pages, series_ids) -> list[str]:
    if not apps.is_installed("wagtail_series.contrib.grapple"):
        return []
    queries = [
        "{ pages(limit: 100) { ...AnyPage } }",
        *(f"{{ series(id: {series_id}) {{ ...AnyPage }} }}" for series_id in series_ids),
        *(f"{{ page(id: {page.pk}) {{ ...AnyPage }} }}" for page in pages),
    ]
    return [
        GRAPHQL_SERIES_LIST,
        *("/graphql/?" + urlencode({"query": query + GRAPHQL_FRAGMENTS}) for query in queries),
    ]


def fetch_all(client) -> dict[str, str]:
    return {url: client.get(url).content.decode() for url in reader_urls()}


@pytest.mark.parametrize("who", ["anonymous", "member", "club"])
def test_canaries_appear_only_where_allowed(client, site_with_canaries, who):
    canaries, users = site_with_canaries
    if who != "anonymous":
        client.force_login(users[who])
    responses = fetch_all(client)
    assert len(responses) >= 10
    seen = {name for name, text in canaries.items() for body in responses.values() if text in body}
    assert seen - ALLOWED[who] == set(), f"{who} saw {sorted(seen - ALLOWED[who])}"
    # Positive control: what is allowed is really shown (so fetching works and the test can fail).
    assert ALLOWED[who] <= seen
    assert "Stink Bomb" in responses["/memories/"]
    # The API answers too, and shows what is allowed (so the API half of the test can fail).
    memories_api = responses[f"/api/v2/series/{SeriesPage.objects.get(slug='memories').pk}/"]
    assert '"status": "forthcoming"' in memories_api.replace('":"', '": "')
    if who != "anonymous":
        assert canaries["LOGINPART"] in memories_api
    if apps.is_installed("wagtail_series.contrib.grapple"):
        # GraphQL answers every query without errors, and shows what is allowed.
        for url, body in responses.items():
            assert not url.startswith("/graphql/") or '"errors"' not in body, (url, body)
        graphql = json.loads(responses[GRAPHQL_SERIES_LIST])
        assert "errors" not in graphql and '"status":"FORTHCOMING"' in json.dumps(
            graphql, separators=(",", ":")
        )
        assert (canaries["LOGINPART"] in json.dumps(graphql)) is (who != "anonymous")


def test_password_passed_reader_sees_password_parts_but_no_drafts(client, site_with_canaries):
    canaries, _ = site_with_canaries
    restriction = PageViewRestriction.objects.get(page__title=canaries["PASSWORDPART"])
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.id]
    session.save()
    responses = fetch_all(client)
    everything = "\n".join(responses.values())
    assert canaries["PASSWORDPART"] in everything
    for name in ("DRAFTTITLE", "DRAFTINTRO", "DRAFTBODY", "NEWERDRAFTTITLE", "UNANNOUNCEDTITLE"):
        assert canaries[name] not in everything, name


def test_json_ld_carries_no_canary(client, site_with_canaries):
    canaries, _ = site_with_canaries
    body = client.get("/memories/").content.decode()
    start = body.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(body[start : body.index("</script>", start)])
    assert [p["name"] for p in data["hasPart"]] == ["Magnetic Rose", "Cannon Fodder"]
    assert not any(text in json.dumps(data) for text in canaries.values())


def test_a_forthcoming_part_url_shows_only_its_announcement(client, site_with_canaries, settings):
    """Issue 14: the URL of an announced part shows its announcement (FORTHCOMING_PART_PAGE),
    never the draft; unannounced and private drafts stay a 404."""
    canaries, _ = site_with_canaries
    draft = reload(Page.objects.get(title=canaries["DRAFTTITLE"]))
    response = client.get(draft.url)
    body = response.content.decode()
    assert response.status_code == 200 and "Stink Bomb" in body
    assert not any(text in body for text in canaries.values())
    for name in ("UNANNOUNCEDTITLE", "PRIVATEFORTHCOMING"):
        hidden = reload(Page.objects.get(title=canaries[name]))
        response = client.get(hidden.url)
        assert response.status_code == 404
        assert not any(text in response.content.decode() for text in canaries.values())
    settings.WAGTAIL_SERIES = {"FORTHCOMING_PART_PAGE": False}
    assert client.get(draft.url).status_code == 404


def test_webhook_payloads_carry_no_canary(site_with_canaries, receiver, settings):
    """A change to every page of the tree, told to a webhook endpoint: no canary in any payload."""
    from django.db import transaction

    from wagtail_series import propagation

    canaries, _ = site_with_canaries
    settings.WAGTAIL_SERIES = {"WEBHOOKS": [{"url": receiver.url, "secret": "s"}]}
    pages = [page.specific for page in Page.objects.filter(depth__gt=2)]
    with propagation.batch():
        for page in pages:
            event = "published" if page.live else "updated"
            series_ids = propagation.series_ids_for_page(page) | propagation.series_ids_under(page)
            propagation.series_changed(series_ids, event=event, page=page)
        # The test's transaction never commits: hand the changes over as a commit would.
        for _savepoints, callback, _robust in transaction.get_connection().run_on_commit:
            callback()
    bodies = [request.body.decode() for request in receiver.received]
    assert len(bodies) >= len(pages)
    for body in bodies:
        leaked = [name for name, text in canaries.items() if text.lower() in body.lower()]
        assert leaked == [], body
    # Positive control: the public part is there.
    assert any("/memories/magnetic-rose/" in body for body in bodies)
