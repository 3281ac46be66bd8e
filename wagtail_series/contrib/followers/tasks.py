"""The followers' background work, as django-tasks tasks on ``TASK_BACKEND`` (a worker in
production: django-tasks-db's ``db_worker``; see docs/followers.md).

- ``send_confirmation``: the confirmation email of one follow request.
- ``part_went_live``: a part went live for the first time. The worker checks with the reader
  that anonymous readers see it, in a public series; then, in one transaction, records the
  part's ``Notification`` (unique per page: never twice) and one ``Delivery`` per follower's
  address (unique per notification and address: one email naming every followed series the
  part is in), pings the WebSub hub and queues ``deliver_notification``.
- ``deliver_notification``: claims batches of pending deliveries (``FOLLOWERS_BATCH_SIZE``) and
  sends each batch over one SMTP connection, recording each email as sent together with its
  hand-over to the server (see ``_send``). Claims are taken as the webhook deliveries' are
  (``propagation.tasks``): a conditional UPDATE, after ``SELECT ... FOR UPDATE SKIP LOCKED`` on
  PostgreSQL, so two workers split the work and never send the same email; a worker killed
  mid-batch leaves its claim, which expires after ``FOLLOWERS_CLAIM_TIMEOUT``;
  ``send_pending_notifications`` (cron) then queues the rest again.

A hard rejection (a 5xx answer to the recipient) marks the address inactive; temporary failures
are retried with backoff, up to ``FOLLOWERS_MAX_ATTEMPTS``. Nothing here raises.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
import socket
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import sanitize_address
from django.db import connections, router, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task, task_backends

from ... import reader
from ...compat import get_page_model
from ...conf import series_settings
from ...models import LinkedPart, SeriesPage
from ...models.linked import entry_content_type_ids
from . import emails, websub
from .models import Delivery, Follower, Notification, PublishChoice

__all__ = [
    "deliver_notification",
    "enqueue",
    "part_went_live",
    "recover",
    "send_confirmation",
]

logger = logging.getLogger("wagtail_series.followers")


def enqueue(task_obj: Any, *args: Any, **kwargs: Any) -> Any:
    """Enqueue on the configured backend (``TASK_BACKEND``)."""
    return task_obj.using(backend=series_settings.TASK_BACKEND).enqueue(*args, **kwargs)


def _can_defer() -> bool:
    return bool(task_backends[series_settings.TASK_BACKEND].supports_defer)


@task()
def send_confirmation(email: str, series_id: int) -> None:
    """Send the confirmation email of a follow request."""
    try:
        series = SeriesPage.objects.filter(pk=series_id).first()
        if series is None:
            return
        emails.confirmation_email(series, email).send()
    except Exception:
        logger.exception("wagtail-series: confirmation email for series %s failed", series_id)


@task()
def part_went_live(page_id: int, revision_id: int | None = None) -> None:
    """Plan the emails about a part that went live for the first time (module docstring)."""
    try:
        notification = plan(page_id, revision_id)
    except Exception:
        logger.exception("wagtail-series: planning follower emails for page %s failed", page_id)
        return
    if notification is not None and not notification.silent:
        enqueue(deliver_notification, notification.pk)


@task()
def restriction_lifted(path: str, lifted_at: str) -> None:
    """A view restriction on the page at ``path`` went: the live parts at or below it that were
    never announced may be visible to anonymous readers for the first time. Each is planned as
    if it went live now (only followers confirmed by then are told); ``plan`` ignores those
    still hidden."""
    try:
        went_public_at = datetime.fromisoformat(lifted_at)
        for page_id, revision_id in _unannounced_live_parts(Q(path__startswith=path)):
            notification = plan(page_id, revision_id, went_public_at=went_public_at)
            if notification is not None and not notification.silent:
                enqueue(deliver_notification, notification.pk)
    except Exception:
        logger.exception("wagtail-series: planning follower emails under %s failed", path)


@task()
def deliver_notification(notification_id: int) -> None:
    """Send the pending emails of one notification, batch after batch, until none is left."""
    try:
        deliver(notification_id)
    except Exception:
        logger.exception("wagtail-series: follower emails of %s failed", notification_id)


# --- Planning ----------------------------------------------------------------------------------


def plan(
    page_id: int, revision_id: int | None = None, went_public_at: datetime | None = None
) -> Notification | None:
    """Record the part's notification and its deliveries; None if it has one already or
    anonymous readers don't see it in a public series. ``went_public_at``: when anonymous
    readers first could see it, if not when it was first published (a view restriction lifted
    from a live part)."""
    page = get_page_model().objects.filter(pk=page_id).first()
    if page is None:
        return None
    page = page.specific
    if not page.live or not reader.page_is_public(page):
        return None
    # Every public series it is a published part of for anonymous readers (a child part, or a
    # page linked in several series: one email naming them all), by the reader's rules.
    series_list = [
        position.outline.series
        for position in reader.get_part_positions(page, None)
        if reader.series_is_public(position.outline.series)
    ]
    if not series_list:
        return None
    silent = (
        revision_id is not None
        and PublishChoice.objects.filter(revision_id=revision_id, notify=False).exists()
    )
    series_ids = sorted(series.pk for series in series_list)
    with transaction.atomic(using=router.db_for_write(Notification)):
        notification, created = Notification.objects.get_or_create(
            page_id=page.pk,
            defaults={"series_ids": series_ids, "revision_id": revision_id, "silent": silent},
        )
        if not created:
            return None
        if not silent:
            followed: dict[str, list[int]] = defaultdict(list)
            # Who followed when the part went live (not who followed since the task was queued).
            went_live = (
                went_public_at or getattr(page, "first_published_at", None) or timezone.now()
            )
            rows = Follower.objects.filter(
                series_id__in=series_ids, active=True, confirmed_at__lte=went_live
            ).values_list("email", "series_id")
            for email, series_id in rows.iterator(chunk_size=5000):
                followed[email].append(series_id)
            Delivery.objects.bulk_create(
                (
                    Delivery(notification=notification, email=email, series_ids=sorted(ids))
                    for email, ids in followed.items()
                ),
                batch_size=1000,
                ignore_conflicts=True,
            )
    websub.ping(websub.feed_urls(series_list))
    return notification


# --- Sending -----------------------------------------------------------------------------------


def claimable(now: datetime | None = None) -> Q:
    """Pending deliveries due now that no live sender holds."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=series_settings.FOLLOWERS_CLAIM_TIMEOUT)
    return (
        Q(status=Delivery.Status.PENDING)
        & Q(next_attempt_at__lte=now)
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
    )


def claim_batch(notification_id: int, size: int | None = None) -> tuple[uuid.UUID, list[Delivery]]:
    """Claim up to ``size`` pending deliveries of the notification; the claim and its rows."""
    size = size or series_settings.FOLLOWERS_BATCH_SIZE
    now = timezone.now()
    token = uuid.uuid4()
    database = router.db_for_write(Delivery)
    candidates = Delivery.objects.filter(claimable(now), notification_id=notification_id)
    with transaction.atomic(using=database):
        if connections[database].features.has_select_for_update_skip_locked:
            # PostgreSQL: rows another sender is claiming right now are skipped, not waited for.
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return token, []
        # The claim itself: only rows still claimable (on every database).
        Delivery.objects.filter(claimable(now), pk__in=ids).update(claim=token, claimed_at=now)
    return token, list(Delivery.objects.filter(claim=token).order_by("pk"))


def deliver(notification_id: int) -> int:
    """Send every pending email of the notification; how many were sent."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.silent:
        return 0
    page = get_page_model().objects.filter(pk=notification.page_id).first()
    if page is None:
        return 0
    page = page.specific
    series_list = list(SeriesPage.objects.filter(pk__in=notification.series_ids))
    announcement = emails.Announcement.load(page, series_list)
    sent = 0
    while True:
        token, batch = claim_batch(notification.pk)
        if not batch:
            break
        sent += _send_batch(announcement, token, batch)
    return sent


def _send_batch(announcement: emails.Announcement, token: uuid.UUID, batch: list[Delivery]) -> int:
    connection = get_connection()
    sent = 0
    try:
        connection.open()
    except Exception as error:
        for delivery in batch:
            _failed(delivery, token, error, temporary=True)
        return 0
    try:
        for delivery in batch:
            message = announcement.email(delivery.email, delivery.series_ids)
            if message is None:
                _finish(delivery, token, Delivery.Status.FAILED, error="part no longer shown")
                continue
            # The same Message-ID on every attempt: mail clients drop a repeated one.
            message.extra_headers["Message-ID"] = f"<{delivery.uuid}@wagtail-series>"
            message.connection = connection
            try:
                _send(connection, message, delivery, token)
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _text in error.recipients.values()]
                _failed(delivery, token, error, temporary=not any(c >= 500 for c in codes))
                continue
            except (smtplib.SMTPException, OSError) as error:
                code = getattr(error, "smtp_code", 0) or 0
                _failed(delivery, token, error, temporary=code < 500, bounce=False)
                continue
            sent += 1
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return sent


def _send(connection: Any, message: Any, delivery: Delivery, token: uuid.UUID) -> None:
    """Hand ``message`` to the mail server and record it as sent, exactly once.

    Over Django's SMTP backend, the SMTP dialogue is spoken here so that the record and the
    hand-over happen together: the row is updated in a transaction, the data's final line
    ("." that makes the server take the message) is sent, and the transaction commits, a few
    microseconds apart. A worker killed before the final line sent nothing (its row stays
    pending, the next sender sends it); killed after the commit, its row says sent. A server
    that then refuses the message, while the worker lives, puts the delivery back (or fails
    it). Other backends (locmem, console, HTTP APIs) send first and record after: a worker
    killed in between may send that one email twice.
    """
    smtp = getattr(connection, "connection", None)
    if not isinstance(smtp, smtplib.SMTP):
        message.send()
        _mark_sent(delivery, token)
        return
    encoding = message.encoding or settings.DEFAULT_CHARSET
    from_email = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    options = ["SMTPUTF8"] if any(not r.isascii() for r in recipients) else []
    code, reply = smtp.mail(from_email, options)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, reply, from_email)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if len(refused) == len(recipients):
        _reset(smtp)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("data")
    if code != 354:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)
    body = re.sub(rb"(?m)^\.", b"..", data)
    if smtp.sock is not None:
        # The data and its final line go out in two writes: without this, Nagle's algorithm
        # holds the second until the first is acknowledged (tens of ms per email).
        with contextlib.suppress(OSError):
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    # The message is handed over by its final line and recorded by the commit, sent right after
    # it: a sender killed before the line leaves the delivery pending (nothing was delivered),
    # one killed after the commit left it sent. Only a kill between the two system calls could
    # send it twice.
    with transaction.atomic(using=router.db_for_write(Delivery)):
        _mark_sent(delivery, token)
        smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        _reset(smtp)
        # Refused after all, while this sender lives: undo the record (_failed decides what
        # follows).
        Delivery.objects.filter(pk=delivery.pk, claim=token).update(
            status=Delivery.Status.PENDING, sent_at=None, attempts=F("attempts") - 1
        )
        raise smtplib.SMTPDataError(code, reply)


def _reset(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.rset()


def _mark_sent(delivery: Delivery, token: uuid.UUID) -> None:
    """Record the email as sent (the claim stays on the row: it says which sender sent it)."""
    Delivery.objects.filter(pk=delivery.pk, claim=token).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
    )


def _finish(delivery: Delivery, token: uuid.UUID, status: str, error: str = "") -> None:
    """Record the outcome, if the claim is still ours."""
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, claim=token).update(
        status=status,
        attempts=F("attempts") + 1,
        sent_at=now if status == Delivery.Status.SENT else None,
        claim=None,
        claimed_at=None,
        last_error=error,
    )


def _failed(
    delivery: Delivery,
    token: uuid.UUID,
    error: Exception,
    *,
    temporary: bool,
    bounce: bool = True,
) -> None:
    attempts = delivery.attempts + 1
    if not temporary or attempts >= series_settings.FOLLOWERS_MAX_ATTEMPTS:
        _finish(delivery, token, Delivery.Status.FAILED, error=str(error)[:2000])
        if not temporary and bounce:
            # A hard rejection of the address: it stops following everything.
            Follower.objects.filter(email=delivery.email, active=True).update(
                active=False, bounced_at=timezone.now()
            )
        return
    retry_at = timezone.now() + timedelta(seconds=60 * 2 ** (attempts - 1))
    Delivery.objects.filter(pk=delivery.pk, claim=token).update(
        attempts=attempts,
        claim=None,
        claimed_at=None,
        next_attempt_at=retry_at,
        last_error=str(error)[:2000],
    )
    if _can_defer():
        deliver_notification.using(
            backend=series_settings.TASK_BACKEND, run_after=retry_at
        ).enqueue(delivery.notification_id)


def recover(now: datetime | None = None) -> list[int]:
    """Queue ``deliver_notification`` for every notification with emails due that no live
    sender holds (a worker killed mid-batch, a retry on a backend that can't defer). Returns
    the notifications' ids. Run by ``send_pending_notifications``."""
    ids = list(
        Delivery.objects.filter(claimable(now))
        .values_list("notification_id", flat=True)
        .distinct()
        .order_by("notification_id")
    )
    for notification_id in ids:
        enqueue(deliver_notification, notification_id)
    return ids


def recover_unplanned(now: datetime | None = None) -> list[int]:
    """Queue ``part_went_live`` again for every part that went live for the first time but has
    no notification: its task was lost with its worker (a worker killed while planning leaves
    the task unfinished, and no one runs it again). Parts first published between
    ``FOLLOWERS_RECOVERY_WINDOW`` and ``FOLLOWERS_CLAIM_TIMEOUT`` seconds ago (a live worker has
    planned a part long before that). Planning is idempotent: a part gets one notification
    whatever runs it. Returns the pages' ids. Run by ``send_pending_notifications``."""
    now = now or timezone.now()
    newest = now - timedelta(seconds=series_settings.FOLLOWERS_CLAIM_TIMEOUT)
    oldest = now - timedelta(seconds=series_settings.FOLLOWERS_RECOVERY_WINDOW)
    ids = []
    for page_id, revision_id in _unannounced_live_parts(
        Q(first_published_at__range=(oldest, newest))
    ):
        enqueue(part_went_live, page_id, revision_id)
        ids.append(page_id)
    return ids


def _unannounced_live_parts(where: Q) -> list[tuple[int, int | None]]:
    """(id, live revision id) of the live parts matching ``where`` with no notification: part
    pages, and the pages live linked parts point at (any page type). One query."""
    in_a_series = Q(content_type_id__in=entry_content_type_ids()) | Q(
        pk__in=LinkedPart.objects.filter(live=True).values("target_id")
    )
    return list(
        get_page_model()
        .objects.filter(in_a_series, where, live=True)
        .exclude(pk__in=Notification.objects.values("page_id"))
        .order_by("pk")
        .values_list("pk", "live_revision_id")
    )
