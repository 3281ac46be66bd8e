"""Loading part pages: entry pages and the plain row loader (``reader.loading``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.conftest import (
    add_part,
    make_series,
    reload,
    restrict,
    rich_text_paragraph,
)
from tests.reader.conftest import make_request, schedule
from tests.testapp.models import BlogPage
from wagtail_series import reader
from wagtail_series.models import SeriesPart
from wagtail_series.reader import EntryStatus, loading, rows

pytestmark = pytest.mark.django_db


def test_entry_pages_are_the_live_pages_of_published_entries_only(
    series, django_assert_num_queries
):
    rose = add_part(series, "Magnetic Rose", intro="Public intro.")
    blog = add_part(series, "Blog part", state="live", model=BlogPage, body="<p>Hi</p>")
    add_part(series, "Stink Bomb", state="draft")
    outline = reader.get_series_outline(reload(series))
    assert [e.status for e in outline.entries] == [
        EntryStatus.PUBLISHED,
        EntryStatus.PUBLISHED,
        EntryStatus.FORTHCOMING,
    ]
    # One query per part type, whatever the number of entries; none for forthcoming entries.
    with django_assert_num_queries(2):
        pages = reader.get_entry_pages(outline.entries)
    assert pages == {rose.pk: rose, blog.pk: blog}
    assert type(pages[blog.pk]) is BlogPage and pages[blog.pk].body == "<p>Hi</p>"
    with django_assert_num_queries(0):
        assert reader.get_entry_pages(outline.forthcoming) == {}
    # A page unpublished since the outline was built gets no page.
    reload(rose).unpublish()
    assert set(reader.get_entry_pages(outline.entries)) == {blog.pk}


def test_entry_pages_can_leave_streamfields_unread(series):
    add_part(series, "Rose", body=rich_text_paragraph("<p>Body</p>"))
    outline = reader.get_series_outline(reload(series))
    (page,) = reader.get_entry_pages(outline.entries, defer_streamfields=True).values()
    assert "body" in page.get_deferred_fields() and "intro" not in page.get_deferred_fields()
    assert [b.value.source for b in page.body] == ["<p>Body</p>"]  # read on access
    (page,) = reader.get_entry_pages(outline.entries).values()
    assert "body" not in page.get_deferred_fields()


# --- Loading part pages ----------------------------------------------------------------------


def loaded_state(page) -> dict:
    fields = {name: getattr(page, name) for name in loading._PART_FIELDS}
    return {
        **fields,
        "pk": page.pk,
        "parent links": {
            link.attname: getattr(page, link.attname) for link in page._meta.parents.values()
        },
        "class": type(page),
        "deferred": page.get_deferred_fields(),
        "url": page.get_url(),
        "adding": page._state.adding,
        "db": page._state.db,
    }


def test_part_pages_load_as_only_would_load_them(series, django_assert_num_queries):
    go_live = timezone.now() + dt.timedelta(days=3)
    schedule(add_part(series, "Scheduled", state="draft"), go_live)
    add_part(series, "Published", intro="An intro.")
    add_part(series, "Blog part", model=BlogPage, summary="A summary.")
    fast = loading._part_pages(reload(series))
    only = loading._PART_FIELDS
    expected = [loaded_state(type(page).objects.only(*only).get(pk=page.pk)) for page in fast]
    assert [loaded_state(page) for page in fast] == expected
    assert [type(p).__name__ for p in fast] == ["SeriesPart", "SeriesPart", "BlogPage"]
    assert fast[0]._series_scheduled_at == go_live
    assert fast[1]._series_scheduled_at is None
    # Fields not loaded load on access, as with .only().
    with django_assert_num_queries(1):
        assert fast[1].intro == "An intro."
    assert fast[2].specific.summary == "A summary."


def give_own_init(model, monkeypatch, request) -> list:
    """Give ``model`` an ``__init__`` of its own for the test; returns the instances it builds."""
    created = []

    def __init__(self, *args, **kwargs):
        super(model, self).__init__(*args, **kwargs)
        created.append(self)

    monkeypatch.setattr(model, "__init__", __init__, raising=False)
    rows.loads_plainly.cache_clear()  # (what it knew of the model is out of date)
    request.addfinalizer(rows.loads_plainly.cache_clear)
    return created


def test_a_part_type_with_its_own_init_gets_it_run(series, monkeypatch, request):
    add_part(series, "Blog part", model=BlogPage)
    created = give_own_init(BlogPage, monkeypatch, request)
    (page,) = loading._part_pages(reload(series))
    assert created == [page]
    assert page.title == "Blog part"


def assert_loaded_as_the_orm_would(page, defer_streamfields, django_assert_num_queries):
    """``page`` holds what the ORM loads of it (StreamFields deferred or not), nothing less."""
    queryset = type(page).objects.filter(pk=page.pk)
    expected = (queryset.defer_streamfields() if defer_streamfields else queryset).get()
    assert page.get_deferred_fields() == expected.get_deferred_fields()
    loaded = [
        f.attname for f in page._meta.concrete_fields if f.attname not in page.get_deferred_fields()
    ]
    with django_assert_num_queries(0):
        values = {name: getattr(page, name) for name in loaded}
    assert values == {name: getattr(expected, name) for name in loaded}
    assert page.get_url() == expected.get_url()
    assert page.content_type == expected.content_type


@pytest.mark.parametrize("defer_streamfields", [True, False])
def test_entry_pages_load_as_the_orm_would_load_them(
    series, defer_streamfields, django_assert_num_queries
):
    add_part(series, "Published", intro="An intro.", body=rich_text_paragraph("<p>Body text</p>"))
    add_part(series, "Blog part", model=BlogPage, summary="A summary.", body="<p>Body</p>")
    add_part(series, "Draft", state="draft")
    entries = reader.get_series_outline(reload(series)).entries
    with django_assert_num_queries(2):  # one per part type
        pages = reader.get_entry_pages(entries, defer_streamfields=defer_streamfields)
    assert sorted(pages) == sorted(e.page_id for e in entries if e.is_published)
    for page in pages.values():
        assert_loaded_as_the_orm_would(page, defer_streamfields, django_assert_num_queries)
    series_part = next(p for p in pages.values() if p.title == "Published")
    # A StreamField not loaded loads on access, as with defer_streamfields().
    assert list(series_part.body.raw_data) == list(
        type(series_part).objects.get(pk=series_part.pk).body.raw_data
    )
    assert "Body text" in str(series_part.body)


@pytest.fixture
def series_with_pages(home, series):
    """Two series with parts of both types, a forthcoming draft with a canary, a private part."""
    add_part(series, "Published", intro="An intro.", body=rich_text_paragraph("<p>Body text</p>"))
    add_part(series, "Blog part", model=BlogPage, summary="A summary.", body="<p>Body</p>")
    add_part(series, "Draft", state="draft", intro="CANARY-draft-intro")
    restrict(add_part(series, "Private", intro="Members only."), PageViewRestriction.LOGIN)
    other = make_series(home, "Other")
    add_part(other, "Other part", model=BlogPage)
    return [reload(series), reload(other)]


@pytest.mark.parametrize("defer_streamfields", [True, False])
def test_outlines_with_pages_read_each_part_row_once(
    series_with_pages, defer_streamfields, django_assert_num_queries
):
    reader.get_series_outlines(series_with_pages, make_request())  # warm site and content types
    # Restrictions (and their groups) and one query per part type (3, with LinkedPart), as for the
    # outlines alone. With StreamFields, SeriesPart (which has one) has its pages loaded through the
    # ORM: one more.
    with django_assert_num_queries(5 if defer_streamfields else 6):
        outlines, pages = reader.get_series_outlines_with_pages(
            series_with_pages, make_request(), defer_streamfields=defer_streamfields
        )
    assert outlines == reader.get_series_outlines(series_with_pages, make_request())
    published = [e for o in outlines.values() for e in o.entries if e.is_published]
    assert sorted(pages) == sorted(e.page_id for e in published)
    assert {p.title for p in pages.values()} == {"Published", "Blog part", "Other part"}
    for page in pages.values():
        assert_loaded_as_the_orm_would(page, defer_streamfields, django_assert_num_queries)


def test_parts_that_are_not_live_are_never_read_whole(series_with_pages):
    pages = loading._part_pages_many(
        series_with_pages, whole_live_rows=True, defer_streamfields=True
    )
    draft, private = (p for p in pages[series_with_pages[0].pk] if p.title in ("Draft", "Private"))
    # The draft's row holds its unpublished content: only its announcement was read.
    assert "intro" in draft.get_deferred_fields() and rows.WHOLE not in vars(draft)
    assert "CANARY-draft-intro" not in str(vars(draft))
    # A live private part is read whole, and left out by the reader (see above).
    assert "intro" not in private.get_deferred_fields() and vars(private)[rows.WHOLE]


def test_outlines_memoised_earlier_still_get_their_pages(
    series_with_pages, django_assert_num_queries
):
    request = make_request()
    reader.get_series_outlines(series_with_pages, request)
    with django_assert_num_queries(2):  # the pages, as get_entry_pages loads them
        outlines, pages = reader.get_series_outlines_with_pages(series_with_pages, request)
    assert {p.title for p in pages.values()} == {"Published", "Blog part", "Other part"}


def test_a_part_type_with_its_own_init_gets_its_pages_through_the_orm(
    series_with_pages, monkeypatch, request, django_assert_num_queries
):
    created = give_own_init(SeriesPart, monkeypatch, request)
    reader.get_series_outlines(series_with_pages, make_request())  # warm site and content types
    with django_assert_num_queries(6):  # SeriesPart's pages: one query more
        _, pages = reader.get_series_outlines_with_pages(
            series_with_pages, make_request(), defer_streamfields=True
        )
    assert {p.title for p in pages.values()} == {"Published", "Blog part", "Other part"}
    assert "Published" in {page.title for page in created}
    with pytest.raises(ValueError, match="trimmed rows"):
        rows.load_pages(
            SeriesPart, SeriesPart.objects.all(), ["id", "title"], not_live_fields=["id"]
        )


# --- Part pages for caches and the editor's form ---------------------------------------------


def test_live_part_pages_are_every_live_part_private_or_not(home, series):
    one = add_part(series, "One")
    blog = add_part(series, "Blog", state="live", model=BlogPage)
    add_part(series, "Draft", state="draft")
    private = add_part(series, "Private")
    restrict(private, PageViewRestriction.LOGIN)
    other = make_series(home, "Other")
    elsewhere = add_part(other, "Elsewhere")
    empty = make_series(home, "Empty")
    draft_series = make_series(home, "Unreleased", live=False)
    unreleased = add_part(draft_series, "Live part of a draft series", state="live")

    pages = reader.get_live_part_pages([reload(s) for s in (series, other, empty, draft_series)])
    assert {pk: [p.pk for p in parts] for pk, parts in pages.items()} == {
        series.pk: [one.pk, blog.pk, private.pk],
        other.pk: [elsewhere.pk],
        empty.pk: [],
        draft_series.pk: [unreleased.pk],
    }
    assert [type(p) for p in pages[series.pk]] == [SeriesPart, BlogPage, SeriesPart]
    assert reader.get_live_part_pages([]) == {}


@pytest.mark.parametrize("parts", [3, 300])
def test_live_part_pages_cost_constant_queries(series, parts, django_assert_num_queries):
    for i in range(parts):
        add_part(series, f"P{i}", state="live", model=BlogPage if i % 2 else SeriesPart)
    series = reload(series)
    reader.get_live_part_pages([series])  # warm Django's content type cache
    # The parts, and the linked parts (none here: no query for their targets).
    with django_assert_num_queries(2):
        pages = reader.get_live_part_pages([series])
    assert [p.title for p in pages[series.pk]] == [f"P{i}" for i in range(parts)]
