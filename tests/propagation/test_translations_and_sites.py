"""Propagation across translations and sites: a change purges and notifies every series whose
pages it changes (through cross-locale links too), and a site's old URLs are purged with it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from tests.conftest import add_part, make_series, page_link, publish, reload, rich_text_paragraph
from wagtail_series import propagation, signal_handlers

pytestmark = pytest.mark.django_db

FRENCH_ROSE = "http://localhost/fr/souvenirs/la-rose-magnetique/"
FRENCH_SERIES = "http://localhost/fr/souvenirs/"


def everything(purged) -> set[str]:
    return set().union(*purged)


def test_publishing_a_part_purges_the_translations_that_link_to_it(
    bilingual, purged, django_capture_on_commit_callbacks
):
    # The French Rose links to the English parts' ids (as copy_for_translation leaves them).
    pages = bilingual(links_to="en")
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["en"]["stink"])
    urls = everything(purged)
    assert "http://localhost/memories/stink-bomb/" in urls
    assert {FRENCH_ROSE, FRENCH_SERIES} <= urls
    # And the French Stink Bomb, published later, changes the English ids' French links.
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["fr"]["stink"])
    assert {FRENCH_ROSE, "http://localhost/fr/souvenirs/boule-puante/"} <= everything(purged)


def test_unpublishing_purges_the_series_linking_to_a_translation(
    bilingual, purged, django_capture_on_commit_callbacks
):
    pages = bilingual(links_to="fr")
    publish(pages["fr"]["stink"])
    # Another English series whose part links to the French Stink Bomb (resolved per locale).
    other = make_series(reload(pages["en"]["series"].get_parent()), "Reviews")
    review = add_part(
        other,
        "Review",
        body=rich_text_paragraph(f"<p>{page_link(pages['fr']['stink'], 'Stink')}</p>"),
    )
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reload(pages["en"]["stink"]).save_revision().publish()
    assert review.get_full_url() in everything(purged)
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reload(pages["fr"]["stink"]).unpublish()
    assert {review.get_full_url(), FRENCH_ROSE} <= everything(purged)


def test_the_linking_series_are_notified(
    bilingual, settings, receiver, django_capture_on_commit_callbacks
):
    pages = bilingual(links_to="en")
    settings.WAGTAIL_SERIES = {"WEBHOOKS": [{"url": receiver.url, "secret": "s"}]}
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["en"]["stink"])
    bodies = [r.json for r in receiver.received]
    french = [b for b in bodies if b["series"]["id"] == pages["fr"]["series"].pk]
    assert [(b["event"], b["part"]) for b in french] == [("updated", None)]
    assert "/fr/souvenirs/la-rose-magnetique/" in french[0]["paths"]


@pytest.mark.parametrize("count", [3, 300])
def test_the_linking_series_are_found_in_constant_queries(memories, home, count):
    pages = memories()
    stink = pages["stink"]
    for i in range(count):
        series = make_series(home, f"Linking {i}")
        add_part(
            series,
            f"Part {i}",
            state="live",
            body=rich_text_paragraph(f"<p>{page_link(stink, 'Stink')}</p>"),
        ).save()  # a live row only: the save indexes its references
    with CaptureQueriesContext(connection) as queries:
        found = propagation.series_ids_linking_to(stink)
    assert len(queries) == 3
    assert len(found) == count + 1  # and the series of the Rose, linking to it too


def test_a_sites_old_host_is_purged_with_its_new_one(
    two_sites, purged, django_capture_on_commit_callbacks
):
    site = two_sites["b"]
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        site.hostname = "c.example"
        site.save()
    urls = everything(purged)
    for host in ("b.example", "c.example"):
        assert f"http://{host}/other-site-series/" in urls
        assert f"http://{host}/other-site-series/other-site-part/" in urls
        assert f"http://{host}/api/v2/series/" in urls
    assert "http://b.example/other-site-series/feed/" in urls


def test_a_deleted_sites_urls_are_purged(two_sites, purged, django_capture_on_commit_callbacks):
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Site.objects.get(pk=two_sites["b"].pk).delete()
    assert "http://b.example/other-site-series/other-site-part/" in everything(purged)


def test_saving_a_site_without_changing_its_urls_reads_only_the_site(two_sites, purged):
    site = Site.objects.get(pk=two_sites["b"].pk)
    site.site_name = "Site B"
    with CaptureQueriesContext(connection) as queries:
        signal_handlers.on_site_pre_save(Site, site)
    assert len(queries) == 1
    assert "_wagtail_series_site_before" not in site.__dict__


def test_a_publish_purges_the_listing_on_the_parts_own_site(
    two_sites, memories, purged, django_capture_on_commit_callbacks
):
    pages = memories()
    series_b = reload(two_sites["b"].root_page).get_children().first().specific
    draft_b = add_part(series_b, "Another part", state="draft")
    for page, own, elsewhere in (
        (draft_b, "b.example", "localhost"),
        (pages["stink"], "localhost", "b.example"),
    ):
        purged.clear()
        with django_capture_on_commit_callbacks(execute=True):
            publish(page)
        urls = everything(purged)
        assert f"http://{own}/api/v2/series/" in urls
        assert f"http://{elsewhere}/api/v2/series/" not in urls
        assert not any(url.startswith(f"http://{elsewhere}/") for url in urls)
