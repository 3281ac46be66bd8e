from wagtail import hooks

from .rich_text import SeriesPageLinkHandler


# Link handlers are registered per identifier and the last registration wins: run after
# Wagtail's own "page" handler (order 0) so this one replaces it.
@hooks.register("register_rich_text_features", order=100)
def register_series_page_link_handler(features):
    features.register_link_type(SeriesPageLinkHandler)
