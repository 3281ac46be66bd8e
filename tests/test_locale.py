"""The shipped message catalogs (wagtail_series/locale/): readers' pages in French and German, and
catalogs that are complete, current and compiled."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import formats, translation

from tests.conftest import add_part, make_series, reload

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import messages as catalogs  # noqa: E402 (scripts/messages.py: the catalogs' own check)

LANGUAGES = ("fr", "de")
NBSP = "\u00a0"
# What a reader sees, per language: English must not be left among it.
EXPECTED = {
    "fr": {
        "label": "Partie 2 sur 3 de Souvenirs",
        "previous": f"Précédent{NBSP}: Partie 1{NBSP}: Un",
        "next": f"Suivant{NBSP}: Partie 3{NBSP}: Trois (bientôt disponible, prévue le",
        "coming soon": "bientôt disponible",
        "expected": "prévue le",
        "status": "En cours",
        "toc label": f"Partie 1{NBSP}:",
    },
    "de": {
        "label": "Teil 2 von 3 aus Souvenirs",
        "previous": "Zurück: Teil 1: Un",
        "next": "Weiter: Teil 3: Trois (demnächst, voraussichtlich am",
        "coming soon": "demnächst",
        "expected": "voraussichtlich am",
        "status": "Laufend",
        "toc label": "Teil 1:",
    },
}
ENGLISH = ["of 3 in", "Previous", "Next", "coming soon", "expected", "Ongoing", "previous and next"]
PART_LABEL = {"fr": "Partie", "de": "Teil"}


def render(source: str, page) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = Template("{% load wagtail_series %}" + source).render(
        Context({"request": request, "page": page})
    )
    # Collapse ASCII whitespace only: French puts no-break spaces before ":".
    return re.sub(r"[ \t\n]+", " ", BeautifulSoup(html, "html.parser").get_text()).strip()


@pytest.fixture
def series(home):
    def build(language: str):
        series = make_series(home, "Souvenirs", part_label=PART_LABEL[language])
        add_part(series, "Un")
        two = add_part(series, "Deux")
        add_part(series, "Trois", state="draft", expected_date=dt.date(2027, 1, 15))
        return reload(series), reload(two)

    return build


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_part_page_reads_in_the_active_language(series, language):
    _series, two = series(language)
    expected = EXPECTED[language]
    with translation.override(language):
        label = render("{% series_part_label %}", two)
        nav = render("{% series_part_nav %}", two)
        toc = render("{% series_toc %}", two)
        date = formats.date_format(dt.date(2027, 1, 15), "DATE_FORMAT")
    assert label == expected["label"]
    assert expected["previous"] in nav
    assert f"{expected['next']} {date})" in nav
    assert expected["toc label"] in toc
    assert expected["coming soon"] in toc
    assert f"{expected['expected']} {date}" in toc
    assert date != "Jan. 15, 2027"  # the date is localised too
    for text in (label, nav, toc):
        for english in ENGLISH:
            assert english not in text, (english, text)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_series_page_reads_in_the_active_language(series, language):
    page, _two = series(language)
    request = RequestFactory().get(page.url)
    request.user = AnonymousUser()
    with translation.override(language):
        response = page.serve(request)
        html = response.render().content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".series__status").get_text(strip=True) == EXPECTED[language]["status"]
    toc = re.sub(r"[ \t\n]+", " ", soup.select_one(".series-toc").get_text())
    assert EXPECTED[language]["coming soon"] in toc
    for english in ENGLISH:
        assert english not in toc, english


@pytest.mark.django_db
def test_english_is_unchanged(series):
    _series, two = series("fr")
    with translation.override("en"):
        assert render("{% series_part_label %}", two) == "Partie 2 of 3 in Souvenirs"
        assert "Next: Partie 3: Trois (coming soon, expected" in render(
            "{% series_part_nav %}", two
        )


# --- The catalogs themselves -----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogs_are_complete_and_compiled(language):
    po, mo = catalogs.catalog_paths(catalogs.PACKAGE, language)
    assert catalogs.problems(po, None) == []
    assert not catalogs.compiled_differs(po, mo), f"{mo} is stale: run make messages"
    header = catalogs.read_po(po)[0].msgstrs[0]
    assert f"Language: {language}\n" in header
    plural = {"fr": "plural=(n > 1);", "de": "plural=(n != 1);"}[language]
    assert plural in header


def test_plural_forms_are_used():
    with translation.override("fr"):
        assert translation.ngettext("%(count)d published", "%(count)d published", 1) == (
            "%(count)d publiée"
        )
        assert translation.ngettext("%(count)d published", "%(count)d published", 2) == (
            "%(count)d publiées"
        )
    with translation.override("de"):
        assert translation.gettext("Wagtail series") == "Wagtail-Serien"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_catalogs_hold_exactly_the_strings_of_the_sources():
    """`make messages-check`, here too: the catalogs match what makemessages finds now."""
    assert catalogs.check() == 0


def write(path: Path, body: str) -> Path:
    path.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n' + body, encoding="utf-8")
    return path


def test_the_check_finds_every_kind_of_problem(tmp_path):
    fresh = write(tmp_path / "fresh.po", 'msgid "kept"\nmsgstr ""\n\nmsgid "new"\nmsgstr ""\n')
    po = write(
        tmp_path / "django.po",
        'msgid "kept"\nmsgstr "gardé"\n\n'
        '#, fuzzy, python-format\nmsgid "gone"\nmsgstr "parti"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] ""\n\n'
        '#~ msgid "old"\n#~ msgstr "vieux"\n',
    )
    assert catalogs.problems(po, fresh) == [
        "fuzzy entry 'gone'",
        "untranslated 'one'",
        "obsolete entry 'old'",
        "missing 'new' (run make messages)",
        "not in the sources 'gone'",
        "not in the sources 'one'",
    ]
