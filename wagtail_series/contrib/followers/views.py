"""Reader-facing views: follow (form and JSON), confirm, unsubscribe (one click, RFC 8058).

No view needs a login. The form is CSRF-protected as Django does it; the JSON endpoint (for
headless frontends on another origin, without cookies) and the one-click unsubscribe POST
(sent by mail clients) are exempt. Bad input answers 400 with a message, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import follow, tokens

# The largest JSON body the follow endpoint reads.
MAX_BODY = 4096

DONE = "wagtail_series_followers/message.html"


def _page(
    request: HttpRequest, title: str, message: str, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(request, DONE, {"title": title, "message": message, **extra}, status=status)


def _follow_message() -> str:
    return _(
        "Thank you. If this address can follow the series, a confirmation email is on its way: "
        "open its link to confirm."
    )


@never_cache
@require_POST
def follow_form(request: HttpRequest) -> HttpResponse:
    """The follow form's target: the same answer whether or not the address already follows."""
    try:
        follow.request_follow(request, request.POST.dict())
    except follow.FollowError as error:
        return _page(request, _("Follow the series"), error.message, status=error.status)
    return _page(request, _("Follow the series"), _follow_message())


@csrf_exempt
@never_cache
def follow_api(request: HttpRequest) -> JsonResponse:
    """``POST {"series": <id>, "email": "..."}`` → 202 ``{"message": ...}``; 400 or 429 with a
    ``message`` on bad input or too many requests. The same answer whether or not the address
    already follows."""
    if request.method != "POST":
        response = JsonResponse({"message": _("Use POST.")}, status=405)
        response["Allow"] = "POST"
        return response
    if len(request.body) > MAX_BODY:
        return JsonResponse({"message": _("The request is too large.")}, status=400)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return JsonResponse({"message": _("Send a JSON object.")}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"message": _("Send a JSON object.")}, status=400)
    try:
        follow.request_follow(request, data)
    except follow.FollowError as error:
        return JsonResponse({"message": error.message}, status=error.status)
    return JsonResponse({"message": _follow_message()}, status=202)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a button to confirm (link scanners only GET); POST: confirm."""
    title = _("Confirm")
    if request.method == "GET":
        try:
            confirmation = tokens.read_confirmation(token)
            series = follow.public_series(confirmation.series_id)
        except (tokens.BadToken, follow.FollowError):
            return _page(
                request,
                title,
                _("This confirmation link is not valid or has expired. Follow the series again."),
                status=400,
            )
        return _page(
            request,
            title,
            _("Confirm that %(email)s follows “%(series)s”.")
            % {"email": confirmation.email, "series": series.title},
            button=_("Confirm"),
        )
    try:
        follower = follow.confirm(token)
    except follow.FollowError as error:
        return _page(request, title, error.message, status=400)
    return _page(
        request,
        title,
        _("Thank you: %(email)s now follows “%(series)s”.")
        % {"email": follower.email, "series": follower.series.title},
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a button; POST (the button, or a mail client's RFC 8058 one-click POST): done at
    once, without login or confirmation page."""
    title = _("Unsubscribe")
    if request.method == "GET":
        try:
            email, _series_ids = tokens.read_unsubscribe(token)
        except tokens.BadToken:
            return _page(request, title, _("This unsubscribe link is not valid."), status=400)
        return _page(
            request,
            title,
            _("Stop sending emails about new parts to %(email)s?") % {"email": email},
            button=_("Unsubscribe"),
        )
    try:
        email, series_list = follow.unsubscribe(token)
    except follow.FollowError as error:
        return _page(request, title, error.message, status=400)
    return _page(
        request,
        title,
        _("%(email)s no longer follows %(series)s.")
        % {"email": email, "series": ", ".join(f"“{s.title}”" for s in series_list)},
    )
