"""Queue the follower emails no live worker is sending: a worker killed mid-batch (once its
claim is older than ``FOLLOWERS_CLAIM_TIMEOUT``), retries due on a backend that can't defer.
Run it from cron every few minutes, beside ``send_pending_webhooks``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ... import tasks


class Command(BaseCommand):
    help = "Queue the follower emails that no worker is sending (after a crash, or retries due)."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = tasks.recover()
        self.stdout.write(f"Queued the pending emails of {len(ids)} notification(s).")
