"""``manage.py resend_failed_webhooks [--since DATE] [--dry-run]``: send failed deliveries again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ...models import WebhookDelivery
from ...propagation.tasks import deliver_webhook, enqueue


def _plural(count: int) -> str:
    return f"{count} failed {'delivery' if count == 1 else 'deliveries'}"


class Command(BaseCommand):
    help = (
        "Send failed webhook deliveries again, with their original payload, to the endpoints "
        "still configured in WAGTAIL_SERIES['WEBHOOKS'] (with their current secrets)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--since",
            help="Only deliveries created at or after this date or datetime (ISO 8601).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(
        self, *args: Any, since: str | None = None, dry_run: bool = False, **options: Any
    ) -> None:
        deliveries = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED)
        if since:
            deliveries = deliveries.filter(created_at__gte=self._parse_since(since))
        to_send = list(deliveries.order_by("created_at", "id"))
        if dry_run:
            self.stdout.write(f"{_plural(len(to_send))} would be sent again:")
            for delivery in to_send:
                self.stdout.write(
                    f"  {delivery.created_at:%Y-%m-%d %H:%M} {delivery.event} -> "
                    f"{delivery.endpoint_url} ({delivery.attempts} attempts: "
                    f"{delivery.last_error or delivery.response_code})"
                )
            return
        ids = [delivery.pk for delivery in to_send]
        # A new round of attempts for each.
        WebhookDelivery.objects.filter(pk__in=ids).update(
            status=WebhookDelivery.Status.PENDING, attempts=0, updated_at=timezone.now()
        )
        for pk in ids:
            enqueue(deliver_webhook, pk)
        statuses = list(WebhookDelivery.objects.filter(pk__in=ids).values_list("status", flat=True))
        succeeded = statuses.count(WebhookDelivery.Status.SUCCEEDED)
        failed = statuses.count(WebhookDelivery.Status.FAILED)
        pending = statuses.count(WebhookDelivery.Status.PENDING)
        summary = f"{_plural(len(ids))} sent again: {succeeded} succeeded, {failed} failed"
        if pending:
            summary += f", {pending} queued"
        self.stdout.write(summary)

    def _parse_since(self, value: str) -> datetime:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise CommandError(f"--since: not an ISO 8601 date or datetime: {value!r}")
            moment = datetime.combine(day, datetime.min.time())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
