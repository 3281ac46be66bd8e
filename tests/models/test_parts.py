"""Series parts (SeriesPart and host page types using SeriesPartMixin): where they fit in the page
tree, creating them in the admin, and how a part page renders its place in the series."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase, WagtailTestUtils
from wagtail.test.utils.form_data import rich_text, streamfield

from tests.conftest import add_part, make_series, reload, rich_text_paragraph
from tests.models.admin_helpers import (
    IMG,
    IMG_ESCAPED,
    SCRIPT,
    SCRIPT_ESCAPED,
    Page,
    assert_no_raw_markup,
    default_home,
    edit_form_data,
    edit_url,
    form_errors,
    json_ld_blocks,
    post_add,
    post_edit,
)
from tests.testapp.models import BlogPage
from wagtail_series.models import (
    LinkedPart,
    SeriesPage,
    SeriesPart,
    SeriesPartMixin,
    get_part_models,
)


def text_of(html: str, css_class: str) -> str:
    """The whitespace-normalised text of the first element with ``css_class``."""
    element = WagtailTestUtils.get_soup(html).find(class_=css_class)
    assert element is not None, f"no .{css_class} in the page"
    return re.sub(r"\s+", " ", element.get_text()).strip()


# --- The page tree and Wagtail's page test assertions ------------------------------------------


class SeriesPartTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = default_home()
        cls.series = make_series(cls.home, "Memories")
        cls.rose = add_part(
            cls.series,
            "Magnetic Rose",
            intro="A salvage crew answers a distress call.",
            body=rich_text_paragraph("<p>A paragraph in the body.</p>"),
        )
        cls.blog = add_part(
            cls.series, "A blog post part", model=BlogPage, summary="Summary", body="<p>Hi</p>"
        )
        cls.stink = add_part(
            cls.series, "Stink Bomb", state="draft", forthcoming_teaser="A cold remedy."
        )

    def test_part_models(self):
        self.assertEqual(set(get_part_models()), {SeriesPart, BlogPage, LinkedPart})
        self.assertTrue(issubclass(BlogPage, SeriesPartMixin))

    def test_series_part_can_only_be_created_under_a_series(self):
        self.assertAllowedParentPageTypes(SeriesPart, {SeriesPage})
        self.assertCanCreateAt(SeriesPage, SeriesPart)
        self.assertTrue(SeriesPart.can_create_at(self.series))

    def test_series_part_cannot_be_created_elsewhere(self):
        self.assertCanNotCreateAt(type(self.home), SeriesPart)
        self.assertCanNotCreateAt(SeriesPart, SeriesPart)
        self.assertCanNotCreateAt(BlogPage, SeriesPart)
        self.assertFalse(SeriesPart.can_create_at(self.home))
        self.assertFalse(SeriesPart.can_create_at(self.rose))

    def test_series_part_has_no_subpages(self):
        self.assertAllowedSubpageTypes(SeriesPart, set())

    def test_host_page_type_using_the_mixin_can_be_created_under_a_series(self):
        self.assertCanCreateAt(SeriesPage, BlogPage)
        # The mixin doesn't restrict where the host type lives: it is a part only under a series.
        self.assertIn(SeriesPage, BlogPage.allowed_parent_page_models())
        self.assertCanCreateAt(type(self.home), BlogPage)

    def test_parts_are_routable(self):
        self.assertPageIsRoutable(self.rose)
        self.assertPageIsRoutable(self.blog)

    def test_parts_are_renderable(self):
        self.assertPageIsRenderable(self.rose)
        self.assertPageIsRenderable(self.blog)

    def test_forthcoming_part_is_not_served(self):
        self.assertPageIsRenderable(self.stink, accept_404=True)
        # Its URL shows its announcement (FORTHCOMING_PART_PAGE), not the page.
        response = self.client.get("/memories/stink-bomb/")
        self.assertEqual(response["X-Robots-Tag"], "noindex")
        with self.settings(WAGTAIL_SERIES={"FORTHCOMING_PART_PAGE": False}):
            with self.assertRaises(AssertionError):
                self.assertPageIsRoutable(self.stink)
            self.assertEqual(self.client.get("/memories/stink-bomb/").status_code, 404)

    def login_editor(self):
        User = get_user_model()
        editor = User.objects.filter(username="editor").first()
        editor = editor or self.create_superuser("editor", password="password")
        return self.login(editor)

    def test_parts_are_editable(self):
        # Wagtail's assertion extracts the POST data from the edit form's HTML, where a StreamField
        # has no inputs (the admin builds it with JavaScript): SeriesPart.body must be given.
        for part in (self.rose, self.stink):
            with self.subTest(part=part.title):
                editor = self.login_editor()  # the assertion logs out when done
                data = edit_form_data(self.client, part)
                self.assertPageIsEditable(part, post_data=data, user=editor)
        self.assertPageIsEditable(self.blog)  # BlogPage has no StreamField

    def test_parts_are_previewable(self):
        for part in (self.rose, self.stink):
            with self.subTest(part=part.title):
                editor = self.login_editor()
                data = edit_form_data(self.client, part)
                self.assertPageIsPreviewable(part, post_data=data, user=editor)
        self.assertPageIsPreviewable(self.blog)

    def test_preview_of_a_forthcoming_part_shows_it_as_it_will_be_published(self):
        self.login_editor()
        data = edit_form_data(self.client, self.stink)
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[self.stink.pk])
        response = self.client.post(preview_url, data)
        self.assertJSONEqual(response.content, {"is_valid": True, "is_available": True})
        html = self.client.get(preview_url).content.decode()
        self.assertEqual(text_of(html, "series-part-label"), "Part 3 of 3 in Memories")
        self.assertIn("<h1>Stink Bomb</h1>", html)

    def test_part_edit_forms_resubmit_as_rendered_and_publish(self):
        self.login_editor()
        for part in (self.rose, self.blog, self.stink):
            with self.subTest(part=part.title):
                # Stink Bomb is only an announcement: publishing it empty takes a confirmation.
                changes = {"publish_empty": "on"} if part is self.stink else {}
                response = post_edit(self.client, part, changes, publish=True)
                self.assertEqual(form_errors(response), {})
                self.assertTrue(reload(part).live)
        # Nothing was lost on the way: the StreamField body and the announcement fields.
        self.assertIn("A paragraph in the body.", self.client.get(reload(self.rose).url).text)
        self.assertEqual(reload(self.stink).forthcoming_teaser, "A cold remedy.")
        self.assertTrue(reload(self.stink).announce_forthcoming)


# --- Creating parts in the admin ---------------------------------------------------------------


@pytest.fixture
def series(home):
    series = make_series(home, "Memories")
    add_part(series, "Magnetic Rose")
    return series


@pytest.mark.django_db
@pytest.mark.parametrize("model", [SeriesPart, BlogPage])
def test_forthcoming_part_created_with_save_draft(series, admin_client, client, model):
    """An editor announces a part: only a title, a teaser and an expected date, "Save draft"."""
    response = post_add(
        admin_client,
        model,
        series,
        {
            "title": "Stink Bomb",
            "slug": "stink-bomb",  # filled in from the title by the admin's JavaScript
            "forthcoming_teaser": "A cold remedy goes very wrong.",
            "expected_date": "2027-01-15",
        },
    )
    assert response.status_code == 302, form_errors(response)
    part = model.objects.child_of(series).get(title="Stink Bomb")
    assert response["Location"] == edit_url(part)
    assert type(part) is model
    assert not part.live
    assert part.has_unpublished_changes
    assert part.first_published_at is None
    assert part.announce_forthcoming is True  # the checkbox is ticked by default
    assert part.forthcoming_teaser == "A cold remedy goes very wrong."
    assert part.expected_date == dt.date(2027, 1, 15)
    assert part.forthcoming_title == ""
    assert part.slug == "stink-bomb"
    assert part.get_latest_revision() is not None

    # Readers see the announcement in the series, and not the page itself.
    html = client.get(series.url).content.decode()
    assert '<span class="series-toc__title">Stink Bomb</span>' in html
    assert "A cold remedy goes very wrong." in html
    assert '<time datetime="2027-01-15">' in html
    # Its own URL: the announcement (noindex), never the draft page.
    response = client.get("/memories/stink-bomb/")
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"


@pytest.mark.django_db
def test_part_created_with_announcement_unticked_stays_invisible(series, admin_client, client):
    response = post_add(
        admin_client,
        SeriesPart,
        series,
        {"title": "Secret part", "slug": "secret-part", "announce_forthcoming": None},
    )
    assert response.status_code == 302, form_errors(response)
    part = SeriesPart.objects.get(title="Secret part")
    assert part.announce_forthcoming is False
    assert "Secret part" not in client.get(series.url).content.decode()


@pytest.mark.django_db
def test_part_published_from_the_add_view(series, admin_client, client):
    response = post_add(
        admin_client,
        SeriesPart,
        series,
        {
            "title": "Cannon Fodder",
            "slug": "cannon-fodder",
            "intro": "A city built around its guns.",
            "body": streamfield([("paragraph", rich_text("<p>Every morning, the guns.</p>"))]),
        },
        publish=True,
    )
    assert response.status_code == 302, form_errors(response)
    part = SeriesPart.objects.get(title="Cannon Fodder")
    assert part.live
    html = client.get(part.url).content.decode()
    assert text_of(html, "series-part-label") == "Part 2 of 2 in Memories"
    assert "Every morning, the guns." in html


@pytest.mark.django_db
@pytest.mark.parametrize("publish", [True, False], ids=["publish", "save-draft"])
@pytest.mark.parametrize("model", [SeriesPart, BlogPage])
def test_part_without_a_title_is_refused(series, admin_client, model, publish):
    response = post_add(
        admin_client,
        model,
        series,
        {
            "title": "",
            "slug": "untitled",
            "forthcoming_title": "A forthcoming title is no substitute",
            "forthcoming_teaser": "Soon.",
        },
        publish=publish,
    )
    assert "title" in form_errors(response)
    assert not Page.objects.filter(slug="untitled").exists()


@pytest.mark.django_db
def test_clearing_the_title_of_a_part_is_refused(series, admin_client):
    part = add_part(series, "Stink Bomb", state="draft")
    response = post_edit(admin_client, part, {"title": ""})
    assert "title" in form_errors(response)
    assert reload(part).title == "Stink Bomb"


@pytest.mark.django_db
def test_invalid_expected_date_is_refused(series, admin_client):
    response = post_add(
        admin_client,
        SeriesPart,
        series,
        {"title": "Stink Bomb", "slug": "stink-bomb", "expected_date": "not a date"},
    )
    assert "expected_date" in form_errors(response)


# --- Rendering: the part label -----------------------------------------------------------------


@pytest.mark.django_db
def test_part_label_uses_the_series_part_label(home, client):
    series = make_series(home, "Memories", part_label="Chapter")
    one = add_part(series, "One")
    two = add_part(series, "Two")
    add_part(series, "Three")
    html = client.get(two.url).content.decode()
    assert text_of(html, "series-part-label") == "Chapter 2 of 3 in Memories"
    assert text_of(html, "series-part-nav__previous") == "Previous: Chapter 1: One"
    assert text_of(html, "series-part-nav__next") == "Next: Chapter 3: Three"
    assert '<span class="series-toc__label">Chapter 3:</span>' in html
    assert "Part " not in html
    html = client.get(one.url).content.decode()
    assert text_of(html, "series-part-label") == "Chapter 1 of 3 in Memories"


@pytest.mark.django_db
def test_part_label_counts_forthcoming_parts_and_the_planned_total(home, client):
    series = make_series(home, "Memories", part_label="Episode", planned_parts=6)
    add_part(series, "One")
    two = add_part(series, "Two", model=BlogPage)
    add_part(series, "Three", state="draft")
    add_part(series, "Hidden", state="draft", announce_forthcoming=False)
    html = client.get(two.url).content.decode()
    assert text_of(html, "series-part-label") == "Episode 2 of 6 in Memories"
    assert text_of(html, "series-part-nav__next") == "Next: Episode 3: Three (coming soon)"
    assert "Hidden" not in html
    [data] = json_ld_blocks(html)
    assert data["position"] == 2


# --- Rendering: escaping -----------------------------------------------------------------------


@pytest.fixture
def hostile_series(home):
    """Markup in every text a part page shows: titles, forthcoming title, teaser, intro."""
    series = make_series(home, f"Memories {IMG} {SCRIPT}", slug="memories")
    add_part(series, f"Rose {IMG}", slug="rose")
    middle = add_part(series, f"Cannon {SCRIPT}", slug="cannon", intro=f"Intro {IMG}")
    blog = add_part(series, f"Blog {IMG}", slug="blog", model=BlogPage, summary=f"Sum {SCRIPT}")
    add_part(
        series,
        "Stink",
        slug="stink",
        state="draft",
        forthcoming_title=f"Stink {IMG}",
        forthcoming_teaser=f"Teaser {SCRIPT} and {IMG}",
    )
    return {"series": series, "middle": middle, "blog": blog}


SERIES_TITLE_ESCAPED = f"Memories {IMG_ESCAPED} {SCRIPT_ESCAPED}"


@pytest.mark.django_db
def test_markup_is_escaped_on_a_series_part_page(hostile_series, client):
    response = client.get(hostile_series["middle"].url)
    assert response.status_code == 200
    html = response.content.decode()

    assert_no_raw_markup(html)
    assert f"<title>Cannon {SCRIPT_ESCAPED}</title>" in html
    assert f"<h1>Cannon {SCRIPT_ESCAPED}</h1>" in html
    assert f"Intro {IMG_ESCAPED}</p>" in html
    assert f'<a href="/memories/">{SERIES_TITLE_ESCAPED}</a></p>' in html  # the part label
    assert f'aria-label="{SERIES_TITLE_ESCAPED}: previous and next"' in html
    assert f"Previous: Part 1: Rose {IMG_ESCAPED}</a>" in html
    assert f"Next: Part 3: Blog {IMG_ESCAPED}</a>" in html
    assert f'<span class="series-toc__title">Stink {IMG_ESCAPED}</span>' in html
    assert f"Teaser {SCRIPT_ESCAPED} and {IMG_ESCAPED}</p>" in html

    [data] = json_ld_blocks(html)
    assert data["@type"] == "Article"
    assert data["headline"] == data["name"] == f"Cannon {SCRIPT}"
    assert data["isPartOf"]["name"] == f"Memories {IMG} {SCRIPT}"
    assert "Stink" not in str(data)


@pytest.mark.django_db
def test_markup_is_escaped_on_a_host_part_page(hostile_series, client):
    response = client.get(hostile_series["blog"].url)
    assert response.status_code == 200
    html = response.content.decode()

    assert_no_raw_markup(html)
    assert f"<h1>Blog {IMG_ESCAPED}</h1>" in html
    assert f"<p>Sum {SCRIPT_ESCAPED}</p>" in html
    # Next is the forthcoming part: its announcement, escaped, and no link.
    assert f"Next: Part 4: Stink {IMG_ESCAPED} (coming soon)" in html
    [data] = json_ld_blocks(html)
    assert data["headline"] == f"Blog {IMG}"
    assert data["isPartOf"]["name"] == f"Memories {IMG} {SCRIPT}"


@pytest.mark.django_db
def test_markup_in_the_part_label_is_escaped(home, client):
    series = make_series(home, "Memories", part_label=f"Ch {IMG}")
    add_part(series, "One")
    two = add_part(series, "Two")
    add_part(series, "Three", state="draft")
    for url in (two.url, series.url):
        html = client.get(url).content.decode()
        assert_no_raw_markup(html)
        assert f'<span class="series-toc__label">Ch {IMG_ESCAPED} 2:</span>' in html
    html = client.get(two.url).content.decode()
    assert f"Ch {IMG_ESCAPED} 2 of 3 in" in html
    assert f"Next: Ch {IMG_ESCAPED} 3: Three (coming soon)" in html
    json_ld_blocks(html)  # parses: nothing broke out of the script element
