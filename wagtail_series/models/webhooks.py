from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookDelivery(models.Model):
    """One webhook sent (or being sent) to one endpoint about one change, and how it went.

    Created by ``wagtail_series.propagation.tasks`` after the change is committed; retried with
    backoff on connection errors, timeouts and 5xx answers; ``send_pending_webhooks`` sends
    pending ones whose attempt is due or whose sender died, ``resend_failed_webhooks`` failed
    ones too. The payload is what the endpoint receives; the secret is never stored.

    A sender *claims* a pending delivery before each attempt (``claimed_at``, set by a
    conditional UPDATE, see ``propagation.tasks``), so two senders never send it at the same
    time; a claim older than ``WEBHOOK_PENDING_TIMEOUT`` is taken to be a dead sender's.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    endpoint_url = models.URLField(_("endpoint"), max_length=2000)
    event = models.CharField(_("event"), max_length=32, db_index=True)
    series_id = models.PositiveIntegerField(_("series id"), null=True, blank=True, db_index=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # When the next attempt is due (now for a new delivery; later for a retry).
    next_attempt_at = models.DateTimeField(
        _("next attempt at"), default=timezone.now, null=True, blank=True
    )
    # When a sender claimed it for an attempt it has not finished; None when nobody holds it.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            # send_pending_webhooks: pending deliveries by due time.
            models.Index(fields=["status", "next_attempt_at"], name="wagtail_series_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_url} ({self.get_status_display()})"
