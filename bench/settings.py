"""Settings for the benchmarks in bench/: the example site's, with the bench's own URLs.

The database comes from ``DATABASE_URL`` (the bench points it at a temporary SQLite file or a
throwaway PostgreSQL database). Debug is off so that nothing records queries during timing.

The publish benchmark sets two more variables before Django starts:

- ``BENCH_RECEIVER_URL``: a local HTTP receiver (bench/receiver.py). Wagtail's frontend cache
  app is installed with its ``HTTPBackend`` pointing there, and one wagtail-series webhook too.
- ``BENCH_TASK_BACKEND``: the django-tasks backend class for ``TASKS["default"]`` (what both
  Wagtail and wagtail-series enqueue on); unset: no ``TASKS``, django-tasks' immediate backend.
  django-tasks-db's ``DatabaseBackend`` needs its app (its table) installed too.
"""

import os

from example_site.settings import *  # noqa: F403
from example_site.settings import BASE_DIR, INSTALLED_APPS, TEMPLATES, WAGTAIL_SERIES

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ROOT_URLCONF = "bench.urls"
# Absolute URLs in responses, as on a deployed site.
WAGTAILAPI_BASE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = "http://testserver"
# The part-page benchmark's stock side renders bench/templates/bench/siblings.html.
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [BASE_DIR.parent / "bench" / "templates", *TEMPLATES[0]["DIRS"]]}
]

if receiver := os.environ.get("BENCH_RECEIVER_URL"):
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]
    WAGTAILFRONTENDCACHE = {
        "receiver": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": receiver,
        }
    }
    WAGTAIL_SERIES = {**WAGTAIL_SERIES, "WEBHOOKS": [{"url": f"{receiver}/webhook", "secret": "x"}]}

if task_backend := os.environ.get("BENCH_TASK_BACKEND"):
    TASKS = {"default": {"BACKEND": task_backend}}
    if task_backend.startswith("django_tasks_db.") and "django_tasks_db" not in INSTALLED_APPS:
        INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
