"""``manage.py resend_failed_webhooks [--since DATE] [--dry-run]``: send failed deliveries again,
from their first attempt, and the pending ones that are due (``send_pending_webhooks
--include-failed``)."""

from __future__ import annotations

from .send_pending_webhooks import Command as SendPendingWebhooks


class Command(SendPendingWebhooks):
    help = (
        "Send failed webhook deliveries again, and pending ones that are due (as "
        "send_pending_webhooks --include-failed), with their original payload, to the endpoints "
        "still configured in WAGTAIL_SERIES['WEBHOOKS'] (with their current secrets)."
    )
    always_include_failed = True
