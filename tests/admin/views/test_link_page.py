"""The Series area's "Link an existing page" action (wagtail_series.admin.views.parts.LinkPageView)
and the target rule it shares with ``LinkedPart.clean()``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from tests.conftest import Page, add_part, make_series, reload
from tests.series_admin_helpers import (
    SCRIPT_ESCAPED,
    SCRIPT_TITLE,
    assert_permission_denied,
    make_editor,
    messages_of,
    series_index_url,
)
from tests.support import purged  # noqa: F401 (fixture)
from tests.test_webhooks import site_root  # noqa: F401 (fixture)
from wagtail_series import reader
from wagtail_series.models import LinkedPart

pytestmark = pytest.mark.django_db


def link_url(series) -> str:
    return reverse("wagtail_series_admin:link_page", args=[series.pk])


def make_article(parent, title: str = "Elsewhere", *, live: bool = True, slug: str = "") -> Page:
    page = Page(title=title, slug=slug or title.lower().replace(" ", "-"), live=False)
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return reload(page)


@pytest.fixture
def series(home):
    series = make_series(home, "Memories")
    add_part(series, "Magnetic Rose")
    return reload(series)


@pytest.fixture
def article(home):
    return make_article(home)


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="x")


def post(client, series, **data):
    data.setdefault("announce", "on")
    if data.get("target") is not None and not isinstance(data["target"], (int, str)):
        data["target"] = data["target"].pk
    return client.post(link_url(series), {k: v for k, v in data.items() if v is not None})


def test_the_form_offers_a_page_chooser_and_the_announcement(client, admin, series):
    client.force_login(admin)
    response = client.get(link_url(series))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == ["target", "title", "teaser", "expected_date", "announce"]
    assert not form.fields["target"].required and not form.fields["title"].required
    assert type(form.fields["target"].widget).__name__ == "AdminPageChooser"
    assert form.fields["announce"].initial is True
    html = response.content.decode()
    assert 'name="target"' in html and "Link the page" in html


def test_linking_a_live_page_publishes_a_linked_part_at_the_end(client, admin, series, article):
    client.force_login(admin)
    response = post(client, series, target=article)
    assert response.status_code == 302 and response["Location"] == series_index_url()
    link = LinkedPart.objects.get()
    # Published (a revision publish, logged), at the end, titled after its page, owned by the user.
    assert link.live and link.has_unpublished_changes is False
    assert link.get_parent().pk == series.pk and link.title == "Elsewhere"
    assert link.target_id == article.pk and link.owner == admin and link.announce_forthcoming
    actions = set(PageLogEntry.objects.filter(page=link).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.publish"} <= actions
    entries = reader.get_editor_outline(reload(series)).entries
    assert [(e.title, e.state.value, e.position, e.linked) for e in entries] == [
        ("Magnetic Rose", "published", 1, False),
        ("Elsewhere", "published", 2, True),
    ]
    # Readers see the article as Part 2.
    outline = reader.get_series_outline(reload(series), None)
    assert [e.title for e in outline.entries] == ["Magnetic Rose", "Elsewhere"]
    ((level, text),) = messages_of(response)
    assert level == "success" and "Elsewhere" in text and "Memories" in text


def test_a_title_teaser_and_date_are_kept(client, admin, series, home):
    client.force_login(admin)
    draft = make_article(home, "Work in progress", live=False)
    soon = timezone.localdate() + dt.timedelta(days=5)
    response = post(
        client,
        series,
        target=draft,
        title="The next one",
        teaser="Soon.",
        expected_date=soon.isoformat(),
    )
    assert response.status_code == 302
    link = LinkedPart.objects.get()
    assert link.title == "The next one"
    assert (link.forthcoming_teaser, link.expected_date) == ("Soon.", soon)
    entry = reader.get_editor_outline(reload(series)).entries[-1]
    # Its page isn't live: forthcoming, with the announcement.
    assert entry.state.value == "forthcoming" and entry.position == 2
    assert (entry.target_id, entry.target_title, entry.target_live) == (
        draft.pk,
        "Work in progress",
        False,
    )


def test_no_page_makes_a_placeholder_that_needs_a_title(client, admin, series):
    client.force_login(admin)
    response = post(client, series, title="")
    assert response.status_code == 200
    assert "Give the placeholder a title" in str(response.context["form"].errors["title"])
    assert not LinkedPart.objects.exists()
    response = post(client, series, title="To be written", announce="")
    assert response.status_code == 302
    link = LinkedPart.objects.get()
    assert link.live and link.target_id is None and not link.announce_forthcoming
    entry = reader.get_editor_outline(reload(series)).entries[-1]
    assert entry.is_placeholder and entry.state.value == "hidden_draft" and entry.position is None
    ((level, text),) = messages_of(response)
    assert level == "success" and "Placeholder" in text


@pytest.mark.parametrize("which", ["series", "other series", "linked part", "part", "linked"])
def test_the_target_must_not_be_a_series_a_link_or_in_the_series(
    client, admin, home, series, article, which
):
    client.force_login(admin)
    other = make_series(home, "Other")
    existing = LinkedPart(title="Already", target=article, live=False)
    other.add_child(instance=existing)
    existing.save_revision().publish()
    target = {
        "series": series,
        "other series": other,
        "linked part": LinkedPart.objects.get(),
        "part": Page.objects.get(title="Magnetic Rose"),
        "linked": article,
    }[which]
    if which == "linked":
        post(client, series, target=article)  # now linked in Memories too
        assert LinkedPart.objects.count() == 2
    count = LinkedPart.objects.count()
    response = post(client, series, target=target)
    assert response.status_code == 200
    errors = str(response.context["form"].errors["target"])
    expected = {
        "series": "not a series or another linked part",
        "other series": "not a series or another linked part",
        "linked part": "not a series or another linked part",
        "part": "already a part of this series",
        "linked": "already linked in this series",
    }[which]
    assert expected in errors
    assert LinkedPart.objects.count() == count


def test_a_page_linked_in_another_series_can_be_linked_here(client, admin, home, series, article):
    client.force_login(admin)
    other = make_series(home, "Other")
    assert post(client, other, target=article).status_code == 302
    assert post(client, series, target=article).status_code == 302
    assert LinkedPart.objects.count() == 2


def test_the_model_refuses_a_target_already_in_its_series(home, series, article):
    link = LinkedPart(title="First", target=article, live=False)
    series.add_child(instance=link)
    link.full_clean()  # itself doesn't count
    second = LinkedPart(title="Second", target=article, live=False)
    second.path = reload(series).path + "9999"  # as if under the series (not saved)
    second.depth = series.depth + 1
    with pytest.raises(ValidationError) as error:
        second.clean()
    assert "already linked in this series" in str(error.value)
    second.target = Page.objects.get(title="Magnetic Rose")
    with pytest.raises(ValidationError) as error:
        second.clean()
    assert "already a part of this series" in str(error.value)
    second.target = reload(series)
    with pytest.raises(ValidationError) as error:
        second.clean()
    assert "not a series" in str(error.value)


def test_the_page_editor_refuses_a_target_already_in_the_series(client, admin, series, article):
    """Creating a linked part in Wagtail's own editor: the form knows the series (parent)."""
    client.force_login(admin)
    assert post(client, series, target=article).status_code == 302
    url = reverse("wagtailadmin_pages:add", args=["wagtail_series", "linkedpart", series.pk])
    response = client.post(
        url,
        {"title": "Again", "slug": "again", "target": article.pk, "action-publish": "publish"},
    )
    assert response.status_code == 200
    assert "already linked in this series" in response.content.decode()
    assert LinkedPart.objects.count() == 1


# Committed for real, so that the propagation runs as in production: on commit, in the batch.
@pytest.mark.django_db(transaction=True)
def test_one_propagation_batch(client, admin, site_root, purged):  # noqa: F811
    series = make_series(site_root, "Memories")
    add_part(series, "Magnetic Rose")
    article = make_article(site_root)
    purged.clear()
    client.force_login(admin)
    assert post(client, series, target=article).status_code == 302
    assert len(purged) == 1
    assert any(url.endswith("/memories/") for url in purged[0])


def test_editors_need_add_permission_and_publish_to_publish(client, home, series, article):
    other = make_series(home, "Other")
    adder = make_editor("adder", {series: ("add",)})
    publisher = make_editor("publisher", {series: ("add", "publish")})
    changer = make_editor("changer", {series: ("change", "publish")})
    client.force_login(changer)
    assert_permission_denied(client.get(link_url(series)))
    assert_permission_denied(post(client, series, target=article))
    client.force_login(adder)
    assert_permission_denied(post(client, other, target=article))
    response = post(client, series, target=article)
    assert response.status_code == 302
    link = LinkedPart.objects.get()
    # May not publish: saved as a draft, and told so.
    assert not link.live
    level, text = messages_of(response)[-1]
    assert level == "warning" and "draft" in text
    link.delete()
    client.force_login(publisher)
    assert post(client, series, target=article).status_code == 302
    assert LinkedPart.objects.get().live


def test_only_series_can_get_linked_parts(client, admin, home, series):
    client.force_login(admin)
    for page_id in (Page.objects.get(title="Magnetic Rose").pk, home.pk, 999_999):
        url = reverse("wagtail_series_admin:link_page", args=[page_id])
        assert client.get(url).status_code == 404


def test_the_index_and_the_parts_panel_offer_it(client, admin, series):
    client.force_login(admin)
    index = client.get(series_index_url()).content.decode()
    assert link_url(series) in index and "Link an existing page" in index
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[series.pk])).content.decode()
    assert link_url(series) in edit


def test_titles_are_escaped(client, admin, home, series):
    client.force_login(admin)
    article = make_article(home, SCRIPT_TITLE, slug="evil")
    response = post(client, series, target=article)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert SCRIPT_TITLE not in html and SCRIPT_ESCAPED in html


def test_add_forthcoming_part_does_not_offer_the_linked_part_type(client, admin, series):
    client.force_login(admin)
    add = reverse("wagtail_series_admin:add_forthcoming_part", args=[series.pk])
    choices = dict(client.get(add).context["form"].fields["page_type"].choices)
    assert "wagtail_series.linkedpart" not in choices and "wagtail_series.seriespart" in choices
    response = client.post(add, {"title": "x", "page_type": "wagtail_series.linkedpart"})
    assert "page_type" in response.context["form"].errors
