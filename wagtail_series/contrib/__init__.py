"""Optional integrations, each a Django app of its own that a site opts into in INSTALLED_APPS.

Only these apps import the third-party packages they integrate with; the core never does.
"""
