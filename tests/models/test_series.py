"""SeriesPage: where it fits in the page tree, its admin form, its status and its rendering."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text

from tests.conftest import add_part, make_series, reload, restrict
from tests.models.admin_helpers import (
    IMG,
    IMG_ESCAPED,
    SCRIPT,
    SCRIPT_ESCAPED,
    Page,
    assert_no_raw_markup,
    default_home,
    form_errors,
    json_ld_blocks,
    post_add,
    post_edit,
)
from tests.testapp.models import BlogPage
from wagtail_series.models import LinkedPart, SeriesPage, SeriesPart, SeriesStatus

# --- The page tree and Wagtail's page test assertions ------------------------------------------


class SeriesPageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = default_home()
        cls.series = make_series(
            cls.home,
            "Memories",
            description="<p>An anthology, one short at a time.</p>",
            planned_parts=4,
        )
        add_part(cls.series, "Magnetic Rose")
        add_part(cls.series, "Stink Bomb", state="draft", forthcoming_teaser="Soon.")
        add_part(cls.series, "A blog post part", model=BlogPage)

    def test_series_can_be_created_under_the_home_page(self):
        self.assertCanCreateAt(type(self.home), SeriesPage)
        self.assertTrue(SeriesPage.can_create_at(self.home))

    def test_only_part_types_can_be_created_under_a_series(self):
        self.assertAllowedSubpageTypes(SeriesPage, {SeriesPart, BlogPage, LinkedPart})
        self.assertCanCreateAt(SeriesPage, SeriesPart)
        self.assertCanCreateAt(SeriesPage, BlogPage)  # a host page type using SeriesPartMixin

    def test_non_part_types_cannot_be_created_under_a_series(self):
        self.assertCanNotCreateAt(SeriesPage, SeriesPage)
        self.assertCanNotCreateAt(SeriesPage, Page)
        self.assertFalse(SeriesPage.can_create_at(self.series))

    def test_series_page_is_routable(self):
        self.assertPageIsRoutable(self.series)

    def test_series_page_is_renderable(self):
        self.assertPageIsRenderable(self.series)

    def test_series_page_is_editable(self):
        self.assertPageIsEditable(self.series)

    def test_series_page_is_previewable(self):
        self.assertPageIsPreviewable(self.series)

    def test_series_edit_form_resubmits_as_rendered_and_publishes(self):
        """The edit form, posted back untouched with "Publish", is valid (3 parts, 4 planned)."""
        self.login(self.create_superuser("editor", password="password"))
        response = post_edit(self.client, self.series, {}, publish=True)
        self.assertEqual(form_errors(response), {})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(reload(self.series).planned_parts, 4)


# --- Status ------------------------------------------------------------------------------------


def test_status_choices_and_default(db):
    # A page instance looks up its content type: without the database, the test would pass only
    # when an earlier test had left Django's content type cache warm.
    assert SeriesStatus.choices == [
        ("ongoing", "Ongoing"),
        ("complete", "Complete"),
        ("hiatus", "On hiatus"),
        ("cancelled", "Cancelled"),
    ]
    assert SeriesPage().status == SeriesStatus.ONGOING
    field = SeriesPage._meta.get_field("status")
    assert field.choices == SeriesStatus.choices
    assert field.max_length >= max(len(value) for value in SeriesStatus.values)


@pytest.mark.django_db
def test_status_outside_the_choices_is_invalid(home):
    series = make_series(home, "Memories")
    series.status = "abandoned"
    with pytest.raises(ValidationError) as excinfo:
        series.full_clean()
    assert set(excinfo.value.message_dict) == {"status"}


@pytest.mark.django_db
def test_status_outside_the_choices_is_refused_by_the_admin(home, admin_client):
    series = make_series(home, "Memories")
    response = post_edit(admin_client, series, {"status": "abandoned"}, publish=True)
    assert "status" in form_errors(response)
    assert reload(series).status == SeriesStatus.ONGOING


@pytest.mark.django_db
@pytest.mark.parametrize("status", SeriesStatus)
def test_status_is_rendered(home, client, status):
    series = make_series(home, "Memories", status=status)
    html = client.get(series.url).content.decode()
    assert f'<p class="series__status series__status--{status.value}">{status.label}</p>' in html


@pytest.mark.django_db
def test_status_is_set_through_the_admin(home, admin_client):
    series = make_series(home, "Memories")
    response = post_edit(admin_client, series, {"status": "hiatus"}, publish=True)
    assert response.status_code == 302, form_errors(response)
    assert reload(series).status == SeriesStatus.HIATUS


# --- planned_parts in the admin ----------------------------------------------------------------


@pytest.fixture
def three_parts(home):
    """A live series with three part pages of two types, live, draft and unannounced draft."""
    series = make_series(home, "Memories")
    add_part(series, "Magnetic Rose")
    add_part(series, "Stink Bomb", state="draft")
    add_part(series, "Cannon Fodder", model=BlogPage, state="draft", announce_forthcoming=False)
    return series


def planned_parts_errors(response) -> list[str]:
    return form_errors(response).get("planned_parts", [])


@pytest.mark.django_db
@pytest.mark.parametrize("planned", ["1", "2"])
def test_planned_parts_lower_than_existing_parts_is_refused_on_publish(
    three_parts, admin_client, planned
):
    response = post_edit(admin_client, three_parts, {"planned_parts": planned}, publish=True)
    errors = planned_parts_errors(response)
    assert len(errors) == 1
    # Every part page counts, whatever its type and whether or not it is live or announced.
    assert "already has 3 parts" in errors[0]
    assert "3 or more" in errors[0]
    assert "already has 3 parts" in response.content.decode()
    assert set(form_errors(response)) == {"planned_parts"}
    assert reload(three_parts).planned_parts is None
    assert reload(three_parts).get_latest_revision().content["planned_parts"] is None


@pytest.mark.django_db
def test_planned_parts_lower_than_existing_parts_is_refused_on_save_draft_too(
    three_parts, admin_client
):
    """Wagtail 7+ saves drafts with deferred validation, but that only relaxes *required* fields
    (``defer_required_fields``): the model's ``clean()`` still runs through the form's
    ``full_clean``, so a draft with a planned total below the existing parts is refused too.
    """
    revisions_before = three_parts.revisions.count()
    response = post_edit(admin_client, three_parts, {"planned_parts": "2"})
    errors = planned_parts_errors(response)
    assert len(errors) == 1 and "already has 3 parts" in errors[0]
    assert three_parts.revisions.count() == revisions_before


@pytest.mark.django_db
@pytest.mark.parametrize("planned", ["3", "4", "12", ""])
@pytest.mark.parametrize("publish", [True, False], ids=["publish", "save-draft"])
def test_planned_parts_equal_higher_or_empty_is_accepted(
    three_parts, admin_client, planned, publish
):
    response = post_edit(admin_client, three_parts, {"planned_parts": planned}, publish=publish)
    assert response.status_code == 302, form_errors(response)
    expected = int(planned) if planned else None
    series = reload(three_parts)
    assert series.get_latest_revision().content["planned_parts"] == expected
    # Saving a draft of a live page leaves the live row alone; publishing updates it.
    assert series.planned_parts == (expected if publish else None)


@pytest.mark.django_db
@pytest.mark.parametrize("publish", [True, False], ids=["publish", "save-draft"])
def test_planned_parts_zero_is_refused(three_parts, home, admin_client, publish):
    response = post_edit(admin_client, three_parts, {"planned_parts": "0"}, publish=publish)
    assert planned_parts_errors(response)
    # Also for a new series, which has no parts to compare with.
    response = post_add(
        admin_client,
        SeriesPage,
        home,
        {"title": "New series", "slug": "new-series", "planned_parts": "0"},
        publish=publish,
    )
    assert planned_parts_errors(response)
    assert not SeriesPage.objects.filter(slug="new-series").exists()


@pytest.mark.django_db
def test_planned_parts_negative_is_refused(three_parts, admin_client):
    response = post_edit(admin_client, three_parts, {"planned_parts": "-1"}, publish=True)
    assert planned_parts_errors(response)


@pytest.mark.django_db
def test_a_part_added_beyond_the_planned_total_is_reported_at_the_next_edit(home, admin_client):
    series = make_series(home, "Memories", planned_parts=2)
    add_part(series, "One")
    add_part(series, "Two")
    add_part(series, "Three")  # parts can be added beyond the plan...
    # ...and then editing the series asks the editor to correct the plan.
    response = post_edit(admin_client, series, {"title": "Memories!"}, publish=True)
    assert "already has 3 parts" in planned_parts_errors(response)[0]
    response = post_edit(
        admin_client, series, {"title": "Memories!", "planned_parts": ""}, publish=True
    )
    assert response.status_code == 302, form_errors(response)


@pytest.mark.django_db
def test_scheduled_series_change_goes_live_after_a_part_was_added_beyond_the_plan(
    home, admin_client
):
    """The plan is checked when the editor schedules the change; adding a part afterwards
    (which nothing forbids) must not make the scheduled revision unpublishable.

    ``publish_scheduled`` runs unattended and publishes every due page in one loop: an exception
    there leaves this change unpublished and stops the pages scheduled after it.
    """
    series = make_series(home, "Memories", planned_parts=2)
    add_part(series, "One")
    add_part(series, "Two")
    go_live_at = timezone.now() + dt.timedelta(hours=1)
    response = post_edit(
        admin_client,
        series,
        {"title": "Memories (revised)", "go_live_at": go_live_at.strftime("%Y-%m-%d %H:%M")},
        publish=True,
    )
    assert response.status_code == 302, form_errors(response)
    assert reload(series).get_latest_revision().approved_go_live_at is not None
    add_part(reload(series), "Three")

    with mock.patch("django.utils.timezone.now", return_value=go_live_at + dt.timedelta(hours=1)):
        call_command("publish_scheduled")

    assert reload(series).title == "Memories (revised)"


@pytest.mark.django_db
def test_bulk_publishing_a_series_draft_after_a_part_was_added_beyond_the_plan(home, admin_client):
    """A draft saved while valid, published later from the page listing's bulk actions."""
    series = make_series(home, "Memories", planned_parts=2)
    add_part(series, "One")
    add_part(series, "Two")
    response = post_edit(admin_client, series, {"title": "Memories (revised)"})
    assert response.status_code == 302, form_errors(response)
    add_part(reload(series), "Three")

    url = reverse(
        "wagtail_bulk_action", args=[Page._meta.app_label, Page._meta.model_name, "publish"]
    )
    url = f"{url}?id={series.pk}"
    assert admin_client.get(url).status_code == 200
    admin_client.raise_request_exception = False
    response = admin_client.post(url, {"include_descendants": ""})
    assert response.status_code == 302
    assert reload(series).title == "Memories (revised)"


@pytest.mark.django_db
def test_part_label_cleared_in_a_draft_cannot_go_live(three_parts, admin_client):
    """Wagtail 7+ saves drafts with deferred validation: a required text field such as
    ``part_label`` may be empty in a draft. Publishing from the form refuses it, and Wagtail's
    own ``Page.save()`` (which runs ``full_clean``) stops it from going live any other way."""
    response = post_edit(admin_client, three_parts, {"part_label": ""})
    assert response.status_code == 302, form_errors(response)
    assert reload(three_parts).get_latest_revision().content["part_label"] == ""
    response = post_edit(admin_client, three_parts, {"part_label": ""}, publish=True)
    assert "part_label" in form_errors(response)
    with pytest.raises(ValidationError):
        reload(three_parts).get_latest_revision().publish()
    assert reload(three_parts).part_label == "Part"


@pytest.mark.django_db
def test_a_new_series_is_created_through_the_admin(home, admin_client):
    response = post_add(
        admin_client,
        SeriesPage,
        home,
        {
            "title": "Memories",
            "slug": "memories",
            "description": rich_text("<p>An anthology.</p>"),
            "status": "complete",
            "part_label": "Episode",
            "planned_parts": "3",
        },
        publish=True,
    )
    assert response.status_code == 302, form_errors(response)
    series = SeriesPage.objects.get(slug="memories")
    assert series.live
    assert (series.status, series.part_label, series.planned_parts) == ("complete", "Episode", 3)
    assert "An anthology.</p>" in series.description  # Draftail adds a data-block-key
    assert series.get_parent().pk == home.pk


@pytest.mark.django_db
@pytest.mark.parametrize("publish", [True, False], ids=["publish", "save-draft"])
def test_a_series_without_a_title_is_refused(home, admin_client, publish):
    response = post_add(
        admin_client,
        SeriesPage,
        home,
        {"title": "", "slug": "untitled"},
        publish=publish,
    )
    assert "title" in form_errors(response)
    assert not SeriesPage.objects.filter(slug="untitled").exists()


# --- Rendering: part labels and escaping -------------------------------------------------------


@pytest.mark.django_db
def test_series_page_lists_parts_with_the_part_label(home, client):
    series = make_series(home, "Memories", part_label="Chapter", planned_parts=5)
    add_part(series, "Magnetic Rose")
    add_part(series, "Stink Bomb", state="draft", expected_date=dt.date(2027, 1, 15))
    html = client.get(series.url).content.decode()
    assert '<span class="series-toc__label">Chapter 1:</span>' in html
    assert '<span class="series-toc__label">Chapter 2:</span>' in html
    assert "Part 1" not in html
    assert "5 parts planned" in html


@pytest.mark.django_db
def test_markup_in_titles_and_teasers_is_escaped_on_the_series_page(home, client):
    series = make_series(home, f"Memories {SCRIPT}", slug="memories")
    add_part(series, f"Rose {IMG}", slug="rose")
    add_part(series, f"Cannon {SCRIPT}", slug="cannon")
    add_part(
        series,
        "Stink",
        slug="stink",
        state="draft",
        forthcoming_title=f"Stink {IMG}",
        forthcoming_teaser=f"Teaser {SCRIPT} and {IMG}",
    )
    response = client.get(series.url)
    assert response.status_code == 200
    html = response.content.decode()

    assert_no_raw_markup(html)
    assert f"<title>Memories {SCRIPT_ESCAPED}</title>" in html
    assert f"<h1>Memories {SCRIPT_ESCAPED}</h1>" in html
    assert f"Rose {IMG_ESCAPED}</a>" in html
    assert f"Cannon {SCRIPT_ESCAPED}</a>" in html
    assert f'<span class="series-toc__title">Stink {IMG_ESCAPED}</span>' in html
    assert f"Teaser {SCRIPT_ESCAPED} and {IMG_ESCAPED}</p>" in html

    [data] = json_ld_blocks(html)
    assert data["@type"] == "CreativeWorkSeries"
    assert data["name"] == f"Memories {SCRIPT}"
    assert [part["name"] for part in data["hasPart"]] == [f"Rose {IMG}", f"Cannon {SCRIPT}"]


def test_count_part_pages_counts_every_part_live_or_not(home):
    series = make_series(home, "Counted")
    add_part(series, "One")
    add_part(series, "Blog", state="live", model=BlogPage)
    add_part(series, "Draft", state="draft", announce_forthcoming=False)
    restrict(add_part(series, "Private"), PageViewRestriction.LOGIN)
    reload(series).add_child(instance=Page(title="Not a part", slug="not-a-part"))
    assert reload(series).count_part_pages() == 4
    assert make_series(home, "Empty").count_part_pages() == 0
