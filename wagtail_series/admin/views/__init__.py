"""Admin views of wagtail-series, one module per area. They read series through ``reader``."""
