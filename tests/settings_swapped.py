"""The test settings with Wagtail 8's page model swapped (WAGTAIL_PAGE_MODEL).

Uses the swapped base page app that Wagtail 8 ships for its own tests, so the whole suite proves
wagtail-series works on a site whose page types subclass a custom base page model.
"""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

# Without GraphQL: wagtail-grapple only knows wagtail.models.Page, and
# wagtail_series.contrib.grapple refuses a swapped page model at start-up (see its test_apps.py).
GRAPHQL_APPS = ("wagtail_series.contrib.grapple", "grapple", "graphene_django")
INSTALLED_APPS = ["wagtail.test.basepage", *(a for a in INSTALLED_APPS if a not in GRAPHQL_APPS)]
WAGTAIL_PAGE_MODEL = "basepage.BasePage"
