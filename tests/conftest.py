"""Builders shared by the whole suite: series with parts in every state, and canary text.

A *canary* is unique text put where readers must never see it (a draft's body, a private part's
title...). Tests assert it appears in no response.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import PageViewRestriction, Site

from tests.support import purged, receiver  # noqa: F401 (fixtures: a CDN, a webhook endpoint)
from wagtail_series import propagation
from wagtail_series.compat import get_page_model
from wagtail_series.models import SeriesPage, SeriesPart

# The site's page model: wagtail.models.Page, or Wagtail 8's swapped-in WAGTAIL_PAGE_MODEL.
Page = get_page_model()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (feeds are cached under ids a new test reuses)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def home(db) -> Page:
    """The default site's root page, created by Wagtail's migrations."""
    return Site.objects.get(is_default_site=True).root_page.specific


def rich_text_paragraph(html: str) -> str:
    return json.dumps([{"type": "paragraph", "value": html}])


def page_link(page: Page, text: str) -> str:
    """Rich text as Wagtail stores a link to a page."""
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def reload(page: Page) -> Page:
    """A fresh copy of a page from the database (never publish a stale in-memory page)."""
    return Page.objects.get(pk=page.pk).specific


def make_series(
    parent: Page, title: str = "Memories", *, live: bool = True, **fields
) -> SeriesPage:
    fields.setdefault("slug", slugify(title))
    series = SeriesPage(title=title, live=live, **fields)
    parent.add_child(instance=series)
    if live:
        series.save_revision().publish()
    else:
        series.save_revision()
    return reload(series)


def add_part(
    series: Page,
    title: str,
    *,
    state: str = "published",
    model: type[Page] = SeriesPart,
    **fields: Any,
) -> Page:
    """Add a part under ``series``.

    ``state``: "published" (through a real revision publish), "live" (live row only, fast: for
    long series), "draft" (never published; announced unless announce_forthcoming=False).
    """
    fields.setdefault("slug", slugify(title))
    if state == "live":
        now = timezone.now()
        part = model(
            title=title, live=True, first_published_at=now, last_published_at=now, **fields
        )
        series.add_child(instance=part)
        return part
    part = model(title=title, live=False, **fields)
    series.add_child(instance=part)
    revision = part.save_revision()
    if state == "published":
        revision.publish()
    elif state != "draft":
        raise ValueError(state)
    return reload(part)


def publish(page: Page) -> Page:
    """Publish a page's latest revision, as the editor's Publish button does."""
    page = reload(page)
    page.get_latest_revision().publish()
    return reload(page)


def restrict(
    page: Page, kind: str, *, password: str = "", groups: list[Group] = ()
) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password=password
    )
    if groups:
        restriction.groups.set(groups)
    return restriction


@pytest.fixture
def memories(home) -> Callable[..., dict[str, Page]]:
    """The demo's shape: a published Part 1 linking to two announced forthcoming parts."""

    def build() -> dict[str, Page]:
        series = make_series(
            home, "Memories", description="<p>An anthology, one short at a time.</p>"
        )
        stink = add_part(
            series,
            "Stink Bomb",
            state="draft",
            forthcoming_teaser="A cold remedy goes very wrong.",
            expected_date=dt.date(2027, 1, 15),
        )
        cannon = add_part(
            series,
            "Cannon Fodder",
            state="draft",
            forthcoming_teaser="A city built around its guns.",
        )
        rose = add_part(
            series,
            "Magnetic Rose",
            state="published",
            intro="A salvage crew answers a distress call.",
            body=rich_text_paragraph(
                f"<p>Next come {page_link(stink, 'Stink Bomb')} and "
                f"{page_link(cannon, 'Cannon Fodder')}.</p>"
            ),
        )
        # Part 1 was written first in the story but created last: put it first in the tree.
        rose = reload(rose)
        rose.move(reload(series), pos="first-child")
        return {
            "series": reload(series),
            "rose": reload(rose),
            "stink": reload(stink),
            "cannon": reload(cannon),
        }

    return build


# Each allowed order of the series listings and the `catalogue` it gives (REST and GraphQL).
CATALOGUE_ORDERS = [
    ("title", ["Akira notes", "Blade Runner", "Cowboy Bebop"]),
    ("-title", ["Cowboy Bebop", "Blade Runner", "Akira notes"]),
    ("first_published_at", ["Akira notes", "Cowboy Bebop", "Blade Runner"]),
    ("-first_published_at", ["Blade Runner", "Cowboy Bebop", "Akira notes"]),
    ("latest_part_published_at", ["Akira notes", "Cowboy Bebop", "Blade Runner"]),
    ("-latest_part_published_at", ["Blade Runner", "Cowboy Bebop", "Akira notes"]),
]


@pytest.fixture
def catalogue(home):
    """Three series with distinct titles, dates, statuses and tags (REST and GraphQL listings)."""
    made = {}
    for title, status, tags, days_ago in [
        ("Akira notes", "complete", ["anime"], 30),
        ("Blade Runner", "ongoing", ["film", "noir"], 10),
        ("Cowboy Bebop", "hiatus", ["anime", "tv"], 20),
    ]:
        series = make_series(home, title, status=status)
        series.tags.add(*tags)
        series.save()
        part = add_part(series, f"{title} part")
        when = timezone.now() - dt.timedelta(days=days_ago)
        type(part).objects.filter(pk=part.pk).update(first_published_at=when)
        type(series).objects.filter(pk=series.pk).update(
            first_published_at=when - dt.timedelta(days=1)
        )
        # Rows written behind Wagtail's back say so, as any direct write must (versions, order).
        propagation.series_changed([series.pk], event="saved")
        made[title] = reload(series)
    return made


@pytest.fixture
def canary() -> Callable[[str], str]:
    """Unique, grep-able canary strings."""
    counter = iter(range(1_000_000))

    def make(where: str) -> str:
        return f"CANARY{next(counter):03d}{where.upper().replace(' ', '')}"

    return make


# Multilingual and multi-site fixtures (``i18n``, ``bilingual``, ``two_sites``): imported last,
# as they build on the builders above.
from tests.sites_and_locales import bilingual, i18n, translate, two_sites  # noqa: E402, F401
