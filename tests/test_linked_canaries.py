"""Linked parts' targets never leak to readers who may not see them, on any surface (issue 13).

The pattern of ``test_canaries``: unique canary text is put in linked targets that are drafts,
have a newer draft, sit behind view restrictions (their own or an ancestor's, login or group),
are aliases, are moved into a restricted section or are deleted. Every URL the site serves (the
series page, the targets' own pages, REST, GraphQL, feeds) is fetched as each kind of reader, and
each canary may appear only for the readers listed in ``ALLOWED``. Canaries are matched ignoring
case, so a slug in a URL counts as a leak too. Positive controls prove each reader is shown what
it may see.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.conftest import Page, make_series, reload, restrict
from tests.reader.test_linked import add_link, add_review
from tests.test_canaries import reader_urls
from wagtail_series.models import LinkedPart, SeriesPage

pytestmark = pytest.mark.django_db

MEMBER = {
    "MEMBERSSERIES",
    "LOGINTARGET",
    "LOGINTARGETBODY",
    "LOGINSECTION",
    "SECTIONTARGET",
    "MOVEDTARGET",
}
# The titles of live linked parts whose target is hidden from some reader. Readers never see
# a linked part itself: the series shows its target or hides the entry. But the stock lists of
# live public pages (Wagtail's pages API, grapple's pages/children/page(id)) return linked parts
# as pages, with their own title and URL (whose path holds its series' slug, even when the series
# is a draft, as for any live page under a draft); see
# test_stock_page_lists_show_linked_parts_own_titles.
LINK_TITLES = {"LOGINLINK", "SECTIONLINK", "CLUBLINK", "MOVEDLINK", "DRAFTLINKSERIES"}


def on_stock_page_lists(url: str) -> bool:
    return url.startswith(("/api/v2/pages/", "/graphql/"))


# Who may see which canary (anything not listed: nobody).
ALLOWED = {
    "anonymous": set(),
    "member": MEMBER,
    "club": MEMBER | {"CLUBSECTION", "CLUBTARGET"},
}


@pytest.fixture
def linked_canaries(home, django_user_model):
    c: dict[str, str] = {}

    def canary(name: str) -> str:
        c[name] = f"CANARY{name}"
        return c[name]

    best = make_series(home, "Best of Otomo")

    # A public, live target: the positive control of the whole series.
    akira = add_review(home, "Akira review", search_description="Why Akira still matters.")
    add_link(best, "Akira", akira)

    # A target that was never published: its row holds its draft.
    draft = add_review(
        home,
        canary("DRAFTTARGET"),
        live=False,
        search_description=canary("DRAFTTARGETDESCRIPTION"),
        body=f"<p>{canary('DRAFTTARGETBODY')}</p>",
    )
    add_link(best, "Steamboy", draft, forthcoming_teaser="A steam-powered epic.")

    # A live target with a newer, unpublished draft revision.
    newer = add_review(
        home, "Roujin Z review", search_description="A bed.", body="<p>Public body.</p>"
    )
    newer = reload(newer)
    newer.title = canary("NEWERDRAFTTARGET")
    newer.search_description = canary("NEWERDRAFTDESCRIPTION")
    newer.body = f"<p>{canary('NEWERDRAFTBODY')}</p>"
    newer.save_revision()
    add_link(best, "Roujin Z", newer)

    # An unannounced linked part (never published) pointing at a live, public page: nothing of
    # the linked part shows, and the page is in no series through it.
    unannounced_target = add_review(home, "Freedom review")
    add_link(
        best,
        canary("UNANNOUNCEDLINK"),
        unannounced_target,
        state="draft",
        announce_forthcoming=False,
        forthcoming_teaser=canary("UNANNOUNCEDLINKTEASER"),
    )

    # A target with a login restriction of its own.
    login_target = add_review(
        home, canary("LOGINTARGET"), body=f"<p>{canary('LOGINTARGETBODY')}</p>"
    )
    restrict(login_target, PageViewRestriction.LOGIN)
    add_link(best, canary("LOGINLINK"), login_target)

    # A target in a section restricted to logged-in readers, and one in a section restricted to
    # a group.
    section = add_review(home, canary("LOGINSECTION"))
    restrict(section, PageViewRestriction.LOGIN)
    add_link(best, canary("SECTIONLINK"), add_review(section, canary("SECTIONTARGET")))
    club = Group.objects.create(name="Club")
    club_section = add_review(home, canary("CLUBSECTION"))
    restrict(club_section, PageViewRestriction.GROUPS, groups=[club])
    add_link(best, canary("CLUBLINK"), add_review(club_section, canary("CLUBTARGET")))

    # An alias as target: the alias is the entry, at its own URL. Its source has a newer draft,
    # which the alias (a copy of the published source) never shows.
    source = add_review(home, "Genius Party review")
    alias = reload(source).create_alias(parent=reload(section).get_parent(), update_slug="mirror")
    source = reload(source)
    source.title = canary("ALIASSOURCEDRAFT")
    source.save_revision()
    add_link(best, "Alias link", alias)
    # An alias of a page that was never published: not live either.
    never = add_review(home, canary("ALIASOFDRAFT"), live=False)
    draft_alias = reload(never).create_alias(parent=home, update_slug="draft-mirror")
    add_link(best, "Draft alias link", draft_alias)

    # A public target later moved into the restricted section.
    moved = add_review(home, canary("MOVEDTARGET"))
    add_link(best, canary("MOVEDLINK"), moved)
    reload(moved).move(reload(section), pos="last-child")

    # A target deleted: its title and URL (its slug) must appear nowhere.
    deleted = add_review(home, canary("DELETEDTARGET"))
    add_link(best, "Deleted link", deleted, forthcoming_teaser="Gone for now.")
    reload(deleted).delete()

    # The public review is linked from a members-only series and from a series that is a draft:
    # its own page, the pages API's `series` field and GraphQL show only the series the reader
    # may see among its memberships.
    members_series = make_series(home, canary("MEMBERSSERIES"))
    restrict(members_series, PageViewRestriction.LOGIN)
    add_link(members_series, "Akira, members' cut", akira)
    draft_series = make_series(home, canary("DRAFTLINKSERIES"), live=False)
    add_link(draft_series, "Akira, drafted", akira)

    users = {
        "member": django_user_model.objects.create_user("member", password="x"),
        "club": django_user_model.objects.create_user("clubber", password="x"),
    }
    users["club"].groups.add(club)
    return c, users, reload(best)


def fetch_all(client) -> dict[str, str]:
    """Every reader URL's body, and its redirect's destination (a redirect can leak a URL; not
    its query string: a login redirect's ``next`` is the URL the reader asked for)."""
    responses = {}
    for url in reader_urls():
        response = client.get(url)
        location = response.get("Location", "").split("?")[0]
        responses[url] = response.content.decode() + (f"\n{location}" if location else "")
    return responses


def seen_canaries(canaries: dict[str, str], responses: dict[str, str]) -> dict[str, list[str]]:
    """Each canary seen (ignoring case: slugs count), with the URLs it was seen at."""
    bodies = {url: body.lower() for url, body in responses.items()}
    seen: dict[str, list[str]] = {}
    for name, text in canaries.items():
        urls = [url for url, body in bodies.items() if text.lower() in body]
        if urls:
            seen[name] = urls
    return seen


@pytest.mark.parametrize("who", ["anonymous", "member", "club"])
def test_linked_canaries_appear_only_where_allowed(client, linked_canaries, who):
    canaries, users, best = linked_canaries
    if who != "anonymous":
        client.force_login(users[who])
    responses = fetch_all(client)
    assert len(responses) >= 20
    seen = seen_canaries(canaries, responses)
    leaked = {
        name: [url[:60] for url in urls]
        for name, urls in seen.items()
        if name not in ALLOWED[who]
        and not (name in LINK_TITLES and all(on_stock_page_lists(url) for url in urls))
    }
    assert leaked == {}, f"{who} saw {leaked}"
    # Positive controls: what is allowed is shown, on the series page itself (its TOC).
    assert ALLOWED[who] <= set(seen)
    series_html = responses[best.url]
    for name in ("LOGINTARGET", "SECTIONTARGET", "MOVEDTARGET", "CLUBTARGET"):
        assert (canaries[name] in series_html) is (name in ALLOWED[who]), name
    for text in ("Akira review", "Roujin Z review", "Steamboy", "Deleted link", "Genius Party"):
        assert text in series_html, text
    assert "/mirror/" in series_html  # the alias is the entry, at its own URL
    # REST shows the same entries.
    api = responses[f"/api/v2/series/{best.pk}/"]
    assert "Akira review" in api and "Roujin Z review" in api and "/mirror/" in api
    assert (canaries["LOGINTARGET"] in api) is (who != "anonymous")
    assert (canaries["CLUBTARGET"] in api) is (who == "club")
    # A target's own page shows its place in every series the reader may see.
    assert "Best of Otomo" in responses["/akira-review/"]
    assert (canaries["MEMBERSSERIES"] in responses["/akira-review/"]) is (who != "anonymous")
    akira_api = responses[f"/api/v2/pages/{Page.objects.get(title='Akira review').pk}/"]
    assert "Best of Otomo" in akira_api
    assert (canaries["MEMBERSSERIES"] in akira_api) is (who != "anonymous")
    # The page linked only by an unannounced linked part is in no series through it.
    assert "Best of Otomo" not in responses["/freedom-review/"]
    freedom = Page.objects.get(title="Freedom review")
    assert json.loads(responses[f"/api/v2/pages/{freedom.pk}/"])["series"] is None
    # Feeds list the live public targets; they are public documents, so whoever asks, no
    # restricted target (docs/feeds.md).
    for path in SeriesPage.FEED_PATHS.values():
        feed = responses[best.url + path]
        assert "Akira review" in feed and "/akira-review/" in feed, path
        assert not any(canaries[name].lower() in feed.lower() for name in MEMBER), path
    if apps.is_installed("wagtail_series.contrib.grapple"):
        for url, body in responses.items():
            assert not url.startswith("/graphql/") or '"errors"' not in body, (url, body)
        graphql = [body for url, body in responses.items() if url.startswith("/graphql/")]
        assert any("Akira review" in body for body in graphql)
        assert any(canaries["LOGINTARGET"] in body for body in graphql) is (who != "anonymous")


def test_the_deleted_target_left_a_placeholder(linked_canaries):
    canaries, _, best = linked_canaries
    link = LinkedPart.objects.get(title="Deleted link")
    assert link.target_id is None


@pytest.mark.xfail(
    strict=True,
    reason="Wagtail's pages API and grapple's generic page lists return LinkedPart rows as pages "
    "(their own title, slug and URL), even when the reader may not open the target: needs a "
    "design decision (exclude LinkedPart from the stock lists, or treat its title as public).",
)
def test_stock_page_lists_show_linked_parts_own_titles(client, linked_canaries):
    canaries, _, _ = linked_canaries
    responses = fetch_all(client)
    seen = seen_canaries({name: canaries[name] for name in LINK_TITLES}, responses)
    assert seen == {}


def test_a_linked_parts_url_redirects_only_readers_who_may_open_its_target(client, linked_canaries):
    canaries, users, _ = linked_canaries
    link = LinkedPart.objects.get(title=canaries["LOGINLINK"])
    response = client.get(link.url)
    # Not a redirect to the target's URL (its slug is the target's title).
    assert response.status_code == 404 and "Location" not in response
    client.force_login(users["member"])
    response = client.get(link.url)
    assert response.status_code == 302
    assert response["Location"] == reload(link.target).url


def test_graphql_lists_a_series_children_with_linked_parts_among_them(client, linked_canaries):
    if not apps.is_installed("wagtail_series.contrib.grapple"):
        pytest.skip("GraphQL is not installed (a swapped page model)")
    from tests.contrib.grapple.conftest import data

    _, _, best = linked_canaries
    result = data(
        client,
        "query ($id: ID) { series(id: $id) { children { __typename title } } }",
        {"id": best.pk},
    )
    typenames = {child["__typename"] for child in result["series"]["children"]}
    assert typenames == {"LinkedPart"}
