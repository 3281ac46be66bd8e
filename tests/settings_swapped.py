"""The test settings with Wagtail 8's page model swapped (WAGTAIL_PAGE_MODEL).

Uses the swapped base page app that Wagtail 8 ships for its own tests, so the whole suite proves
wagtail-series works on a site whose page types subclass a custom base page model.
"""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = ["wagtail.test.basepage", *INSTALLED_APPS]
WAGTAIL_PAGE_MODEL = "basepage.BasePage"
