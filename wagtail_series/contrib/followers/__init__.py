"""Readers follow a series by email: ``wagtail_series.contrib.followers``.

An optional Django app (label ``wagtail_series_followers``). A reader follows a series with a
form or a JSON endpoint, confirms by email (double opt-in), and gets one email when a new part
goes live; every email unsubscribes in one click (RFC 8058). Emails are sent by the worker, in
batches, exactly once per follower and part. WebSub hubs are pinged too. See
``docs/followers.md``. Nothing is imported here: Django imports this package while apps load.
"""
