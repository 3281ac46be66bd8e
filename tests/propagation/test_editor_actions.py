"""Every editor action that changes what readers see of a series propagates (issue 12, item 4).

Each test performs the action the way an editor does it: through Wagtail's admin views, logged
in as a superuser, where the admin has a view; through Wagtail's own action classes or
management commands otherwise. Then all three must have happened, once the change committed:

- the series' REST detail (``/api/v2/series/<id>/``) has a new ETag, and a client holding the
  old one gets the full response, not a 304;
- a frontend-cache purge (the recording backend of ``tests.support``) includes the series page;
- a webhook about the series, with the expected event, reached a real HTTP receiver on 127.0.0.1.

The table in docs/caching-and-webhooks.md ("What each editor action sends") lists the same
actions and events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.actions.create_alias import CreatePageAliasAction
from wagtail.models import (
    GroupApprovalTask,
    Locale,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.conftest import Page, add_part, make_series, reload, restrict
from tests.support import Receiver
from tests.test_frontend_cache import go_live_now
from tests.test_webhooks import site_root  # noqa: F401 (fixture: the site, in a transactional test)
from wagtail_series.models import SeriesPage

pytestmark = pytest.mark.django_db

SITE = "http://localhost"  # the default site of tests.conftest


def detail(series: Page) -> str:
    return f"/api/v2/series/{series.pk}/"


@dataclass
class Editor:
    """The demo's pages, an editor logged in to the admin, and the three witnesses."""

    pages: dict[str, Page]
    admin: Client
    reader: Client
    purged: list[set[str]]
    receiver: Receiver
    capture: Any

    @property
    def series(self) -> SeriesPage:
        return self.pages["series"]

    @property
    def other(self) -> SeriesPage:
        return self.pages["other"]

    def post(self, url: str, data: dict | None = None, **extra: Any) -> Any:
        response = self.admin.post(url, data or {}, **extra)
        assert response.status_code in (200, 302), response.content[:3000]
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            # Admin views answer a valid form with a redirect: a 200 page is a form with errors.
            assert b"error-message" not in response.content, response.content[:3000]
        return response

    @contextmanager
    def propagates(self, series: Page, event: str) -> Iterator[None]:
        """The block changes what readers see of ``series``: new ETag, a purge, a webhook."""
        old_etag = self.reader.get(detail(series))["ETag"]
        self.purged.clear()
        self.receiver.received.clear()
        with self.capture(execute=True):
            yield
        response = self.reader.get(detail(series), HTTP_IF_NONE_MATCH=old_etag)
        assert response.status_code == 200, response.status_code
        assert response["ETag"] != old_etag
        purged_urls = set().union(*self.purged)
        assert f"{SITE}{detail(series)}" in purged_urls, purged_urls
        about_series = [
            r.json for r in self.receiver.received if r.json["series"]["id"] == series.pk
        ]
        assert event in [payload["event"] for payload in about_series], [
            r.json for r in self.receiver.received
        ]


@pytest.fixture
def editor(
    memories, home, purged, receiver, settings, admin_client, client,
    django_capture_on_commit_callbacks,
) -> Editor:  # fmt: skip
    pages = memories()
    other = make_series(home, "Other")
    pages["other"] = other
    pages["elsewhere"] = add_part(other, "Elsewhere", intro="Far away.")
    pages["aside"] = add_part(other, "Aside", state="draft", forthcoming_teaser="Later.")
    configure(settings, receiver.url)
    return Editor(
        pages=pages,
        admin=admin_client,
        reader=client,
        purged=purged,
        receiver=receiver,
        capture=django_capture_on_commit_callbacks,
    )


def configure(settings: Any, url: str) -> None:
    settings.WAGTAIL_SERIES = {
        "WEBHOOKS": [{"url": url, "secret": "s3cret"}],
        # Small, so a failure would be quick; no timing is asserted.
        "WEBHOOK_TIMEOUT": 2,
        "WEBHOOK_BACKOFF": 0.01,
        "WEBHOOK_MAX_ATTEMPTS": 1,
    }


def edit_form(page: Page, action: str | None = None, **changes: Any) -> dict:
    """The part's admin edit form as the editor submits it, with ``changes``."""
    page = reload(page)
    values = {
        "title": page.title,
        "slug": page.slug,
        "intro": page.intro,
        "body": streamfield([]),
        "announce_forthcoming": page.announce_forthcoming,
        "forthcoming_title": page.forthcoming_title,
        "forthcoming_teaser": page.forthcoming_teaser,
        "expected_date": page.expected_date.isoformat() if page.expected_date else "",
        "go_live_at": "",
        "expire_at": "",
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        # The parts here are announcements with no content: publishing them takes the
        # confirmation (tests/admin/test_empty_parts.py tests it; here it is about propagation).
        "publish_empty": "on",
        **changes,
    }
    if not values["announce_forthcoming"]:
        del values["announce_forthcoming"]  # an unchecked checkbox isn't sent
    if action:
        values[f"action-{action}"] = action
    return nested_form_data(values)


def edit_url(page: Page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def future(days: int = 3) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(second=0, microsecond=0)


# --- Publishing and scheduling --------------------------------------------------------------


def test_publish(editor):
    stink = editor.pages["stink"]
    with editor.propagates(editor.series, "published"):
        editor.post(edit_url(stink), edit_form(stink, "publish"))
    assert reload(stink).live


def test_schedule(editor):
    stink = editor.pages["stink"]
    when = future()
    with editor.propagates(editor.series, "scheduled"):
        editor.post(
            edit_url(stink), edit_form(stink, "publish", go_live_at=when.strftime("%Y-%m-%d %H:%M"))
        )
    stink = reload(stink)
    assert not stink.live and stink.scheduled_revision is not None
    series = editor.reader.get(detail(editor.series)).json()
    expected = {p["id"]: p for p in series["parts"]}[stink.pk]["expected_date"]
    assert expected == when.date().isoformat()


def test_cancel_a_scheduled_publish(editor):
    """The admin's "Cancel scheduled publish" only saves the revision: the expected date falls
    back to the part's own, and readers must hear of it."""
    stink = editor.pages["stink"]
    editor.post(
        edit_url(stink),
        edit_form(stink, "publish", go_live_at=future(10).strftime("%Y-%m-%d %H:%M")),
    )
    revision = reload(stink).scheduled_revision
    assert revision is not None
    with editor.propagates(editor.series, "unscheduled"):
        editor.post(f"/admin/pages/{stink.pk}/revisions/{revision.pk}/unschedule/")
    assert reload(stink).scheduled_revision is None
    series = editor.reader.get(detail(editor.series)).json()
    # Back to the expected date the editor set on the part.
    assert {p["id"]: p for p in series["parts"]}[stink.pk]["expected_date"] == "2027-01-15"


def test_publish_scheduled_makes_a_scheduled_part_live(editor):
    stink = editor.pages["stink"]
    editor.post(
        edit_url(stink), edit_form(stink, "publish", go_live_at=future().strftime("%Y-%m-%d %H:%M"))
    )
    go_live_now(stink)
    with editor.propagates(editor.series, "published"):
        call_command("publish_scheduled", stdout=StringIO())
    assert reload(stink).live


def test_unpublish(editor):
    rose = editor.pages["rose"]
    with editor.propagates(editor.series, "unpublished"):
        editor.post(f"/admin/pages/{rose.pk}/unpublish/")
    assert not reload(rose).live


def test_expire(editor):
    rose = editor.pages["rose"]
    Page.objects.filter(pk=rose.pk).update(expire_at=timezone.now() - dt.timedelta(minutes=1))
    with editor.propagates(editor.series, "unpublished"):
        call_command("publish_scheduled", stdout=StringIO())
    assert reload(rose).expired


@pytest.mark.parametrize("name", ["rose", "stink"], ids=["live-part", "announced-draft"])
def test_delete(editor, name):
    part = editor.pages[name]
    with editor.propagates(editor.series, "deleted"):
        editor.post(f"/admin/pages/{part.pk}/delete/")
    assert not Page.objects.filter(pk=part.pk).exists()


# --- The tree ------------------------------------------------------------------------------


def test_move_a_part_to_another_series(editor):
    rose = editor.pages["rose"]
    with editor.propagates(editor.series, "moved"):
        editor.post(f"/admin/pages/{rose.pk}/move/{editor.other.pk}/confirm/")
    assert reload(rose).get_parent().pk == editor.other.pk
    # And the series it joined.
    assert editor.reader.get(detail(editor.other)).json()["parts"][-1]["id"] == rose.pk


def test_move_into_a_series_from_another(editor):
    elsewhere = editor.pages["elsewhere"]
    with editor.propagates(editor.series, "moved"):
        editor.post(f"/admin/pages/{elsewhere.pk}/move/{editor.series.pk}/confirm/")


def test_reorder_parts_in_the_explorer(editor):
    cannon = editor.pages["cannon"]
    with editor.propagates(editor.series, "moved"):
        editor.post(f"/admin/pages/{cannon.pk}/set_position/?position=0")
    assert reload(editor.series).get_children().first().pk == cannon.pk


@pytest.mark.parametrize(
    ("keep_live", "event"), [(True, "published"), (False, "updated")], ids=["keep-live", "draft"]
)
def test_copy_a_part_into_a_series(editor, keep_live, event):
    """A live copy is a new part; a draft copy of an announced part is a new announcement."""
    elsewhere = reload(editor.pages["elsewhere"])
    form = {"new_title": "Elsewhere again", "new_slug": "elsewhere-again"}
    form["new_parent_page"] = editor.series.pk
    if keep_live:
        form["publish_copies"] = "on"
    with editor.propagates(editor.series, event):
        editor.post(f"/admin/pages/{elsewhere.pk}/copy/", form)
    copy = Page.objects.get(slug="elsewhere-again")
    assert copy.live is keep_live


def test_alias_a_part_into_a_series(editor):
    """An alias of a live page is live at once: a new part readers see."""
    elsewhere = reload(editor.pages["elsewhere"])
    form = {"new_title": "Elsewhere", "new_slug": "elsewhere-alias", "alias": "on"}
    form["new_parent_page"] = editor.series.pk
    with editor.propagates(editor.series, "published"):
        editor.post(f"/admin/pages/{elsewhere.pk}/copy/", form)
    alias = Page.objects.get(slug="elsewhere-alias")
    assert alias.live and alias.alias_of_id == elsewhere.pk


def test_alias_through_wagtails_action_class(editor):
    elsewhere = reload(editor.pages["elsewhere"])
    with editor.propagates(editor.series, "published"):
        CreatePageAliasAction(
            elsewhere, parent=reload(editor.series), update_slug="elsewhere-alias"
        ).execute()


def test_publishing_the_source_syncs_the_alias(editor):
    """Wagtail republishes every alias when its source is published."""
    elsewhere = reload(editor.pages["elsewhere"])
    elsewhere.create_alias(parent=reload(editor.series), update_slug="elsewhere-alias")
    with editor.propagates(editor.series, "published"):
        editor.post(edit_url(elsewhere), edit_form(elsewhere, "publish", title="Far elsewhere"))
    alias = Page.objects.get(slug="elsewhere-alias")
    assert alias.title == "Far elsewhere"


def test_translation_alias_syncs(editor, settings):
    """With Wagtail's i18n on, copy_for_translation(alias=True) makes a live alias in another
    locale (what wagtail.contrib.simple_translation does with "sync"; the test settings install
    neither); publishing the source republishes it."""
    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("fr", "French")]
    cache.clear()  # Wagtail's site root paths, cached without the translations
    french = Locale.objects.create(language_code="fr")
    series = reload(editor.series)
    with editor.capture(execute=True):
        CopyPageForTranslationAction(series, french, alias=True, copy_parents=True).execute()
    french_series = SeriesPage.objects.get(locale=french, translation_key=series.translation_key)
    rose = reload(editor.pages["rose"])
    with editor.propagates(french_series, "published"):
        CopyPageForTranslationAction(rose, french, alias=True).execute()
    with editor.propagates(french_series, "published"):
        editor.post(edit_url(rose), edit_form(rose, "publish", title="Magnetic Rose (1995)"))
    french_rose = Page.objects.get(locale=french, translation_key=rose.translation_key)
    assert french_rose.title == "Magnetic Rose (1995)"


# --- Content ------------------------------------------------------------------------------


def test_retitle_a_live_part(editor):
    rose = editor.pages["rose"]
    with editor.propagates(editor.series, "published"):
        editor.post(edit_url(rose), edit_form(rose, "publish", title="Magnetic Rose (1995)"))
    parts = editor.reader.get(detail(editor.series)).json()["parts"]
    assert parts[0]["title"] == "Magnetic Rose (1995)"


@pytest.mark.django_db(transaction=True)
def test_rename_a_live_part(
    site_root,  # noqa: F811 (the fixture imported above)
    purged,
    receiver,
    settings,
    client,
    django_user_model,
):
    """A new slug is a publish and a move in one request: the webhook names the publish, and the
    old URL is purged too. Transactional: Wagtail reports the slug change once it is committed,
    inside the request, as in production."""
    configure(settings, receiver.url)
    series = make_series(site_root, "Memories")
    rose = add_part(series, "Magnetic Rose")
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("editor", password="x"))
    editor = Editor(
        pages={"series": series},
        admin=admin,
        reader=client,
        purged=purged,
        receiver=receiver,
        capture=_committed_already,
    )
    with editor.propagates(series, "published"):
        editor.post(edit_url(rose), edit_form(rose, "publish", slug="the-rose"))
    assert f"{SITE}/memories/magnetic-rose/" in set().union(*purged)


@contextmanager
def _committed_already(execute: bool) -> Iterator[None]:
    """What ``django_capture_on_commit_callbacks`` is for a transactional test: nothing to do."""
    yield


def test_retitle_the_series(editor):
    series = reload(editor.series)
    form = nested_form_data(
        {
            "title": "Memories (1995)",
            "slug": series.slug,
            "description": rich_text(series.description),
            "status": series.status,
            "part_label": series.part_label,
            "tags": "",
            "comments-TOTAL_FORMS": 0,
            "comments-INITIAL_FORMS": 0,
            "action-publish": "publish",
        }
    )
    with editor.propagates(series, "published"):
        editor.post(edit_url(series), form)
    assert editor.reader.get(detail(series)).json()["title"] == "Memories (1995)"


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Stink Bomb!"},
        {"forthcoming_title": "A bomb"},
        {"forthcoming_teaser": "Sneezes."},
        {"expected_date": "2027-03-01"},
        {"announce_forthcoming": False},
    ],
    ids=["title", "forthcoming-title", "teaser", "expected-date", "announce-off"],
)
def test_save_a_draft_of_a_forthcoming_part(editor, changes):
    stink = editor.pages["stink"]
    with editor.propagates(editor.series, "updated"):
        editor.post(edit_url(stink), edit_form(stink, **changes))  # "Save draft"
    assert not reload(stink).live


def test_announce_a_draft(editor):
    aside = editor.pages["aside"]
    reload(aside).__class__.objects.filter(pk=aside.pk).update(announce_forthcoming=False)
    with editor.propagates(editor.other, "updated"):
        editor.post(edit_url(aside), edit_form(aside, announce_forthcoming=True))


def test_add_a_forthcoming_part_from_the_series_admin(editor):
    with editor.propagates(editor.series, "updated"):
        editor.post(
            f"/admin/series/{editor.series.pk}/add-forthcoming-part/",
            {
                "title": "The Order to Stop Construction",
                "teaser": "Robots.",
                "expected_date": "",
                "page_type": "wagtail_series.seriespart",
            },
        )


# --- Privacy ----------------------------------------------------------------------------------


def privacy(kind: str, **fields: Any) -> dict:
    return {"restriction_type": kind, "password": "", **fields}


def restriction_form(kind: str) -> dict:
    if kind == "password":
        return privacy(kind, password="letmein")
    if kind == "groups":
        return privacy(kind, groups=[Group.objects.get_or_create(name="Club")[0].pk])
    return privacy(kind)


@pytest.mark.parametrize("kind", ["login", "password", "groups"])
def test_add_a_view_restriction_to_a_part(editor, kind):
    rose = editor.pages["rose"]
    with editor.propagates(editor.series, "restriction"):
        editor.post(f"/admin/pages/{rose.pk}/privacy/", restriction_form(kind))
    assert PageViewRestriction.objects.filter(page=rose).exists()


@pytest.mark.parametrize("kind", ["login", "password", "groups"])
def test_add_a_view_restriction_to_a_series(editor, kind):
    series = editor.series
    with _restricts(editor, series):
        editor.post(f"/admin/pages/{series.pk}/privacy/", restriction_form(kind))


@contextmanager
def _restricts(editor: Editor, series: Page) -> Iterator[None]:
    """A series going private: the detail becomes a 404 (so no ETag to compare), and the purge
    and the webhook still go out, about the series."""
    assert editor.reader.get(detail(series)).status_code == 200
    editor.purged.clear()
    editor.receiver.received.clear()
    with editor.capture(execute=True):
        yield
    assert editor.reader.get(detail(series)).status_code == 404
    assert any(url.endswith(detail(series)) for url in set().union(*editor.purged))
    events = [
        r.json["event"] for r in editor.receiver.received if r.json["series"]["id"] == series.pk
    ]
    assert "restriction" in events


def test_remove_a_view_restriction(editor):
    rose = editor.pages["rose"]
    restrict(rose, PageViewRestriction.LOGIN)
    with editor.propagates(editor.series, "restriction"):
        editor.post(f"/admin/pages/{rose.pk}/privacy/", privacy("none"))
    assert not PageViewRestriction.objects.filter(page=rose).exists()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda club, crew: privacy("groups", groups=[club.pk, crew.pk]), id="add-group"
        ),
        pytest.param(lambda club, crew: privacy("groups", groups=[crew.pk]), id="swap-group"),
        pytest.param(lambda club, crew: privacy("password", password="pw"), id="to-password"),
    ],
)
def test_change_a_view_restriction(editor, change):
    rose = editor.pages["rose"]
    club = Group.objects.create(name="Club")
    crew = Group.objects.create(name="Crew")
    restrict(rose, PageViewRestriction.GROUPS, groups=[club])
    with editor.propagates(editor.series, "restriction"):
        editor.post(f"/admin/pages/{rose.pk}/privacy/", change(club, crew))


# --- Workflow -------------------------------------------------------------------------------


def test_publish_through_workflow_approval(editor):
    moderators = Group.objects.create(name="Series moderators")
    task = GroupApprovalTask.objects.create(name="Approve parts")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Parts", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=editor.series)
    stink = editor.pages["stink"]
    editor.post(edit_url(stink), edit_form(stink, "submit"))
    task_state = reload(stink).current_workflow_task_state
    assert task_state is not None
    with editor.propagates(editor.series, "published"):
        editor.post(
            f"/admin/pages/workflow/action/{stink.pk}/approve/{task_state.pk}/", {"comment": ""}
        )
    assert reload(stink).live


# --- Bulk actions from the explorer ----------------------------------------------------------


def bulk_url(action: str, *pages: Page) -> str:
    ids = "&".join(f"id={page.pk}" for page in pages)
    return f"/admin/bulk/{Page._meta.app_label}/{Page._meta.model_name}/{action}/?{ids}"


@pytest.mark.parametrize(
    ("action", "names", "event", "data"),
    [
        ("publish", ["stink", "cannon"], "published", {}),
        ("unpublish", ["rose"], "unpublished", {}),
        ("delete", ["rose", "cannon"], "deleted", {}),
        ("move", ["rose"], "moved", "other"),
    ],
    ids=["publish", "unpublish", "delete", "move"],
)
def test_bulk_action(editor, action, names, event, data):
    pages = [editor.pages[name] for name in names]
    if data == "other":
        data = {"chooser": editor.other.pk}
    with editor.propagates(editor.series, event):
        editor.post(bulk_url(action, *pages), data)
    if action == "publish":
        assert all(reload(page).live for page in pages)
    if action == "delete":
        assert not Page.objects.filter(pk__in=[p.pk for p in pages]).exists()


# --- The checks themselves ------------------------------------------------------------------


def test_the_witnesses_can_fail(editor):
    """A change readers can't see: no new ETag, no purge, no webhook (the checks can fail)."""
    rose = editor.pages["rose"]
    with pytest.raises(AssertionError), editor.propagates(editor.series, "published"):
        reload(rose).save_revision()  # a draft of a live page changes nothing readers see
    assert editor.purged == [] and editor.receiver.received == []


def test_cancelling_a_live_parts_scheduled_revision_changes_nothing_readers_see(editor):
    """Readers see a live part's live content, not its scheduled revision: nothing to send."""
    rose = editor.pages["rose"]
    editor.post(
        edit_url(rose),
        edit_form(rose, "publish", title="Later", go_live_at=future().strftime("%Y-%m-%d %H:%M")),
    )
    revision = reload(rose).scheduled_revision
    assert revision is not None and reload(rose).live
    old_etag = editor.reader.get(detail(editor.series))["ETag"]
    editor.purged.clear()
    editor.receiver.received.clear()
    with editor.capture(execute=True):
        editor.post(f"/admin/pages/{rose.pk}/revisions/{revision.pk}/unschedule/")
    assert reload(rose).scheduled_revision is None
    assert editor.reader.get(detail(editor.series))["ETag"] == old_etag
    assert editor.purged == [] and editor.receiver.received == []
