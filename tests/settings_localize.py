"""The test settings with wagtail-localize installed and Wagtail's i18n on (English, French).

Only ``tests/localize/`` runs under them (``make test-localize``): installing wagtail-localize
changes every page's admin and signals, so the main suite stays without it.
"""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS, MIDDLEWARE

# As wagtail-localize's docs say: its apps, wagtail_localize.locales instead of wagtail.locales
# (which the main settings don't install), with Wagtail's apps.
_AT = INSTALLED_APPS.index("wagtail.sites")
INSTALLED_APPS = [
    *INSTALLED_APPS[:_AT],
    "wagtail_localize",
    "wagtail_localize.locales",
    *INSTALLED_APPS[_AT:],
]

WAGTAIL_I18N_ENABLED = True
LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("fr", "French")]
MIDDLEWARE = [*MIDDLEWARE[:1], "django.middleware.locale.LocaleMiddleware", *MIDDLEWARE[1:]]
ROOT_URLCONF = "tests.urls_i18n"
