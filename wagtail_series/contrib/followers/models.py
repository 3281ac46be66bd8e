"""Who follows which series, which parts were announced, and each email sent about them.

- ``Follower``: a confirmed address following one series. Only confirmed addresses are stored:
  a follow request is a signed token in the confirmation email until it is confirmed.
- ``Notification``: one per part, created the first time the part goes live for anonymous
  readers (unique per page: a re-publish never notifies again).
- ``Delivery``: one email to one address about one part (unique per notification and address:
  one email names every followed series the part is in), claimed by a worker before it is sent.
- ``PublishChoice``: an editor's "don't notify followers" for one revision.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Follower(models.Model):
    """A confirmed email address following one series. ``active`` is False once the address
    unsubscribed or was rejected by the mail server (a hard bounce)."""

    email = models.EmailField(_("email address"), max_length=254)
    series = models.ForeignKey(
        "wagtail_series.SeriesPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("series"),
    )
    active = models.BooleanField(_("active"), default=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("rejected by the mail server at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "series"], name="wagtail_series_follower_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["series", "active"], name="wagtail_series_follower_active"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.series_id}"


class Notification(models.Model):
    """A part that went live for anonymous readers, and the emails planned about it.

    Created with all its deliveries in one transaction, so it exists only once the deliveries
    do; its page is unique, so a part is announced once whatever happens to it later."""

    page_id = models.PositiveIntegerField(_("page id"), unique=True)
    series_ids = models.JSONField(_("series ids"), default=list)
    revision_id = models.PositiveIntegerField(_("revision id"), null=True, blank=True)
    # The editor published without notifying: no emails, now or on a later publish.
    silent = models.BooleanField(_("without notifying followers"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"page {self.page_id}"


class Delivery(models.Model):
    """One email about one part to one address: exactly one per address and part.

    A sender claims a batch of pending deliveries (``claim`` and ``claimed_at``, by a conditional
    UPDATE after ``SELECT ... FOR UPDATE SKIP LOCKED`` where the database has it), sends them over
    one SMTP connection and records each one as sent as soon as the server accepted it. A claim
    older than ``FOLLOWERS_CLAIM_TIMEOUT`` is a dead sender's: the rest of its batch is sent by
    the next sender."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    email = models.EmailField(_("email address"), max_length=254)
    # The followed series this email names (those of the part this address follows).
    series_ids = models.JSONField(_("series ids"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("follower email")
        verbose_name_plural = _("follower emails")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "email"], name="wagtail_series_delivery_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="wagtail_series_follower_due"),
            models.Index(fields=["email"], name="wagtail_series_delivery_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class PublishChoice(models.Model):
    """ "Notify followers" unticked when a revision was saved: publishing that revision (now,
    scheduled, through a workflow) announces the part to nobody."""

    revision_id = models.PositiveIntegerField(_("revision id"), unique=True)
    notify = models.BooleanField(_("notify followers"), default=True)

    class Meta:
        verbose_name = _("publish choice")
        verbose_name_plural = _("publish choices")

    def __str__(self) -> str:
        return f"revision {self.revision_id}: {'notify' if self.notify else 'silent'}"
