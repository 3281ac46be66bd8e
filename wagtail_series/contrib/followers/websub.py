"""WebSub (W3C): tell the hub (``WEBSUB_HUB``) that a series' feeds changed, so feed readers
subscribed through it get the new part within seconds. Run by the worker; a failing hub is
logged and never fails anything."""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from ...conf import series_settings
from ...models import SeriesPage
from ...propagation.urls import site_feed_paths

logger = logging.getLogger("wagtail_series.followers.websub")


def feed_urls(series_list: Iterable[SeriesPage]) -> list[str]:
    """The RSS and Atom feeds of ``series_list`` and the site-wide feeds of their sites."""
    urls: list[str] = []
    for series in series_list:
        base = series.get_full_url()
        if base is None:
            continue
        urls += [base + path for kind, path in SeriesPage.FEED_PATHS.items() if kind != "json"]
        site = series.get_site()
        if site is not None:
            urls += [site.root_url.rstrip("/") + path for path in site_feed_paths()]
    return list(dict.fromkeys(urls))


def ping(urls: Iterable[str]) -> int:
    """POST ``hub.mode=publish`` for each URL to the hub; the number the hub accepted (2xx)."""
    hub = series_settings.WEBSUB_HUB
    if not hub:
        return 0
    accepted = 0
    for url in urls:
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode()
        request = urllib.request.Request(
            hub,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(  # noqa: S310 (the configured hub's URL)
                request, timeout=series_settings.WEBSUB_TIMEOUT
            ) as response:
                if 200 <= response.status < 300:
                    accepted += 1
        except Exception as error:  # a failing hub fails nothing
            logger.warning("wagtail-series: WebSub hub %s refused %s: %s", hub, url, error)
    return accepted
