"""Admin views: follower counts per series, the preview of a part's email, and finding, exporting
and deleting an address (data-protection requests).

Counts are shown to anyone who may work on the series (``admin.permissions``); addresses only to
users with the ``delete_follower`` permission (superusers).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from ... import propagation
from ...admin.permissions import series_for_user, user_has_series_access
from ...compat import get_page_model
from ...models import SeriesPage
from . import emails, follow
from .models import Delivery, Follower

ADDRESS_PERMISSION = "wagtail_series_followers.delete_follower"


def follower_counts(series_ids: list[int]) -> dict[int, int]:
    """Active followers per series: counts only, one query."""
    rows = (
        Follower.objects.filter(series_id__in=series_ids, active=True)
        .values("series_id")
        .annotate(count=Count("pk"))
    )
    return {row["series_id"]: row["count"] for row in rows}


def index(request: HttpRequest) -> HttpResponse:
    if not user_has_series_access(request.user):
        raise PermissionDenied
    series_list = list(series_for_user(request.user).order_by("title"))
    counts = follower_counts([s.pk for s in series_list])
    rows = [{"series": s, "followers": counts.get(s.pk, 0)} for s in series_list]
    return render(
        request,
        "wagtail_series_followers/admin/index.html",
        {
            "rows": rows,
            "can_manage_addresses": request.user.has_perm(ADDRESS_PERMISSION),
        },
    )


def preview(request: HttpRequest, page_id: int) -> HttpResponse:
    """The email followers get when the part ``page_id`` goes live, as if it were live now."""
    page = get_page_model().objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    page = page.specific
    series_ids = {s.pk for s in series_for_user(request.user).filter(pk__in=_series_ids(page))}
    if not series_ids:
        raise PermissionDenied
    series_list = list(SeriesPage.objects.filter(pk__in=series_ids))
    announcement = emails.Announcement.load(page, series_list)
    message = announcement.email("reader@example.com", sorted(series_ids))
    if message is None:
        return render(
            request,
            "wagtail_series_followers/admin/preview.html",
            {
                "page": page,
                "message": None,
                "note": _(
                    "This part is not published for anonymous readers yet: its email can be "
                    "previewed once it is live."
                ),
            },
        )
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return render(
        request,
        "wagtail_series_followers/admin/preview.html",
        {"page": page, "message": message, "html": html, "headers": message.extra_headers},
    )


def _series_ids(page: Any) -> set[int]:
    # A part's series, and those linking the page (any page type).
    return propagation.series_ids_for_page(page) | propagation.series_ids_linked_to(page)


def _require_address_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(ADDRESS_PERMISSION):
        raise PermissionDenied


def _address(request: HttpRequest) -> str | None:
    value = request.GET.get("email") or request.POST.get("email")
    if not value:
        return None
    try:
        return follow.clean_email(value)
    except follow.FollowError:
        return None


def address_data(email: str) -> dict[str, Any]:
    """Everything stored about ``email``: what a data-protection export hands over."""
    return {
        "email": email,
        "follows": [
            {
                "series_id": f.series_id,
                "series": f.series.title,
                "active": f.active,
                "confirmed_at": f.confirmed_at.isoformat(),
                "unsubscribed_at": f.unsubscribed_at.isoformat() if f.unsubscribed_at else None,
                "rejected_at": f.bounced_at.isoformat() if f.bounced_at else None,
            }
            for f in Follower.objects.filter(email__iexact=email).select_related("series")
        ],
        "emails": [
            {
                "part_id": d.notification.page_id,
                "series_ids": d.series_ids,
                "status": d.status,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in Delivery.objects.filter(email__iexact=email).select_related("notification")
        ],
    }


def address(request: HttpRequest) -> HttpResponse:
    _require_address_permission(request)
    email = _address(request)
    data = address_data(email) if email else None
    if data is not None and request.GET.get("export"):
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="follower-data.json"'
        return response
    return render(
        request,
        "wagtail_series_followers/admin/address.html",
        {"email": email, "query": request.GET.get("email", ""), "data": data},
    )


@require_POST
def delete_address(request: HttpRequest) -> HttpResponse:
    _require_address_permission(request)
    email = _address(request)
    if email:
        Follower.objects.filter(email__iexact=email).delete()
        Delivery.objects.filter(email__iexact=email).delete()
        messages.success(request, _("Every record of %(email)s was deleted.") % {"email": email})
    return redirect(reverse("wagtail_series_followers_admin:address"))
