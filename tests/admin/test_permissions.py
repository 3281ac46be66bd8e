"""Which series an admin user may work on: Wagtail's group page permissions decide."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import Page, make_series, reload
from tests.series_admin_helpers import make_editor
from tests.testapp.models import BlogPage
from wagtail_series.admin.permissions import (
    can_add_part,
    creatable_part_models,
    series_for_user,
    user_has_series_access,
)
from wagtail_series.models import LinkedPart, SeriesPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sections(home):
    films = Page(title="Films", slug="films")
    books = Page(title="Books", slug="books")
    home.add_child(instance=films)
    home.add_child(instance=books)
    return {
        "films": reload(films),
        "books": reload(books),
        "memories": make_series(reload(films), "Memories"),
        "akira": make_series(reload(films), "Akira"),
        "dune": make_series(reload(books), "Dune"),
    }


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_superuser_works_on_every_series(two_sections, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x")
    assert titles(series_for_user(admin)) == {"Memories", "Akira", "Dune"}
    assert user_has_series_access(admin)


@pytest.mark.parametrize("action", ["add", "change", "publish"])
def test_a_permission_on_an_ancestor_covers_its_series(two_sections, action):
    editor = make_editor("films", {two_sections["films"]: (action,)})
    assert titles(series_for_user(editor)) == {"Memories", "Akira"}
    assert user_has_series_access(editor)


def test_a_permission_on_one_series_covers_only_that_one(two_sections):
    editor = make_editor("memories", {two_sections["memories"]: ("change",)})
    assert titles(series_for_user(editor)) == {"Memories"}


def test_no_page_permission_no_series(two_sections, django_user_model):
    lock_only = make_editor("locker", {two_sections["films"]: ("lock",)})
    nobody = make_editor("nobody")
    inactive = make_editor("inactive", {two_sections["films"]: ("change",)})
    inactive.is_active = False
    inactive.save()
    for user in (lock_only, nobody, inactive, AnonymousUser()):
        assert titles(series_for_user(user)) == set()
        assert not user_has_series_access(user)


def test_series_for_user_is_one_query(two_sections, django_assert_num_queries):
    editor = make_editor("films", {two_sections["films"]: ("add", "change")})
    editor = type(editor).objects.get(pk=editor.pk)
    # Reading the user's group page permissions, then the series.
    with django_assert_num_queries(2):
        assert len(list(series_for_user(editor))) == 2


def test_can_add_part_needs_add_permission_on_that_series(two_sections):
    memories, dune = two_sections["memories"], two_sections["dune"]
    adder = make_editor("adder", {two_sections["films"]: ("add",)})
    changer = make_editor("changer", {two_sections["films"]: ("change", "publish")})
    assert can_add_part(adder, memories)
    assert not can_add_part(adder, dune)
    assert not can_add_part(changer, memories)


def test_creatable_part_models_follow_the_page_type_rules(two_sections):
    assert set(creatable_part_models(two_sections["memories"])) == {
        SeriesPart,
        BlogPage,
        LinkedPart,
    }
