"""The admin's read-only list of webhook deliveries (Settings > Webhook deliveries), for
superusers: what was sent where, and how it went. ``resend_failed_webhooks`` sends failed ones
again."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from ...models import WebhookDelivery


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "resubmit"
    menu_label = _("Webhook deliveries")
    add_to_settings_menu = True
    list_display = ["event", "endpoint_url", "status", "attempts", "response_code", "created_at"]
    list_filter = ["status", "event"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "uuid",
        "event",
        "series_id",
        "endpoint_url",
        "status",
        "attempts",
        "response_code",
        "last_error",
        "payload",
        "created_at",
        "updated_at",
        "delivered_at",
    ]

    def get_urlpatterns(self) -> list[Any]:
        # Read-only: a record of what happened, not something to edit.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "history", "usage", "copy"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_permissions_to_register(self) -> Any:
        # No permission to hand out: superusers only (payloads name every change).
        return Permission.objects.none()
