"""Purging the frontend cache by series: cache tags on responses, tag-purging backends built on
Wagtail's frontend-cache backends, and ``purge_series`` to purge one change on every backend.

- ``tags``: the tag vocabulary and ``add_cache_tags(response, tags)``;
- ``backends``: ``VarnishXkeyBackend``, ``FastlyBackend``, ``CloudflareTagBackend``;
- ``wildcards``: ``series_wildcard_paths``, one CloudFront (or Azure) path for a whole series;
- ``purge``: ``purge_series(series_ids, urls, ...)`` and its ``PurgeSummary``.

The submodules are imported on their own (``from wagtail_series.frontend_cache.tags import
series_tag``) so that tagging a response never imports a backend or ``requests``.
"""
