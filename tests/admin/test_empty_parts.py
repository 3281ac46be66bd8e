"""No empty part goes live silently: publishing or scheduling a part with no content yet through
the real admin edit view (SeriesPartForm, EMPTY_PART_PUBLISH); "no content yet" in the panels."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.conftest import add_part, make_series, reload
from tests.models.admin_helpers import edit_form_data, edit_url, form_errors
from tests.testapp.models import BlogPage
from wagtail_series.models import SeriesPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


@pytest.fixture
def series(home):
    series = make_series(home, "Memories")
    add_part(series, "Magnetic Rose", intro="A derelict station.")
    add_part(series, "Stink Bomb", state="draft", forthcoming_teaser="A cold remedy.")
    return reload(series)


def part(series, title):
    return reload(SeriesPart.objects.child_of(series).get(title=title))


def publish(client, page, **changes):
    """Press "Publish" on the page's edit form, as rendered, with ``changes``."""
    return client.post(edit_url(page), edit_form_data(client, page, changes, publish=True))


def confirmation(response):
    node = BeautifulSoup(response.content, "html.parser").select_one("[data-series-part-publish]")
    return None if node is None else " ".join(node.get_text(" ").split())


def test_publishing_an_empty_part_asks_for_a_confirmation(admin_client, series):
    stink = part(series, "Stink Bomb")
    response = publish(admin_client, stink)
    errors = form_errors(response)
    assert list(errors) == ["publish_empty"]
    assert errors["publish_empty"][0].startswith("This part has no content yet")
    assert "readers will find an empty page" in confirmation(response)
    assert "Publish without content" in confirmation(response)
    assert not reload(stink).live


def test_the_confirmation_publishes_it(admin_client, series):
    stink = part(series, "Stink Bomb")
    response = publish(admin_client, stink, publish_empty="on")
    assert form_errors(response) == {}
    assert reload(stink).live


def test_a_part_with_content_publishes_without_a_word(admin_client, series):
    stink = part(series, "Stink Bomb")
    assert form_errors(publish(admin_client, stink, intro="Sneezes.")) == {}
    assert reload(stink).live
    rose = part(series, "Magnetic Rose")
    assert form_errors(publish(admin_client, rose, title="Magnetic Rose!")) == {}


def test_a_body_counts_as_content(admin_client, series):
    stink = part(series, "Stink Bomb")
    stink.body = [("paragraph", "<p>Sneezes.</p>")]
    stink.save()  # as the editor's "Save draft" does for a page that isn't live
    stink.save_revision()
    # The panels read the draft's body too.
    soup = BeautifulSoup(admin_client.get(edit_url(series)).content, "html.parser")
    assert soup.select("[data-series-contents] [data-series-no-content]") == []
    assert form_errors(publish(admin_client, stink)) == {}
    assert reload(stink).live


def test_spaces_are_no_content(admin_client, series):
    stink = part(series, "Stink Bomb")
    assert list(form_errors(publish(admin_client, stink, intro="   "))) == ["publish_empty"]


def test_scheduling_an_empty_part_asks_too(admin_client, series):
    stink = part(series, "Stink Bomb")
    go_live = (timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    response = publish(admin_client, stink, go_live_at=go_live)
    errors = form_errors(response)
    assert "schedule it again" in errors["publish_empty"][0]
    stink = reload(stink)
    assert not stink.live
    assert not stink.revisions.filter(approved_go_live_at__isnull=False).exists()
    response = publish(admin_client, stink, go_live_at=go_live, publish_empty="on")
    assert form_errors(response) == {}
    assert stink.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_saving_a_draft_never_asks(admin_client, series):
    stink = part(series, "Stink Bomb")
    data = edit_form_data(admin_client, stink, {"title": "Stink Bomb!"}, publish=False)
    response = admin_client.post(edit_url(stink), data)
    assert form_errors(response) == {}
    assert reload(stink).get_latest_revision_as_object().title == "Stink Bomb!"
    assert confirmation(admin_client.get(edit_url(stink))) is None


def test_error_mode_refuses_it(admin_client, series, settings):
    settings.WAGTAIL_SERIES = {"EMPTY_PART_PUBLISH": "error"}
    stink = part(series, "Stink Bomb")
    response = publish(admin_client, stink, publish_empty="on")
    errors = form_errors(response)
    assert errors["publish_empty"] == [
        "This part has no content yet: add its content before publishing it."
    ]
    # Nothing to tick: only the error shows.
    assert "Publish without content" not in confirmation(response)
    assert not reload(stink).live


def test_allow_mode_lets_it_through(admin_client, series, settings):
    settings.WAGTAIL_SERIES = {"EMPTY_PART_PUBLISH": "allow"}
    stink = part(series, "Stink Bomb")
    assert form_errors(publish(admin_client, stink)) == {}
    assert reload(stink).live


def test_a_part_type_that_cant_tell_always_has_content(admin_client, series):
    blog = add_part(series, "A blog post", state="draft", model=BlogPage)
    assert reload(blog).has_content()
    response = admin_client.post(edit_url(blog), edit_form_data(admin_client, blog, publish=True))
    assert form_errors(response) == {}
    assert reload(blog).live


def test_has_content():
    assert not SeriesPart(title="x").has_content()
    assert not SeriesPart(title="x", intro=" \n").has_content()
    assert SeriesPart(title="x", intro="Hello").has_content()
    assert SeriesPart(title="x", body=[("heading", "Hi")]).has_content()


def test_panels_say_no_content_yet(admin_client, series):
    soup = BeautifulSoup(admin_client.get(edit_url(series)).content, "html.parser")
    rows = soup.select("[data-series-contents] tbody tr")
    empty = [bool(row.select_one("[data-series-no-content]")) for row in rows]
    assert empty == [False, True]
    assert "no content yet" in rows[1].get_text()
    for title, shown in (("Stink Bomb", True), ("Magnetic Rose", False)):
        page = part(series, title)
        soup = BeautifulSoup(admin_client.get(edit_url(page)).content, "html.parser")
        context = soup.select_one("[data-series-part-context]")
        assert bool(context.select_one("[data-series-no-content]")) is shown
