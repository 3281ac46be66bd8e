"""schema.org JSON-LD: ``inLanguage`` is the series' language (BCP 47)."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def json_ld(page) -> dict:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = Template("{% load wagtail_series %}{% series_head %}").render(
        Context({"request": request, "page": page})
    )
    script = BeautifulSoup(html, "html.parser").find("script", type="application/ld+json")
    return json.loads(script.string)


def test_in_language_is_language_code_without_wagtail_i18n(memories, settings):
    pages = memories()
    assert json_ld(pages["series"])["inLanguage"] == "en"
    assert json_ld(pages["rose"])["inLanguage"] == "en"
    settings.LANGUAGE_CODE = "en-us"
    assert json_ld(pages["rose"])["inLanguage"] == "en-US"  # BCP 47, as schema.org asks


def test_in_language_is_the_series_locale(memories, translate):
    pages = memories()
    french_series = translate(pages["series"], "fr")
    french_rose = translate(pages["rose"], "fr")
    assert json_ld(french_series)["inLanguage"] == "fr"
    assert json_ld(french_rose)["inLanguage"] == "fr"
    assert json_ld(pages["series"])["inLanguage"] == "en"
    assert json_ld(pages["rose"])["inLanguage"] == "en"
