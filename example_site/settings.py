"""Settings for the wagtail-series example site. A demo: not for production as it stands.

Environment variables:

- ``DATABASE_URL``: any URL that dj-database-url understands (default: SQLite in
  ``example_site/db.sqlite3``).
- ``DJANGO_DEBUG``: "0"/"false" to turn debug off (on by default).
- ``DJANGO_SECRET_KEY``: the secret key (the default is public and only fit for a local demo).
- ``DJANGO_ALLOWED_HOSTS``: comma-separated (default ``localhost,127.0.0.1``).
- ``WAGTAILADMIN_BASE_URL``: the site's base URL for links in admin emails and the like.
- ``REDIS_URL``: e.g. ``redis://127.0.0.1:6379/0``, to use Redis as Django's cache, shared by
  every app server (default: an in-process cache).
- ``WAGTAIL_SERIES_WEBHOOK_URL`` and ``WAGTAIL_SERIES_WEBHOOK_SECRET``: one webhook endpoint
  told about every visible change of a series (default: none).
- ``WAGTAIL_SERIES_TASKS``: ``db`` to run purges and webhooks on a worker, django-tasks-db's
  (``python manage.py db_worker``; the production setup, see docs/caching-and-webhooks.md);
  unset or ``immediate``, they run in the web process after each response.
- ``WAGTAIL_SERIES_WEBHOOK_TIMEOUT``, ``WAGTAIL_SERIES_WEBHOOK_PENDING_TIMEOUT`` and
  ``WAGTAIL_SERIES_PROPAGATION_TIMEOUT``: seconds, the settings of those names (defaults 5, 300
  and 300).
- ``WAGTAIL_SERIES_PURGE_URL``: a Varnish with xkey there, purged by series tag
  (``VarnishXkeyBackend``; default: none).
- ``DJANGO_EMAIL_HOST`` and ``DJANGO_EMAIL_PORT``: an SMTP server to send emails to (follower
  confirmations and notifications); unset, emails are printed to the console (``make demo``).
- ``WAGTAIL_SERIES_FOLLOWERS_CLAIM_TIMEOUT`` and ``WAGTAIL_SERIES_FOLLOWERS_BATCH_SIZE``: the
  settings of those names (defaults 300 seconds and 100 emails).
- ``WAGTAIL_SERIES_DEMO_LANGUAGES``: comma-separated language codes (e.g. ``en,fr``) to try the
  multilingual features: English stays the default language, at unprefixed URLs; with any other,
  Wagtail's i18n is on, each other language's pages are under ``/<code>/``, and ``load_demo``
  adds a French translation of the demo when ``fr`` is one (default: English only).
"""

import os
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "demo-only-insecure-secret-key-never-use-this-outside-the-example-site"
)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "example_site.home",
    "wagtail_series",
    # GraphQL at /graphql/: wagtail-series' types and queries in the site's grapple schema.
    "wagtail_series.contrib.grapple",
    # Readers follow a series by email (the form on Memories); emails print to the console.
    "wagtail_series.contrib.followers",
    "grapple",
    "graphene_django",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Cache tags on the stock pages API's part responses too (purging by series).
    "wagtail_series.frontend_cache.middleware.CacheTagMiddleware",
]

ROOT_URLCONF = "example_site.urls"
WSGI_APPLICATION = "example_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project templates first: templates/wagtail_series/base.html overrides the package's.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Opt-in multilingual demo (docs/multilingual.md). English is always the default language: the
# demo's existing pages are in the English locale, and its URLs stay unprefixed (urls.py).
DEMO_LANGUAGES = list(
    dict.fromkeys(
        [LANGUAGE_CODE]
        + [
            code.strip().lower()
            for code in os.environ.get("WAGTAIL_SERIES_DEMO_LANGUAGES", "").split(",")
            if code.strip()
        ]
    )
)
for _code in DEMO_LANGUAGES:
    if _code not in LANG_INFO or "name" not in LANG_INFO[_code]:
        raise ValueError(f"WAGTAIL_SERIES_DEMO_LANGUAGES: unknown language code {_code!r}")
if len(DEMO_LANGUAGES) > 1:
    WAGTAIL_I18N_ENABLED = True
    LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
        (code, LANG_INFO[code]["name"]) for code in DEMO_LANGUAGES
    ]
    # LocaleMiddleware needs the session (the language may be kept there) and must run before
    # CommonMiddleware, which may redirect to a language-prefixed URL.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
        "django.middleware.locale.LocaleMiddleware",
    )
    # Locales in the admin's settings, and "Translate" actions that use copy_for_translation.
    INSTALLED_APPS[INSTALLED_APPS.index("wagtail") : INSTALLED_APPS.index("wagtail")] = [
        "wagtail.locales",
        "wagtail.contrib.simple_translation",
    ]

# runserver serves these itself while DEBUG is on (django.contrib.staticfiles).
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static-collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

WAGTAIL_SITE_NAME = "wagtail-series demo"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# Wagtail's stock API v2 (/api/v2/pages/): a frontend listing a whole series with `child_of`
# needs a limit above the default 20. The series endpoint has its own limits (WAGTAIL_SERIES).
WAGTAILAPI_LIMIT_MAX = 1000
# API URLs (detail_url) point at the server actually running. Page URLs (html_url, part URLs,
# feeds) come from the page's Site record, which load_demo points at WAGTAILADMIN_BASE_URL too.
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

# GraphQL (grapple): the site's own page types in the schema; wagtail-series adds its own.
GRAPPLE = {"APPS": ["home"]}

# Django's cache: feeds are cached there under a key holding the series version, so app servers
# sharing Redis (and the database) all serve a change at once.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "wagtail-series-demo",
        }
    }

# Background work (purges, webhooks): django-tasks' ImmediateBackend by default (in the web
# process, after the response); WAGTAIL_SERIES_TASKS=db queues it in the database for
# `manage.py db_worker` (django-tasks-db, the `worker` extra).
_TASKS = os.environ.get("WAGTAIL_SERIES_TASKS", "immediate").strip().lower() or "immediate"
if _TASKS == "db":
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif _TASKS != "immediate":
    raise ValueError(f"WAGTAIL_SERIES_TASKS must be 'db' or 'immediate', not {_TASKS!r}")

WAGTAIL_SERIES = {}
for _name in (
    "WEBHOOK_TIMEOUT",
    "WEBHOOK_PENDING_TIMEOUT",
    "PROPAGATION_TIMEOUT",
    "FOLLOWERS_CLAIM_TIMEOUT",
):
    if os.environ.get(f"WAGTAIL_SERIES_{_name}"):
        WAGTAIL_SERIES[_name] = float(os.environ[f"WAGTAIL_SERIES_{_name}"])
if os.environ.get("WAGTAIL_SERIES_FOLLOWERS_BATCH_SIZE"):
    WAGTAIL_SERIES["FOLLOWERS_BATCH_SIZE"] = int(os.environ["WAGTAIL_SERIES_FOLLOWERS_BATCH_SIZE"])

# Follower emails (wagtail_series.contrib.followers): printed to the console by default, so
# `make demo` shows the confirmation link and the notifications; an SMTP server if given.
DEFAULT_FROM_EMAIL = "wagtail-series demo <series@localhost>"
if os.environ.get("DJANGO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["DJANGO_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if os.environ.get("WAGTAIL_SERIES_WEBHOOK_URL"):
    WAGTAIL_SERIES["WEBHOOKS"] = [
        {
            "url": os.environ["WAGTAIL_SERIES_WEBHOOK_URL"],
            "secret": os.environ.get("WAGTAIL_SERIES_WEBHOOK_SECRET", ""),
        }
    ]

# A Varnish with xkey (or a local receiver in tests) at this URL: wagtail-series' backend, which
# purges a change with one PURGE of the series' tags, from the background task.
if os.environ.get("WAGTAIL_SERIES_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail_series.frontend_cache.backends.VarnishXkeyBackend",
            "LOCATION": os.environ["WAGTAIL_SERIES_PURGE_URL"],
        }
    }
