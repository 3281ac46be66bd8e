"""GraphQL for series through wagtail-grapple: ``wagtail_series.contrib.grapple``.

An optional Django app (label ``wagtail_series_grapple``), installed with the ``graphql`` extra.
It is the only code in wagtail-series that imports grapple or graphene. Nothing is imported here:
Django imports this package while apps are still loading. See ``docs/headless.md``.
"""
