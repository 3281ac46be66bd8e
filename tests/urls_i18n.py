"""The test URLs as a multilingual site wires them: pages under ``i18n_patterns``.

English, the default language, keeps unprefixed URLs (``prefix_default_language=False``), the
common setup; French pages live under ``/fr/``. Used by the ``i18n`` fixture.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls

from tests.urls import urlpatterns as base_urlpatterns

# Everything but Wagtail's catch-all page route, which moves under the language prefix.
urlpatterns = [
    p for p in base_urlpatterns if getattr(p, "urlconf_module", None) is not wagtail_urls
]
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
