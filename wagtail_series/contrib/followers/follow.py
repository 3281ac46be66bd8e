"""Following, confirming and unsubscribing: the rules the form, the JSON endpoint and the links
share.

A follow request stores nothing: it checks the address and the series, counts the request
against the rate limits and queues a confirmation email carrying a signed token. Whether the
address already follows gets the same answer (and the same email), so nobody learns who follows
what. Only a confirmed token creates a ``Follower``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import reader
from ...conf import series_settings
from ...models import SeriesPage
from . import tasks, tokens
from .models import Follower

if TYPE_CHECKING:
    from django.http import HttpRequest


class FollowError(Exception):
    """A follow request refused: ``message`` says why, for the reader; ``status`` the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def clean_email(value: object) -> str:
    """The address, or FollowError: not a string, too long, a control character (header
    injection), or not an email address."""
    if not isinstance(value, str):
        raise FollowError(_("Enter a valid email address."))
    email = value.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in email) or len(email) > 254:
        raise FollowError(_("Enter a valid email address."))
    try:
        validate_email(email)
    except ValidationError as error:
        raise FollowError(_("Enter a valid email address.")) from error
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def public_series(value: object) -> SeriesPage:
    """The series with id ``value`` if anonymous readers can see it, else FollowError."""
    try:
        series_id = int(str(value))
    except (TypeError, ValueError):
        series_id = None
    if series_id is None or series_id <= 0 or series_id > 2**31 - 1:
        raise FollowError(_("This series does not exist."))
    series = SeriesPage.objects.filter(pk=series_id).first()
    if series is None or not reader.series_is_public(series):
        raise FollowError(_("This series does not exist."))
    return series


def client_ip(request: HttpRequest) -> str:
    """The client's address as Django sees it (put the proxy's real-IP middleware in front)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _hit(key: str, rate: tuple[int, int]) -> bool:
    """Count one request under ``key``; whether it is within ``rate`` (count, seconds)."""
    limit, seconds = rate
    cache = caches[series_settings.FOLLOWERS_CACHE_ALIAS]
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit


def check_rate(request: HttpRequest) -> None:
    """FollowError (429) once the client's IP made too many requests."""
    ip_key = (
        "wagtail_series_followers:ip:" + hashlib.sha256(client_ip(request).encode()).hexdigest()
    )
    if not _hit(ip_key, tuple(series_settings.FOLLOWERS_IP_RATE)):
        raise FollowError(_("Too many requests. Try again later."), status=429)


@dataclass(frozen=True)
class FollowRequest:
    email: str
    series: SeriesPage


def request_follow(request: HttpRequest, data: Mapping[str, object]) -> FollowRequest | None:
    """Check a follow request (``email``, ``series``, the honeypot ``website``) and queue its
    confirmation email. None for a filled honeypot (answered as a success, nothing sent)."""
    check_rate(request)
    if data.get("website"):
        return None
    email = clean_email(data.get("email"))
    series = public_series(data.get("series"))
    check_rate_email(request, email)
    transaction.on_commit(
        lambda: tasks.enqueue(tasks.send_confirmation, email, series.pk), robust=True
    )
    return FollowRequest(email=email, series=series)


def check_rate_email(request: HttpRequest, email: str) -> None:
    digest = hashlib.sha256(email.lower().encode()).hexdigest()
    if not _hit(
        "wagtail_series_followers:email:" + digest,
        tuple(series_settings.FOLLOWERS_EMAIL_RATE),
    ):
        raise FollowError(_("Too many requests. Try again later."), status=429)


def confirm(token: str) -> Follower:
    """Make the token's address a follower of its series, or FollowError: a forged, expired or
    replayed token (the address unsubscribed after it was signed), or a series gone."""
    try:
        confirmation = tokens.read_confirmation(token)
    except tokens.BadToken as error:
        raise FollowError(
            _("This confirmation link is not valid or has expired. Follow the series again.")
        ) from error
    series = public_series(confirmation.series_id)
    with transaction.atomic():
        follower = (
            Follower.objects.select_for_update()
            .filter(email=confirmation.email, series=series)
            .first()
        )
        if follower is None:
            return Follower.objects.create(email=confirmation.email, series=series)
        if follower.active:
            return follower
        left = follower.unsubscribed_at or follower.bounced_at
        if left is not None and left >= confirmation.signed_at:
            raise FollowError(
                _("This confirmation link was already used. Follow the series again.")
            )
        follower.active = True
        follower.confirmed_at = timezone.now()
        follower.unsubscribed_at = None
        follower.bounced_at = None
        follower.save()
        return follower


def unsubscribe(token: str) -> tuple[str, list[SeriesPage]]:
    """Stop the token's address following its series (idempotent); FollowError if forged."""
    try:
        email, series_ids = tokens.read_unsubscribe(token)
    except tokens.BadToken as error:
        raise FollowError(_("This unsubscribe link is not valid.")) from error
    Follower.objects.filter(email=email, series_id__in=series_ids, active=True).update(
        active=False, unsubscribed_at=timezone.now()
    )
    return email, list(SeriesPage.objects.filter(pk__in=series_ids))
