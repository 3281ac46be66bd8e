from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The row that counts changes to every series at once (for listings).
ALL_SERIES = 0


class SeriesVersion(models.Model):
    """How many times what readers see of a series has changed, and when it last did.

    Bumped by ``wagtail_series.propagation`` in the same transaction as the change, so a rolled
    back publish leaves no trace and every app server reads the same value. HTTP validators
    (ETag, Last-Modified) come from it, so answering a conditional request needs no rendering.
    ``series_id`` is a plain integer (no foreign key) so a bump can never fail a publish, even
    for a series being deleted in the same transaction; row ``ALL_SERIES`` counts every change.
    """

    series_id = models.PositiveIntegerField(_("series id"), primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # The version the frontend cache and webhooks were last told about: the background task
    # advances it once its work is recorded. A version ahead of it for longer than
    # PROPAGATION_TIMEOUT is a change whose task was lost (a worker killed mid-task, a queue
    # emptied), found and propagated again by `send_pending_webhooks`.
    propagated_version = models.PositiveBigIntegerField(_("propagated version"), default=0)
    # When a lost change was last handed to a task again (so the next run leaves it alone).
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("series version")
        verbose_name_plural = _("series versions")

    def __str__(self) -> str:
        return f"series {self.series_id} v{self.version}"
