"""The emails followers receive: the confirmation, and the announcement of a new part.

Rendered from overridable templates (``wagtail_series_followers/emails/*``), HTML and plain
text, in the language that is active (the site's), with the From and Reply-To of the series'
site (``FOLLOWERS_FROM_EMAIL`` / ``FOLLOWERS_REPLY_TO`` by hostname, else
``DEFAULT_FROM_EMAIL``). Every announcement carries ``List-Unsubscribe`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058) with a signed URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from ... import reader
from ...conf import series_settings
from ...reader.urls import absolute_url, site_root_url
from . import tokens

if TYPE_CHECKING:
    from wagtail.models import Page

    from ...models import SeriesPage


def site_root(page: Page) -> str:
    """The root URL (``https://example.com``) of ``page``'s site, for links in emails."""
    root = site_root_url(page, None)
    if root:
        return root.rstrip("/")
    return str(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")


def _hostname(page: Page) -> str | None:
    site = page.get_site()
    return site.hostname if site is not None else None


def sender(page: Page) -> tuple[str, list[str]]:
    """The From address and Reply-To list for emails about ``page``'s series."""
    host = _hostname(page)
    from_email = series_settings.FOLLOWERS_FROM_EMAIL.get(host) or settings.DEFAULT_FROM_EMAIL
    reply_to = series_settings.FOLLOWERS_REPLY_TO.get(host)
    return from_email, [reply_to] if reply_to else []


def confirm_url(series: SeriesPage, email: str) -> str:
    token = tokens.confirmation_token(email, series.pk)
    return site_root(series) + reverse("wagtail_series_followers:confirm", args=[token])


def unsubscribe_url(page: Page, email: str, series_ids: list[int], root: str | None = None) -> str:
    token = tokens.unsubscribe_token(email, series_ids)
    root = site_root(page) if root is None else root
    return root + reverse("wagtail_series_followers:unsubscribe", args=[token])


def _message(
    page: Page,
    to: str,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str],
    from_and_reply_to: tuple[str, list[str]] | None = None,
) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    from_email, reply_to = from_and_reply_to or sender(page)
    message = EmailMultiAlternatives(
        subject, text, from_email, [to], reply_to=reply_to, headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_email(series: SeriesPage, email: str) -> EmailMultiAlternatives:
    context = {
        "series": series,
        "series_url": absolute_url(series.get_url(None), site_root(series)),
        "confirm_url": confirm_url(series, email),
        "max_age_days": max(1, series_settings.FOLLOWERS_CONFIRM_MAX_AGE // 86400),
    }
    return _message(series, email, "wagtail_series_followers/emails/confirm", context, headers={})


@dataclass
class Announcement:
    """What an announcement says about one part: read and rendered once per part (and set of
    series named), addressed per follower. The templates get every part and series fact and
    ``unsubscribe_url``; they are not rendered per address."""

    page: Any
    # Per series the part is in: its outline entry for the part and the next forthcoming entry.
    series: dict[int, dict[str, Any]] = field(default_factory=dict)
    # The part's site: its root URL and the From and Reply-To of its emails (read once).
    root: str = ""
    sender: tuple[str, list[str]] = ("", [])
    _rendered: dict[tuple[int, ...], tuple[str, str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, page: Page, series_list: list[SeriesPage]) -> Announcement:
        announcement = cls(page=page, root=site_root(page), sender=sender(page))
        for series in series_list:
            # As an anonymous reader sees it (request None): numbering, labels, what's next.
            outline = reader.get_series_outline(series)
            position = reader.get_position_in(outline, page.pk)
            if position is None:
                continue
            entry = position.entry
            # What is announced next: the first forthcoming part after this one.
            upcoming = next(
                (e for e in outline.entries if e.is_forthcoming and e.position > entry.position),
                None,
            )
            root = site_root(series)
            announcement.series[series.pk] = {
                "series": series,
                "series_url": absolute_url(outline.url, root),
                "entry": entry,
                "part_url": absolute_url(entry.url, root),
                "next": upcoming,
            }
        return announcement

    def email(self, to: str, series_ids: list[int]) -> EmailMultiAlternatives | None:
        """The email to ``to``, who follows ``series_ids``; None if none of them shows the part.

        The templates are rendered once per set of series named (the same for every follower
        of that set); only the unsubscribe URL differs per address, put in their place."""
        named_ids = tuple(pk for pk in series_ids if pk in self.series)
        if not named_ids:
            return None
        if named_ids not in self._rendered:
            self._rendered[named_ids] = self._render(named_ids)
        subject, text, html = self._rendered[named_ids]
        unsubscribe = unsubscribe_url(self.page, to, list(named_ids), root=self.root)
        from_email, reply_to = self.sender
        message = EmailMultiAlternatives(
            subject,
            text.replace(_UNSUBSCRIBE_MARK, unsubscribe),
            from_email,
            [to],
            reply_to=reply_to,
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        # The URL is URL-safe (signed base64 and slashes): nothing to escape in HTML.
        message.attach_alternative(html.replace(_UNSUBSCRIBE_MARK, unsubscribe), "text/html")
        return message

    def _render(self, named_ids: tuple[int, ...]) -> tuple[str, str, str]:
        named = [self.series[pk] for pk in named_ids]
        first = named[0]
        context = {
            "page": self.page,
            "series_list": named,
            "series": first["series"],
            "entry": first["entry"],
            "part_url": first["part_url"],
            "next": first["next"],
            "teaser": _teaser(self.page, first["entry"]),
            "unsubscribe_url": _UNSUBSCRIBE_MARK,
        }
        template = "wagtail_series_followers/emails/new_part"
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        return subject, text, html


# Where each address's unsubscribe URL goes in the rendered templates.
_UNSUBSCRIBE_MARK = "https://unsubscribe.invalid/wagtail-series-followers-unsubscribe-url"


def _teaser(page: Page, entry: Any) -> str:
    """The part's teaser, else its search description (intro)."""
    teaser = getattr(entry, "teaser", "") or getattr(page, "search_description", "")
    return str(teaser or "")
