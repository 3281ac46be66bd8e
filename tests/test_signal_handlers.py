"""Every change a reader could see bumps the affected series' version, and only theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from tests.conftest import Page, add_part, make_series, publish, reload, restrict
from wagtail_series.models import SeriesVersion
from wagtail_series.models.versions import ALL_SERIES

pytestmark = pytest.mark.django_db


def versions() -> dict[int, int]:
    return dict(SeriesVersion.objects.values_list("series_id", "version"))


@pytest.fixture
def two_series(home):
    memories = make_series(home, "Memories")
    other = make_series(home, "Other")
    parts = [add_part(memories, "One"), add_part(memories, "Two", state="draft")]
    add_part(other, "Elsewhere")
    return reload(memories), reload(other), parts


def bumped(before: dict[int, int]) -> set[int]:
    after = versions()
    return {sid for sid, v in after.items() if v != before.get(sid)} - {ALL_SERIES}


def test_publishing_a_part_bumps_its_series_only(two_series):
    memories, other, (_, draft) = two_series
    before = versions()
    publish(draft)
    assert bumped(before) == {memories.pk}
    assert versions()[ALL_SERIES] > before[ALL_SERIES]


def test_scheduling_a_part_bumps_its_series(two_series):
    memories, _, (_, draft) = two_series
    draft = reload(draft)
    draft.go_live_at = timezone.now() + dt.timedelta(days=1)
    before = versions()
    draft.save_revision().publish()
    assert not reload(draft).live
    assert bumped(before) == {memories.pk}


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: reload(p).unpublish(), id="unpublish"),
        pytest.param(lambda p: reload(p).delete(), id="delete"),
        pytest.param(lambda p: publish_with(p, title="Retitled"), id="retitle"),
        pytest.param(lambda p: draft_with(p, forthcoming_teaser="New teaser"), id="draft-edit"),
        pytest.param(lambda p: restrict(p, PageViewRestriction.LOGIN), id="restrict"),
    ],
)
def test_changes_to_a_part_bump_its_series(two_series, change):
    memories, _, (live, _) = two_series
    before = versions()
    change(live)
    assert bumped(before) == {memories.pk}


def publish_with(page, **fields):
    page = reload(page)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def draft_with(page, **fields):
    page = reload(page)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision()


def test_reordering_parts_bumps_the_series(two_series):
    memories, _, (one, two) = two_series
    before = versions()
    reload(two).move(reload(one), pos="left")
    assert bumped(before) == {memories.pk}


def test_moving_a_part_between_series_bumps_both(two_series):
    memories, other, (one, _) = two_series
    before = versions()
    reload(one).move(reload(other), pos="last-child")
    assert bumped(before) == {memories.pk, other.pk}


def test_series_page_events(two_series):
    memories, _, _ = two_series
    before = versions()
    publish_with(memories, title="Memories (1995)")
    assert bumped(before) == {memories.pk}
    before = versions()
    reload(memories).unpublish()
    assert bumped(before) == {memories.pk}


def test_an_ancestor_change_bumps_the_series_below_it(home):
    section = Page(title="Films", slug="films")
    home.add_child(instance=section)
    inside = make_series(reload(section), "Inside")
    outside = make_series(home, "Outside")
    before = versions()
    publish_with(section, slug="movies")  # every URL below changes
    assert bumped(before) == {inside.pk}
    before = versions()
    restrict(reload(section), PageViewRestriction.LOGIN)
    assert bumped(before) == {inside.pk}
    assert outside.pk not in bumped(before)


def test_group_changes_on_a_restriction_bump_the_series(two_series):
    memories, _, (one, _) = two_series
    restriction = restrict(one, PageViewRestriction.GROUPS)
    before = versions()
    restriction.groups.add(Group.objects.create(name="Club"))
    assert bumped(before) == {memories.pk}


def test_site_changes_bump_every_series(two_series):
    memories, other, _ = two_series
    before = versions()
    site = Site.objects.get(is_default_site=True)
    site.hostname = "films.example"
    site.save()
    assert bumped(before) == {memories.pk, other.pk}


def test_pages_outside_any_series_bump_nothing(home, two_series):
    before = versions()
    lone = Page(title="About", slug="about")
    home.add_child(instance=lone)
    lone.save_revision().publish()
    assert bumped(before) == set()


# --- What an editor's publish costs -----------------------------------------------------------

# One admin publish of a part saves its row three times (a draft, the revision, the publish):
# each bumps the series' version (one upsert each). The last one, the row going live, records
# the change as one to propagate. page_published, sent once the publish is committed, bumps
# nothing more: the publish's own row save did (in the same request).
VERSION_STATEMENTS_PER_PUBLISH = 3


def admin_publish(client, part) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.propagation.test_editor_actions import edit_form, edit_url

    with CaptureQueriesContext(connection) as queries:
        response = client.post(edit_url(part), edit_form(part, "publish"))
    assert response.status_code == 302
    assert reload(part).live
    return [query["sql"] for query in queries.captured_queries]


def test_an_editors_publish_costs_the_same_queries_at_3_and_300_parts(
    home, admin_client, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_SERIES = {"WEBHOOKS": [{"url": "http://127.0.0.1:9/", "secret": "s"}]}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    statements = {}
    for count in (2, 3, 300):  # the first warms the process's caches (content types, session)
        series = make_series(home, f"Series of {count}")
        for number in range(count - 1):
            add_part(series, f"Part {number}", state="live")
        finale = add_part(series, "Finale", state="draft")
        with django_capture_on_commit_callbacks(execute=True):
            statements[count] = admin_publish(admin_client, finale)
    assert len(statements[3]) == len(statements[300])
    versions = [sql for sql in statements[300] if '"wagtail_series_seriesversion"' in sql]
    assert len(versions) == VERSION_STATEMENTS_PER_PUBLISH, "\n".join(versions)
    # The listing date: one UPDATE reading the published part, none recomputing the rule.
    (listing,) = [sql for sql in statements[300] if 'SET "latest_public_part_published_at"' in sql]
    assert "ORDER BY" not in listing
    assert not [sql for sql in statements[300] if '"_latest"' in sql]
