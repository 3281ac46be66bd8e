"""Series listing queries, for every surface: parsing, filters, the ordering allow-list, limits.

The REST endpoint (``api/views.py``) and the GraphQL fields (``contrib/grapple/schema.py``) take
the same list parameters; both check and apply them here, so they accept the same values and
say the same thing about a bad one. Nothing here knows a framework: bad input raises
``InvalidQuery(message)``, which REST answers with a 400 ``{"message": ...}`` and GraphQL with a
GraphQL error carrying the same message.

Every function starts from a queryset the caller got from ``reader.series_for_request`` (the
visible series of the request's Site): what a reader may see is decided there, never here; so is
the language a slug is looked up in when no ``locale`` is given (``reader.in_preferred_locale``).
"""

from __future__ import annotations

import re

from django.db.models import F, QuerySet
from wagtail.models import Locale, Site

from .conf import series_settings
from .models import SeriesPage, SeriesStatus
from .reader import in_preferred_locale

__all__ = [
    "DEFAULT_ORDERING",
    "MAX_ID",
    "MAX_OFFSET",
    "MAX_SEARCH_LENGTH",
    "MAX_TAG_LENGTH",
    "ORDERINGS",
    "ORDER_CHOICES",
    "InvalidQuery",
    "check_number",
    "filter_series",
    "limit_max",
    "order_series",
    "parse_id",
    "parse_locale",
    "parse_number",
    "parse_search",
    "parse_site",
    "parse_slug",
    "parse_status",
    "parse_tag",
    "parse_translation_of",
]

# The orderings a listing accepts, each ascending or (with "-") descending: an allow-list, so a
# name is never passed on to the ORM as a field.
ORDERINGS = ("title", "first_published_at", "latest_part_published_at")
ORDER_CHOICES = ", ".join(f"{name}, -{name}" for name in ORDERINGS)
DEFAULT_ORDERING = "-latest_part_published_at"
# Orderings read from a column of another name. The newest part's date is stored, and indexed
# for the default order, by propagation (``reader.latest_public_part_dates`` computes it): the
# same for everyone, so a private part's date never shows through.
_ORDER_FIELDS = {"latest_part_published_at": "latest_public_part_published_at"}
MAX_OFFSET = 100_000
MAX_SEARCH_LENGTH = 200
MAX_TAG_LENGTH = 100
MAX_ID = 2**31 - 1
# Search results considered before the visible, filtered ones are kept.
MAX_SEARCH_RESULTS = 1000

_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")
_SLUG = re.compile(r"[-\w]{1,255}")
_LANGUAGE_CODE = re.compile(r"[A-Za-z0-9@_-]{1,100}")
_HOSTNAME = re.compile(r"[A-Za-z0-9.-]{1,255}(:[0-9]{1,5})?")
_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InvalidQuery(ValueError):
    """A listing parameter that can't be used; ``message`` says what to fix, for the reader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Parsing -------------------------------------------------------------------------------


def parse_id(raw: object, *, example: str) -> int:
    """A series id from text (or a GraphQL ``ID``); ``example`` shows a good one in the message."""
    text = str(raw)
    if not _WHOLE_NUMBER.fullmatch(text) or int(text) > MAX_ID:
        raise InvalidQuery(f"A series id must be a positive whole number, e.g. {example}.")
    return int(text)


def parse_slug(raw: str) -> str:
    if not _SLUG.fullmatch(raw):
        raise InvalidQuery("slug must be 1 to 255 letters, numbers, underscores or hyphens.")
    return raw


def parse_status(raw: str) -> str:
    if raw not in SeriesStatus.values:
        raise InvalidQuery(f"status must be one of: {', '.join(SeriesStatus.values)}.")
    return raw


def parse_tag(raw: str, visible: QuerySet[SeriesPage]) -> str:
    """A tag that some series in ``visible`` has (naming one no visible series has is an error)."""
    # Control characters can't be in a tag (PostgreSQL rejects NUL in a query outright).
    if _CONTROL.search(raw):
        raise InvalidQuery("tag must not contain control characters.")
    if not raw or len(raw) > MAX_TAG_LENGTH or not visible.filter(tags__name=raw).exists():
        raise InvalidQuery(f"No series has the tag {raw[:MAX_TAG_LENGTH]!r}.")
    return raw


def parse_locale(raw: str) -> Locale:
    """A locale by its language code (``fr``), as Wagtail's pages endpoint's ``?locale=``."""
    locale = (
        Locale.objects.filter(language_code=raw).first() if _LANGUAGE_CODE.fullmatch(raw) else None
    )
    if locale is None:
        codes = sorted(Locale.objects.values_list("language_code", flat=True))
        raise InvalidQuery(f"locale must be one of: {', '.join(codes)}.")
    return locale


def parse_translation_of(raw: object, visible: QuerySet[SeriesPage], *, example: str) -> int:
    """The id of a series in ``visible`` whose translations are asked for (an id of no series
    there is an error, as in Wagtail's pages endpoint)."""
    series_id = parse_id(raw, example=example)
    if not visible.filter(pk=series_id).exists():
        raise InvalidQuery(f"translation_of: there is no series with id {series_id}.")
    return series_id


def parse_site(raw: str) -> Site:
    """A Site by ``hostname`` or ``hostname:port``, as Wagtail's pages endpoint's ``?site=``."""
    if not _HOSTNAME.fullmatch(raw):
        raise InvalidQuery("site must be a hostname, optionally with a port: b.example:8000.")
    hostname, _, port = raw.partition(":")
    sites = Site.objects.filter(hostname=hostname).select_related("root_page")
    if port:
        sites = sites.filter(port=int(port))
    found = list(sites[:2])
    if not found:
        raise InvalidQuery(f"There is no site {raw!r}.")
    if len(found) > 1:
        raise InvalidQuery(f"Several sites have the hostname {hostname!r}: add its port.")
    return found[0]


def parse_search(raw: str) -> list[str]:
    """The words to search for.

    Words only: search backends give quotes and operators meanings of their own (SQLite's
    full-text syntax raises on an unbalanced quote), and readers mean plain words.
    """
    query = raw.strip()
    if not query:
        raise InvalidQuery("search must not be empty.")
    if len(query) > MAX_SEARCH_LENGTH:
        raise InvalidQuery(f"search must be at most {MAX_SEARCH_LENGTH} characters long.")
    words = _WORD.findall(query)
    if not words:
        raise InvalidQuery("search must contain at least one letter or digit.")
    return words


# --- Limits --------------------------------------------------------------------------------


def limit_max() -> int:
    """The most series one page of a listing may ask for (``API_LIMIT_MAX``)."""
    return series_settings.API_LIMIT_MAX


def parse_number(name: str, raw: str | None, *, default: int, maximum: int) -> int:
    """A whole number from 0 to ``maximum`` given as text (query string), ``default`` if absent."""
    if raw is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise InvalidQuery(f"{name} must be a whole number from 0 to {maximum}.")
    if int(raw) > maximum:
        raise InvalidQuery(f"{name} cannot be higher than {maximum}.")
    return int(raw)


def check_number(name: str, value: int | None, *, default: int, maximum: int) -> int:
    """A whole number from 0 to ``maximum`` given as an integer, ``default`` if absent."""
    if value is None:
        return default
    if value < 0 or value > maximum:
        raise InvalidQuery(f"{name} must be a whole number from 0 to {maximum}.")
    return value


# --- Filters and order ---------------------------------------------------------------------


def filter_series(
    visible: QuerySet[SeriesPage],
    *,
    status: str | None = None,
    slug: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    locale: str | None = None,
    translation_of: object = None,
) -> QuerySet[SeriesPage]:
    """``visible`` narrowed by the given parameters (``None``: not given), each checked first.

    ``locale``: a language code; ``slug`` with no ``locale`` is looked up in the active language,
    then the default one. ``translation_of``: a series id; its translations, itself excluded.
    """
    queryset = visible
    in_locale = parse_locale(locale) if locale is not None else None
    if in_locale is not None:
        queryset = queryset.filter(locale=in_locale)
    if status is not None:
        queryset = queryset.filter(status=parse_status(status))
    if translation_of is not None:
        source_id = parse_translation_of(translation_of, visible, example="translation_of=3")
        source = SeriesPage.objects.filter(pk=source_id).values("translation_key")
        queryset = queryset.filter(translation_key__in=source).exclude(pk=source_id)
    if slug is not None:
        queryset = in_preferred_locale(queryset.filter(slug=parse_slug(slug)), in_locale)
    if tag is not None:
        queryset = queryset.filter(tags__name=parse_tag(tag, visible))
    if search is not None:
        words = parse_search(search)
        # Search the index for matching series, then keep the visible, filtered ones.
        matches = SeriesPage.objects.search(" ".join(words))[:MAX_SEARCH_RESULTS]
        queryset = queryset.filter(pk__in=[result.pk for result in matches])
    return queryset


def order_series(queryset: QuerySet[SeriesPage], ordering: str | None) -> QuerySet[SeriesPage]:
    """Order by a name from ``ORDERINGS`` ("-" for descending; ``None``: ``DEFAULT_ORDERING``).

    Empty values sort last either way; the page id breaks ties, so pages never overlap.
    """
    ordering = DEFAULT_ORDERING if ordering is None else ordering
    name = ordering.removeprefix("-")
    if name not in ORDERINGS:
        raise InvalidQuery(f"order must be one of: {ORDER_CHOICES}.")
    field = F(_ORDER_FIELDS.get(name, name))
    descending = ordering.startswith("-")
    expression = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    return queryset.order_by(expression, "pk")
