"""Admin operations (wagtail_series.admin.actions)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from wagtail.models import BaseViewRestriction, PageViewRestriction

from tests.conftest import make_series, reload
from tests.testapp.models import BlogPage
from wagtail_series import reader
from wagtail_series.admin.actions import create_forthcoming_part
from wagtail_series.models import SeriesPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="x")


def test_creates_an_announced_draft_at_the_end(home, editor):
    series = make_series(home, "Memories")
    first = create_forthcoming_part(series, title="One", user=editor)
    second = create_forthcoming_part(
        reload(series),
        title="Two",
        user=editor,
        teaser="Soon.",
        expected_date=dt.date(2030, 1, 1),
        model=BlogPage,
    )
    assert isinstance(reload(second), BlogPage)
    for part in (first, second):
        part = reload(part)
        assert not part.live and part.announce_forthcoming and part.owner == editor
        assert part.get_latest_revision().user == editor
    entries = reader.get_editor_outline(reload(series)).entries
    assert [(e.title, e.state.value, e.position) for e in entries] == [
        ("One", "forthcoming", 1),
        ("Two", "forthcoming", 2),
    ]
    assert (entries[1].teaser, entries[1].expected_date) == ("Soon.", dt.date(2030, 1, 1))


def test_applies_the_page_types_default_privacy(home, editor, monkeypatch):
    series = make_series(home, "Members")
    members = Group.objects.create(name="Members")

    def members_only(self, request):
        return {"type": BaseViewRestriction.GROUPS, "groups": [members]}

    monkeypatch.setattr(SeriesPart, "get_default_privacy_setting", members_only)
    request = RequestFactory().get("/")
    request.user = editor
    part = create_forthcoming_part(series, title="Private", user=editor, request=request)
    restriction = PageViewRestriction.objects.get(page=part)
    assert restriction.restriction_type == BaseViewRestriction.GROUPS
    assert list(restriction.groups.all()) == [members]
    # Without a request (from code), there is no privacy setting to ask for.
    other = create_forthcoming_part(reload(series), title="Public", user=editor)
    assert not PageViewRestriction.objects.filter(page=other).exists()
