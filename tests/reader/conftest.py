"""Builders shared by the reader's tests: requests, a series, scheduled publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Revision

from tests.conftest import (
    Page,
    make_series,
    reload,
)
from wagtail_series import reader


def titles(outline: reader.SeriesOutline) -> list[tuple[int, str, str]]:
    return [(e.position, e.title, e.status.value) for e in outline.entries]


def make_request(user=None, session=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = session if session is not None else SessionStore()
    return request


@pytest.fixture
def series(home):
    return make_series(home, "Memories")


def schedule(page: Page, when: dt.datetime) -> Revision:
    page = reload(page)
    page.go_live_at = when
    revision = page.save_revision()
    revision.publish()
    return revision


def let_go_live_time_pass(revision: Revision) -> None:
    """Move a scheduled revision's go-live moment into the past, as waiting would."""
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
