"""Signed tokens in follower links (``django.core.signing``, salted per purpose).

- A *confirmation* token carries the address and the series; it expires
  (``FOLLOWERS_CONFIRM_MAX_AGE``) and is refused after the address unsubscribed from that series
  later than the token was signed (a replayed link).
- An *unsubscribe* token carries the address and the series an email named; it never expires
  (an old email's link must still work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing

from ...conf import series_settings

CONFIRM_SALT = "wagtail_series.followers.confirm"
UNSUBSCRIBE_SALT = "wagtail_series.followers.unsubscribe"


class BadToken(Exception):
    """Forged, damaged or expired."""


@dataclass(frozen=True)
class Confirmation:
    email: str
    series_id: int
    signed_at: datetime


def confirmation_token(email: str, series_id: int) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"e": email, "s": series_id}, compress=True
    )


def read_confirmation(token: str) -> Confirmation:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        value = signer.unsign_object(token, max_age=series_settings.FOLLOWERS_CONFIRM_MAX_AGE)
        signed_at = _signed_at(signer, token)
        return Confirmation(email=str(value["e"]), series_id=int(value["s"]), signed_at=signed_at)
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken(str(error)) from error


def _signed_at(signer: signing.TimestampSigner, token: str) -> datetime:
    # The timestamp is the part before the signature: base62 seconds.
    value = signing.Signer(salt=CONFIRM_SALT).unsign(token)
    stamp = value.rsplit(signer.sep, 1)[1]
    return datetime.fromtimestamp(signing.b62_decode(stamp), tz=UTC)


def unsubscribe_token(email: str, series_ids: list[int]) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(
        {"e": email, "s": sorted(series_ids)}, compress=True
    )


def read_unsubscribe(token: str) -> tuple[str, list[int]]:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        return str(value["e"]), [int(pk) for pk in value["s"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken(str(error)) from error
