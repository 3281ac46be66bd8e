"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds of series, built from ``wagtail_series.reader``.

Each series serves its feeds below its own URL (see ``SeriesPage``); the feed of new parts across
every series of a site is mounted by the host site with ``include("wagtail_series.feeds.urls")``.
"""
