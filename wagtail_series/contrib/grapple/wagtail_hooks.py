from wagtail import hooks

from .schema import SeriesQuery
from .types import install_page_types


@hooks.register("register_schema_query")
def register_series_query(query_mixins: list) -> None:
    """Add the series types and the ``series``, ``seriesList`` and ``seriesCount`` fields to the
    site's grapple schema, as grapple builds it."""
    install_page_types()
    query_mixins.append(SeriesQuery)
