"""wagtail-series settings: one dict setting, ``WAGTAIL_SERIES``, read through ``series_settings``.

    WAGTAIL_SERIES = {"API_CACHE_MAX_AGE": 300}

Values are read at call time and the cache of them is dropped when Django signals a setting
change, so ``override_settings`` works in tests. An unknown name is an error (see ``checks.py``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

SETTING_NAME = "WAGTAIL_SERIES"

DEFAULTS: dict[str, Any] = {
    # Seconds a shared cache (CDN, proxy) may keep an anonymous API response.
    "API_CACHE_MAX_AGE": 60,
    # The Django cache alias where wagtail-series keeps the validators of anonymous API responses
    # (to answer conditional requests, 304, without running the view) and rendered feeds; None:
    # keep nothing, always run the view. Use a cache shared by all app servers (see
    # docs/headless.md, "HTTP caching"). Deprecated name: API_VALIDATOR_CACHE.
    "CACHE_ALIAS": "default",
    # The most parts a series API response carries; beyond it the response says it was cut.
    "API_MAX_PARTS": 2000,
    # The most series one page of the series listing may ask for (its `limit`).
    "API_LIMIT_MAX": 100,
    # Whether the series APIs (REST and GraphQL) answer for every Site of the installation rather
    # than the request's own (as Wagtail's pages endpoint does): for one API host serving several
    # sites' front ends. REST's ?site=hostname picks one Site either way.
    "API_ALL_SITES": False,
    # The Wagtail image filter for the cover image rendition in API responses.
    "API_COVER_IMAGE_FILTER": "fill-1200x630",
    # Feeds (RSS, Atom, JSON Feed): the most items one feed lists, newest first.
    "FEED_ITEMS": 50,
    # Seconds a rendered feed is kept in the CACHE_ALIAS cache (0: not cached). The key holds the
    # series version, so a change is seen at once by every app server sharing the database.
    "FEED_CACHE_TIMEOUT": 300,
    # Namespaces of the hosts' WagtailAPIRouter instances whose series and pages URLs to purge.
    "API_URL_NAMESPACES": ["wagtailapi"],
    # Webhook endpoints told about every visible change: [{"url": ..., "secret": ...}].
    "WEBHOOKS": [],
    # Seconds to wait for a webhook endpoint to connect and answer, per attempt.
    "WEBHOOK_TIMEOUT": 5.0,
    # Attempts per delivery (connection errors, timeouts and 5xx answers are retried).
    "WEBHOOK_MAX_ATTEMPTS": 4,
    # Seconds before the first retry; each further retry waits twice as long.
    "WEBHOOK_BACKOFF": 1.0,
    # Seconds a sender's claim on a delivery holds: a delivery claimed longer ago is taken to be
    # abandoned (its worker died mid-attempt) and is sent again by `send_pending_webhooks` or
    # the next task that meets it. Must be well above WEBHOOK_TIMEOUT.
    "WEBHOOK_PENDING_TIMEOUT": 300.0,
    # Seconds after which a committed change that no task has propagated yet (its worker was
    # killed mid-task, its queue lost) is taken to be lost and propagated again by
    # `send_pending_webhooks`. Above the queue's usual delay and a task's run time.
    "PROPAGATION_TIMEOUT": 300.0,
    # The django-tasks backend alias that runs purges and webhook deliveries.
    "TASK_BACKEND": "default",
    # GraphQL (wagtail_series.contrib.grapple), served by SeriesGraphQLView: the deepest query
    # accepted, counted in fields nested in one another (`{ series { title } }` is 2).
    "GRAPHQL_MAX_DEPTH": 10,
    # GraphQL: the most aliased fields one query may use (a fragment counts each time it is spread).
    "GRAPHQL_MAX_ALIASES": 30,
    # GraphQL: whether SeriesGraphQLView answers introspection (`__schema`, `__type`).
    "GRAPHQL_INTROSPECTION": True,
    # The response header that carries cache tags (wagtail_series.frontend_cache.tags):
    # "Cache-Tag" (Cloudflare), "Surrogate-Key" (Fastly), "xkey" (Varnish); None: no tags.
    "CACHE_TAG_HEADER": "Cache-Tag",
    # The window of a part page's table of contents (the series_toc tag): the first parts, the
    # parts either side of the current one, the next forthcoming parts after it and the last
    # parts; the rest is an ellipsis and a link to the series page. Keys left out take these
    # values; None: every part page lists every part. A series with no more parts than the
    # window holds (here 3 + 2 + 1 + 2 + 1 + 2 = 11) is listed whole.
    "TOC_WINDOW": {"first": 3, "around": 2, "last": 1, "forthcoming": 2},
    # The most entries the series page's table of contents shows at once; beyond it the table is
    # paginated (?page=2). None: one page, however long the series.
    "SERIES_PAGE_SIZE": 200,
    # What a forthcoming part whose expected date has passed reads instead of "coming soon,
    # expected <date>" (SeriesEntry.is_overdue): a string (or a lazy translation). None: the
    # built-in, translated "delayed".
    "OVERDUE_LABEL": None,
    # Publishing or scheduling a part with no content yet (see SeriesPartMixin.has_content) from
    # the page editor: "confirm" asks the editor to tick "Publish without content" first, "error"
    # refuses it, "allow" lets it through silently.
    "EMPTY_PART_PUBLISH": "confirm",
    # Whether the URL of a forthcoming part (announced, not live yet) shows its announcement
    # (forthcoming title, teaser, expected date, the series' table of contents; noindex, status
    # 200) rather than Wagtail's 404. Parts readers don't see still answer 404.
    "FORTHCOMING_PART_PAGE": True,
    # Followers (wagtail_series.contrib.followers; see docs/followers.md). The From address of
    # follower emails per site hostname ({"example.com": "Blog <news@example.com>"}); a site not
    # listed uses DEFAULT_FROM_EMAIL.
    "FOLLOWERS_FROM_EMAIL": {},
    # The Reply-To address of follower emails per site hostname; a site not listed gets none.
    "FOLLOWERS_REPLY_TO": {},
    # Seconds a confirmation link stays valid.
    "FOLLOWERS_CONFIRM_MAX_AGE": 3 * 24 * 3600,
    # Follow requests accepted per client IP address and per email address: (count, seconds).
    "FOLLOWERS_IP_RATE": (20, 3600),
    "FOLLOWERS_EMAIL_RATE": (3, 3600),
    # The Django cache alias that counts follow requests (use one shared by every app server,
    # e.g. Redis, in production).
    "FOLLOWERS_CACHE_ALIAS": "default",
    # Notification emails one worker claims and sends over one SMTP connection at a time.
    "FOLLOWERS_BATCH_SIZE": 100,
    # Seconds a worker's claim on a batch holds: a batch claimed longer ago is taken to be
    # abandoned (its worker died) and is sent by `send_pending_notifications`. Well above the
    # time one batch takes.
    "FOLLOWERS_CLAIM_TIMEOUT": 300.0,
    # Seconds back `send_pending_notifications` looks for parts that went live without their
    # emails being planned (a go-live task lost with its worker).
    "FOLLOWERS_RECOVERY_WINDOW": 24 * 3600.0,
    # Attempts per notification email (temporary SMTP failures are retried).
    "FOLLOWERS_MAX_ATTEMPTS": 5,
    # WebSub: the hub series feeds declare (<link rel="hub">) and that is pinged when a part goes
    # live; None: no hub.
    "WEBSUB_HUB": None,
    # Seconds to wait for the WebSub hub to answer a ping.
    "WEBSUB_TIMEOUT": 5.0,
}

# The values of EMPTY_PART_PUBLISH.
EMPTY_PART_PUBLISH_CHOICES = ("confirm", "error", "allow")

# The keys of TOC_WINDOW.
TOC_WINDOW_KEYS = ("first", "around", "last", "forthcoming")


def toc_window_setting(window: dict[str, int] | None = None) -> dict[str, int] | None:
    """A table-of-contents window: ``window``'s keys over ``TOC_WINDOW``'s over the defaults.

    None when no window is given and ``TOC_WINDOW`` is None (no window: every entry)."""
    configured = series_settings.TOC_WINDOW
    if window is None and configured is None:
        return None
    return {**DEFAULTS["TOC_WINDOW"], **(configured or {}), **(window or {})}


def overdue_label() -> str:
    """What an overdue forthcoming part reads: ``OVERDUE_LABEL``, or "delayed" translated."""
    label = series_settings.OVERDUE_LABEL
    return str(label) if label is not None else _("delayed")


# Old names still accepted, each for the setting that replaced it (the new name wins if both are
# given). Reading an old name gives the new setting's value.
DEPRECATED_NAMES: dict[str, str] = {
    "API_VALIDATOR_CACHE": "CACHE_ALIAS",
}


class SeriesSettings:
    """Attribute access to ``WAGTAIL_SERIES`` merged over ``DEFAULTS``."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] | None = None

    def _values(self) -> dict[str, Any]:
        if self._cache is None:
            given = getattr(settings, SETTING_NAME, {})
            renamed = {
                new: given[old]
                for old, new in DEPRECATED_NAMES.items()
                if old in given and new not in given
            }
            self._cache = {**DEFAULTS, **given, **renamed}
        return self._cache

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        name = DEPRECATED_NAMES.get(name, name)
        if name not in DEFAULTS:
            raise AttributeError(f"{SETTING_NAME} has no setting {name!r}")
        return self._values()[name]

    def reload(self) -> None:
        self._cache = None


series_settings = SeriesSettings()


@receiver(setting_changed)
def _reload_series_settings(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTING_NAME:
        series_settings.reload()
