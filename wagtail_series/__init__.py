"""wagtail-series: publish Wagtail articles as series."""

__version__ = "0.1.0.dev0"
