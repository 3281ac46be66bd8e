"""Queue the follower emails no live worker is sending: a worker killed mid-batch (once its
claim is older than ``FOLLOWERS_CLAIM_TIMEOUT``), retries due on a backend that can't defer, and
the planning of parts whose go-live task was lost with its worker (``tasks.recover_unplanned``).
Run it from cron every few minutes, beside ``send_pending_webhooks``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ... import tasks


class Command(BaseCommand):
    help = "Queue the follower emails that no worker is sending (after a crash, or retries due)."

    def handle(self, *args: Any, **options: Any) -> None:
        planned = tasks.recover_unplanned()
        if planned:
            self.stdout.write(f"Queued the planning of {len(planned)} part(s) gone live.")
        ids = tasks.recover()
        self.stdout.write(f"Queued the pending emails of {len(ids)} notification(s).")
