"""Settings for ``bench/api_bench.py``: the example site's, with the bench's own URLs.

The database comes from ``DATABASE_URL`` (the bench points it at a temporary SQLite file or a
throwaway PostgreSQL database). Debug is off so that nothing records queries during timing.
"""

from example_site.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ROOT_URLCONF = "bench.urls"
# Absolute URLs in responses, as on a deployed site.
WAGTAILAPI_BASE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = "http://testserver"
