"""Tests that need wagtail-localize: collected only under ``tests.settings_localize``
(``make test-localize``); the main suite, without wagtail-localize, leaves them out."""

import os

LOCALIZE_SETTINGS = "tests.settings_localize"

if os.environ.get("DJANGO_SETTINGS_MODULE") != LOCALIZE_SETTINGS:
    collect_ignore_glob = ["test_*.py"]
