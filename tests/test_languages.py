"""The language of a page (its locale's under Wagtail i18n) and its BCP 47 tag."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from tests.conftest import Page
from wagtail_series.languages import active_language, bcp47, page_language

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "tag"), [("en", "en"), ("en-us", "en-US"), ("pt-br", "pt-BR"), ("zh-hans", "zh-Hans")]
)
def test_bcp47(code, tag):
    assert bcp47(code) == tag


def test_without_wagtail_i18n_every_page_is_in_language_code(
    home, settings, django_assert_num_queries
):
    settings.LANGUAGE_CODE = "de"
    with django_assert_num_queries(0):
        assert page_language(home) == "de"


def test_a_page_is_in_its_locale_language_read_once_per_request(
    memories, translate, django_assert_num_queries
):
    french = Page.objects.get(pk=translate(memories()["series"], "fr").pk)  # locale not loaded
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        assert page_language(french, request) == "fr"
        assert page_language(french, request) == "fr"


def test_active_language():
    with translation.override("de"):
        assert active_language() == "de"
    with translation.override(None):
        assert active_language() == "en"  # LANGUAGE_CODE
