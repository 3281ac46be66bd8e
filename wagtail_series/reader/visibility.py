"""Who may see what: view restrictions, anonymous readers, and the series above a part.

Every visibility rule of the package lives here: which series a request may see
(``visible_series``, ``series_is_visible``), which of them it asks about (``series_for_request``,
``series_in_scope``: its Site's, as Wagtail's pages endpoint; ``in_preferred_locale``: the
language a slug is looked up in), which anyone may see (``series_is_public``,
``page_is_public``), whether a page reached through a generic field may be shown
(``page_is_visible``), what about a reader can change what they see (``viewer_key``), the public
date series listings are ordered by (``latest_public_part_dates``, and how a part's save can change
it: ``latest_part_date_change``, ``counted_part_date``), and the series a part belongs to
(``get_series_for_part`` for readers, ``get_parent_series`` for editors: one lookup).

View restrictions are read in bulk, one query for many series (two if group restrictions apply),
and their verdicts are memoised on the request (see ``memo``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import StartsWith
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, PageViewRestriction, Site

from ..compat import get_page_model
from ..conf import series_settings
from ..models import LinkedPart, SeriesPage, SeriesPartMixin
from ..models.linked import entry_content_type_ids
from .memo import memoised, remember, request_memo
from .paths import children_of
from .urls import site_root_paths

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "LATEST_PART_DATE_FIELDS",
    "PUBLIC_VIEWER",
    "DateChange",
    "get_parent_series",
    "get_series_for_part",
    "in_preferred_locale",
    "site_feed_series",
    "is_anonymous",
    "counted_part_date",
    "latest_part_date_change",
    "latest_public_part_dates",
    "page_is_public",
    "page_is_visible",
    "series_is_public",
    "series_for_request",
    "series_in_scope",
    "series_is_visible",
    "viewer_key",
    "visible_series",
]

PUBLIC_VIEWER = "public"
"""``viewer_key`` of every reader who sees exactly what an anonymous reader sees."""


def is_anonymous(request: HttpRequest) -> bool:
    """Whether ``request`` passes exactly the restrictions an anonymous reader passes (none)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    key = PageViewRestriction.passed_view_restrictions_session_key
    return session is None or not session.get(key)


def viewer_key(request: HttpRequest) -> str:
    """What, about the reader, can change what they see: nothing for an anonymous reader
    (``PUBLIC_VIEWER``); otherwise the user, their groups and the restrictions they passed."""
    if is_anonymous(request):
        return PUBLIC_VIEWER
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    passed = (
        session.get(PageViewRestriction.passed_view_restrictions_session_key, []) if session else []
    )
    user_id: object = ""
    superuser = False
    groups: list[int] = []
    if user is not None and user.is_authenticated:
        user_id, superuser = user.pk, bool(user.is_superuser)
        if not superuser:
            groups = sorted(user.groups.values_list("id", flat=True))
    return f"user:{user_id}:{superuser}:{groups}:{sorted(passed)}"


def visible_series(
    queryset: QuerySet[SeriesPage] | None = None, request: HttpRequest | None = None
) -> QuerySet[SeriesPage]:
    """The live series ``request`` may see (its view restrictions and its ancestors' pass).

    ``queryset`` narrows the candidates (default: every series). One query for the restrictions.
    """
    # filter(live=True) is PageQuerySet.live(), on any QuerySet of series.
    queryset = (queryset if queryset is not None else SeriesPage.objects.all()).filter(live=True)
    # Only restrictions at or above some series decide whether a series is visible.
    restrictions = (
        PageViewRestriction.objects.filter(
            Exists(SeriesPage.objects.filter(path__startswith=OuterRef("page__path")))
        )
        .annotate(_series_page_path=F("page__path"))
        .prefetch_related("groups")
    )
    checker = _RestrictionChecker(request)
    for restriction in restrictions:
        if not checker.passes(restriction):
            queryset = queryset.exclude(path__startswith=restriction._series_page_path)
    return queryset


def series_for_request(
    request: HttpRequest | None,
    queryset: QuerySet[SeriesPage] | None = None,
    *,
    site: Site | None = None,
) -> QuerySet[SeriesPage]:
    """The series an API request may see and asks about: ``visible_series``, in one Site.

    As Wagtail's pages endpoint: the request's Site (all its language trees under Wagtail i18n),
    or ``site`` when the caller names one (REST's ``?site=``); none when no Site answers the
    request. ``WAGTAIL_SERIES["API_ALL_SITES"]`` (off by default) lists every Site's instead, for
    an installation whose one API host serves several sites' front ends. No request: every Site.
    """
    visible = visible_series(queryset, request)
    roots = _scope_root_paths(request, site)
    if roots is None:
        return visible
    in_site = Q(pk__in=[])
    for root in roots:
        in_site |= Q(url_path__startswith=root)
    return visible.filter(in_site)


def series_in_scope(
    series: SeriesPage, request: HttpRequest | None, *, site: Site | None = None
) -> bool:
    """Whether ``series_for_request`` lists ``series`` (a detail view's 404 otherwise)."""
    roots = _scope_root_paths(request, site)
    in_site = roots is None or any(series.url_path.startswith(root) for root in roots)
    return in_site and series_is_visible(series, request)


def _scope_root_paths(request: HttpRequest | None, site: Site | None) -> list[str] | None:
    """The url_paths of the roots of the Site in scope; None: every Site."""
    if site is None:
        if request is None or series_settings.API_ALL_SITES:
            return None
        site = Site.find_for_request(request)  # memoised on the request (Wagtail's own lookup)
        if site is None:
            return []
    if request is None:
        return [site.root_page.url_path]
    return site_root_paths(site.pk, request)


def site_feed_series(request: HttpRequest) -> QuerySet[SeriesPage]:
    """The series the site-wide feed lists: those anonymous readers may see (the feed is one
    response for everyone), on the request's Site (every language tree of it), and under Wagtail
    i18n in the active language's locale only: one feed per language, each in its language."""
    site = Site.find_for_request(request)
    if site is None:
        return SeriesPage.objects.none()
    in_site = Q(pk__in=[])
    for root in _scope_root_paths(request, site) or ():
        in_site |= Q(url_path__startswith=root)
    series = visible_series(SeriesPage.objects.filter(in_site), None)
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        series = series.filter(locale=Locale.get_active())
    return series


def in_preferred_locale(
    queryset: QuerySet[SeriesPage], locale: Locale | None = None
) -> QuerySet[SeriesPage]:
    """``queryset`` (e.g. the series with one slug) in one language, as a slug lookup needs
    (translations often keep their source's slug): ``locale`` if given; otherwise the active
    language's (the request's, through ``LocaleMiddleware``), else the default locale's, else the
    first in tree order (so a French slug is found whatever language the request asks for).
    Without Wagtail i18n, ``locale`` or everything.

    No query of its own: the choice is a subquery.
    """
    if locale is not None:
        return queryset.filter(locale=locale)
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return queryset
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    try:
        active = get_supported_content_language_variant(translation.get_language())
    except LookupError:  # an active language that is no content language
        active = default
    preference = Case(
        When(locale__language_code=active, then=0),
        When(locale__language_code=default, then=1),
        default=2,
        output_field=IntegerField(),
    )
    chosen = (
        queryset.annotate(_locale_preference=preference)
        .order_by("_locale_preference", "path")
        .values("locale_id")[:1]
    )
    return queryset.filter(locale_id=Subquery(chosen))


def series_is_visible(series: SeriesPage, request: HttpRequest | None = None) -> bool:
    """Whether ``request`` may see ``series`` at all (live, and passes its view restrictions)."""
    return series.live and _restriction_verdicts(series, request)[0]


def series_is_public(series: SeriesPage, request: HttpRequest | None = None) -> bool:
    """Whether anyone at all, signed in or not, may see ``series`` (e.g. it has public feeds).

    Free for an anonymous ``request`` once its outline is built: its verdicts are an anonymous
    reader's, already memoised. Otherwise one query (two if group restrictions apply), once per
    request: the answer is memoised on it.
    """
    if request is not None and is_anonymous(request):
        return series_is_visible(series, request)
    return memoised(request, ("public", series.pk), lambda: series_is_visible(series, None))


def page_is_public(page: Page) -> bool:
    """Whether anonymous readers pass the view restrictions on ``page`` and its ancestors (there
    are none), whether or not it is live. One query."""
    return not PageViewRestriction.objects.filter(
        page__path__in=_ancestor_paths(page.path)
    ).exists()


def page_is_visible(page: Page, request: HttpRequest | None) -> bool:
    """Whether ``request`` may see ``page``, reached through a generic field (e.g. GraphQL's
    ``parent``): a series as ``series_is_visible`` says; any other page if live and passing the view
    restrictions on it and its ancestors (Wagtail's own check; with no request, only if there are
    none). Memoised on the request."""
    if isinstance(page, SeriesPage):
        return series_is_visible(page, request)

    def visible() -> bool:
        if not page.live:
            return False
        restrictions = page.get_view_restrictions()
        if request is None:
            return not restrictions.exists()
        return all(r.accept_request(request) for r in restrictions)

    return memoised(request, ("page_visible", page.pk), visible)


def latest_public_part_dates(
    series_ids: Iterable[int], *, excluding: Iterable[int] = ()
) -> dict[int, datetime | None]:
    """The newest first-published date among each series' live parts that have no view
    restriction of their own, by series id (``None``: no such part; ids of no series: absent).

    What listings are ordered by by default (stored as ``latest_public_part_published_at`` by
    propagation, in the change's transaction): the same for everyone, so a private part's date
    never shows through. One query for up to ``_BATCH`` series, each an index range on the tree
    path, however many parts they have. ``excluding``: ids of pages to leave out (being deleted).
    """
    ids = sorted(set(series_ids))
    latest = _latest_public_part_date(excluding=tuple(excluding))
    dates: dict[int, datetime | None] = {}
    for start in range(0, len(ids), _BATCH):
        rows = (
            SeriesPage.objects.filter(pk__in=ids[start : start + _BATCH])
            .annotate(_latest=latest)
            .values_list("pk", "_latest")
        )
        dates.update(rows)
    return dates


# Series per query in ``latest_public_part_dates``: well under every database's parameter limit.
_BATCH = 500


def _latest_public_part_date(excluding: tuple[int, ...] = ()) -> Coalesce:
    """``latest_public_part_dates`` of the series (page) in the outer query, as a subquery: the
    later of its parts' and its linked parts' targets'."""
    under_series = {"path__startswith": OuterRef("path"), "depth": OuterRef("depth") + 1}
    parts = _counted_parts().filter(**under_series)
    links = _counted_links().filter(**under_series)
    if excluding:
        parts = parts.exclude(pk__in=excluding)
        links = links.exclude(target_id__in=excluding)
    latest = parts.order_by(F("first_published_at").desc(nulls_last=True))
    part_date = Subquery(latest.values("first_published_at")[:1])
    # A target with no date (made live by code) counts its linked part's, as outlines do.
    links = links.annotate(_date=Coalesce("target__first_published_at", "first_published_at"))
    latest_link = links.order_by(F("_date").desc(nulls_last=True))
    link_date = Subquery(latest_link.values("_date")[:1])
    # GREATEST is NULL with a NULL argument on some databases: neither may be NULL in it.
    return Coalesce(
        Greatest(Coalesce(part_date, link_date), Coalesce(link_date, part_date)), part_date
    )


def _counted_parts() -> QuerySet[Page]:
    """The pages ``latest_public_part_dates`` counts: live parts without a view restriction of
    their own (the caller says of which series)."""
    return (
        get_page_model()
        .objects.filter(live=True, content_type_id__in=entry_content_type_ids())
        .exclude(Exists(PageViewRestriction.objects.filter(page_id=OuterRef("pk"))))
    )


def _counted_links() -> QuerySet[LinkedPart]:
    """The linked parts whose target ``latest_public_part_dates`` counts: live, with a live
    target that no view restriction (its own or an ancestor's) hides."""
    # A restriction on the target or an ancestor: its page's path starts the target's.
    target_path = ExpressionWrapper(OuterRef("target__path"), output_field=CharField())
    restricted = PageViewRestriction.objects.filter(StartsWith(target_path, F("page__path")))
    return LinkedPart.objects.filter(live=True, target__live=True).exclude(Exists(restricted))


LATEST_PART_DATE_FIELDS = ("live", "first_published_at")
"""A part's own fields ``latest_public_part_dates`` reads. Its place in the tree, its type and
its view restrictions are the rule's other inputs: they change through moves, restrictions and
deletions, which recompute the date."""

DateChange = Literal["unchanged", "joined", "any"]


def latest_part_date_change(
    before: Mapping[str, Any] | None, part: Page, *, created: bool = False
) -> DateChange:
    """How saving ``part`` can change its series' ``latest_public_part_dates``, given its
    ``LATEST_PART_DATE_FIELDS`` before the save (``None``: unknown).

    ``"unchanged"``: none of them changed. ``"joined"``: the part did not count before (new, or
    not live), so the date can only move to the part's own (``latest_public_part_date_with``),
    without reading the other parts (``counted_part_date``). ``"any"``: recompute from every part.
    """
    if created:
        return "joined"
    if before is None:
        return "any"
    if all(before[name] == getattr(part, name) for name in LATEST_PART_DATE_FIELDS):
        return "unchanged"
    if not before["live"]:  # only live parts count
        return "joined"
    return "any"


def counted_part_date(part: Page) -> tuple[datetime | None, Q]:
    """The date ``latest_public_part_dates`` counts for ``part`` as it was just saved, and where
    it counts it: ``(None, ...)`` if it counts none (not live, or no date); else its date and a
    condition, for a query of its series, that holds unless the part has a view restriction of
    its own. When ``latest_part_date_change`` says "joined", the series' date is the later of
    the one stored and this one: no other part is read, whatever the series' length."""
    date = part.first_published_at
    if not isinstance(part, SeriesPartMixin) or isinstance(part, LinkedPart):
        return None, Q()
    if not part.live or date is None:
        return None, Q()
    return date, ~Q(Exists(PageViewRestriction.objects.filter(page_id=part.pk)))


def get_series_for_part(page: Page) -> SeriesPage | None:
    """The live series page directly above ``page``, or None (one query)."""
    return _parent_series(page, SeriesPage.objects.live())


def get_parent_series(page: Page, memo: dict[Any, Any] | None = None) -> SeriesPage | None:
    """The series page directly above ``page``, live or not (for the admin), or None.

    Unlike ``get_series_for_part``, which only finds live series, for readers. One query, once
    per ``memo`` (a scope's, e.g. propagation's batch: one publish saves a part several times).
    """
    # Keyed by path too: a move gives the part another parent. While the part exists, the page
    # at its parent path can't be another one (deleting it deletes the part).
    key = ("parent_series", page.pk, page.path)
    return remember(memo, key, lambda: _parent_series(page, SeriesPage.objects.all()))


def _parent_series(page: Page, candidates: QuerySet[SeriesPage]) -> SeriesPage | None:
    """The one parent-series lookup: the page of ``candidates`` directly above the part ``page``."""
    parent_path = parent_path_of(page)
    if not isinstance(page, SeriesPartMixin) or parent_path is None:
        return None
    return candidates.filter(path=parent_path).first()


def parent_path_of(page: Page) -> str | None:
    """The tree path of ``page``'s parent; None for an unsaved page or the tree's root."""
    if not page.path or page.depth is None or page.depth < 2:
        return None
    return page.path[: -Page.steplen]


def _ancestor_paths(path: str) -> list[str]:
    """The paths of a page and all its ancestors."""
    return [path[:i] for i in range(Page.steplen, len(path) + 1, Page.steplen)]


class _RestrictionChecker:
    """Wagtail's ``BaseViewRestriction.accept_request`` for many restrictions in one pass.

    The stock method queries the user's groups once per group restriction; here they are read once.
    """

    def __init__(self, request: HttpRequest | None) -> None:
        self.request = request
        self._group_ids: set[int] | None = None

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)

    def passes(self, restriction: PageViewRestriction) -> bool:
        if self.request is None:
            return False
        kind = restriction.restriction_type
        if kind == PageViewRestriction.PASSWORD:
            session = getattr(self.request, "session", None)
            if session is None:
                return False
            passed = session.get(restriction.passed_view_restrictions_session_key, [])
            return restriction.id in passed
        if kind == PageViewRestriction.LOGIN:
            return bool(self.user is not None and self.user.is_authenticated)
        if kind == PageViewRestriction.GROUPS:
            user = self.user
            if user is None or not user.is_authenticated:
                return False
            if user.is_superuser:
                return True
            if self._group_ids is None:
                self._group_ids = set(user.groups.values_list("id", flat=True))
            return any(g.id in self._group_ids for g in restriction.groups.all())
        # A restriction type this module doesn't know: defer to Wagtail.
        return restriction.accept_request(self.request)


def failing_paths_above(paths: Iterable[str], request: HttpRequest | None) -> set[str]:
    """The paths of the pages at or above ``paths`` whose view restrictions ``request`` fails
    (every restricted one with no request). One query (two if group restrictions apply), none
    for no path."""
    ancestors = {ancestor for path in paths for ancestor in _ancestor_paths(path)}
    if not ancestors:
        return set()
    restrictions = (
        PageViewRestriction.objects.filter(page__path__in=ancestors)
        .annotate(_restricted_path=F("page__path"))
        .prefetch_related("groups")
    )
    checker = _RestrictionChecker(request)
    return {r._restricted_path for r in restrictions if not checker.passes(r)}


def _restriction_verdicts(series: SeriesPage, request: HttpRequest | None) -> tuple[bool, set[str]]:
    """Whether ``request`` passes the restrictions on the series and its ancestors, and the paths
    of the parts whose own restrictions it fails. One query (two if group restrictions apply)."""
    return _restriction_verdicts_many([series], request)[series.pk]


def _restriction_verdicts_many(
    series_list: Sequence[SeriesPage], request: HttpRequest | None
) -> dict[int, tuple[bool, set[str]]]:
    """``_restriction_verdicts`` for several series in one query; memoised on the request."""
    cache = request_memo(request)
    missing = [s for s in series_list if ("verdicts", s.pk) not in cache]
    if missing:
        ancestors = {s.pk: set(_ancestor_paths(s.path)) for s in missing}
        scope = Q(page__path__in=set().union(*ancestors.values()))
        restrictions = (
            PageViewRestriction.objects.filter(scope | Q(children_of(missing, "page__")))
            .annotate(_series_page_path=F("page__path"))
            .prefetch_related("groups")
        )
        checker = _RestrictionChecker(request)
        failing_paths = {r._series_page_path for r in restrictions if not checker.passes(r)}
        for series in missing:
            child_depth_length = len(series.path) + Page.steplen
            cache[("verdicts", series.pk)] = (
                not (failing_paths & ancestors[series.pk]),
                {
                    path
                    for path in failing_paths
                    if len(path) == child_depth_length and path.startswith(series.path)
                },
            )
    return {s.pk: cache[("verdicts", s.pk)] for s in series_list}
