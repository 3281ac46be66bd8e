#!/usr/bin/env python
"""manage.py for the example site: ``cd example_site && ../.venv/bin/python manage.py ...``."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # The repository root, so that ``example_site`` (and an uninstalled ``wagtail_series``) import.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
