"""``manage.py send_pending_webhooks [--include-failed] [--since DATE] [--dry-run]``.

Sends the webhook deliveries that are pending and due: retries scheduled on a backend that runs
tasks inline (the immediate backend leaves them to this command), and deliveries whose sender
died mid-attempt (claimed longer than ``WEBHOOK_PENDING_TIMEOUT`` ago) or whose task was lost.
It also hands changes whose propagation task was lost (a worker killed mid-task: committed
more than ``PROPAGATION_TIMEOUT`` ago and never propagated) to the worker again
(``propagation.tasks.recover``). Run it every minute or so from cron (or a scheduler) beside the
worker. ``--include-failed``
also sends failed deliveries again, from their first attempt (what ``resend_failed_webhooks``
does).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ...models import WebhookDelivery
from ...propagation.tasks import claimable, deliver_webhook, due, enqueue, recover


def _count(count: int, kind: str) -> str:
    return f"{count} {kind} {'delivery' if count == 1 else 'deliveries'}"


class Command(BaseCommand):
    help = (
        "Send webhook deliveries that are pending and due (retries, and deliveries left behind "
        "by a worker that died), with their original payload, to the endpoints still configured "
        "in WAGTAIL_SERIES['WEBHOOKS'] (with their current secrets)."
    )
    # resend_failed_webhooks sends failed deliveries again whatever its options say.
    always_include_failed = False

    def add_arguments(self, parser: Any) -> None:
        if not self.always_include_failed:
            parser.add_argument(
                "--include-failed",
                action="store_true",
                help="Also send failed deliveries again, from their first attempt.",
            )
        parser.add_argument(
            "--since",
            help="Only deliveries created at or after this date or datetime (ISO 8601).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(
        self,
        *args: Any,
        since: str | None = None,
        dry_run: bool = False,
        include_failed: bool = False,
        **options: Any,
    ) -> None:
        include_failed = include_failed or self.always_include_failed
        now = timezone.now()
        if not dry_run:
            # Lost propagation first: its deliveries are then created (and sent) by the task.
            recovered = recover(now)
            if recovered:
                self.stdout.write(
                    f"{len(recovered)} series with a lost propagation queued again: "
                    + ", ".join(str(pk) for pk in recovered)
                )
        deliveries = WebhookDelivery.objects.all()
        if since:
            deliveries = deliveries.filter(created_at__gte=self._parse_since(since))
        deliveries = deliveries.order_by("created_at", "id")
        failed = list(deliveries.filter(status=WebhookDelivery.Status.FAILED))
        failed = failed if include_failed else []
        pending = list(deliveries.filter(claimable(now), due(now)))
        if dry_run:
            if include_failed:
                self._list(f"{_count(len(failed), 'failed')} would be sent again:", failed)
            self._list(f"{_count(len(pending), 'pending')} would be sent:", pending)
            return
        failed_ids = [delivery.pk for delivery in failed]
        # A new round of attempts for each failed one, due now and held by nobody.
        WebhookDelivery.objects.filter(
            pk__in=failed_ids, status=WebhookDelivery.Status.FAILED
        ).update(
            status=WebhookDelivery.Status.PENDING,
            attempts=0,
            next_attempt_at=now,
            claimed_at=None,
            updated_at=now,
        )
        pending_ids = [delivery.pk for delivery in pending]
        for pk in failed_ids + pending_ids:
            # On a worker backend, queued for the worker; on the immediate backend, one
            # attempt each, here.
            enqueue(deliver_webhook, pk)
        if include_failed:
            self.stdout.write(
                f"{_count(len(failed_ids), 'failed')} sent again: {self._outcome(failed_ids)}"
            )
        self.stdout.write(
            f"{_count(len(pending_ids), 'pending')} sent: {self._outcome(pending_ids)}"
        )

    def _list(self, heading: str, deliveries: Iterable[WebhookDelivery]) -> None:
        self.stdout.write(heading)
        for delivery in deliveries:
            self.stdout.write(
                f"  {delivery.created_at:%Y-%m-%d %H:%M} {delivery.event} -> "
                f"{delivery.endpoint_url} ({delivery.attempts} attempts: "
                f"{delivery.last_error or delivery.response_code or 'none yet'})"
            )

    def _outcome(self, ids: list[int]) -> str:
        statuses = list(WebhookDelivery.objects.filter(pk__in=ids).values_list("status", flat=True))
        summary = (
            f"{statuses.count(WebhookDelivery.Status.SUCCEEDED)} succeeded, "
            f"{statuses.count(WebhookDelivery.Status.FAILED)} failed"
        )
        pending = statuses.count(WebhookDelivery.Status.PENDING)
        if pending:
            summary += f", {pending} queued or to retry"
        return summary

    def _parse_since(self, value: str) -> datetime:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise CommandError(f"--since: not an ISO 8601 date or datetime: {value!r}")
            moment = datetime.combine(day, time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
