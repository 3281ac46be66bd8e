"""Receivers: a part going live for the first time queues ``tasks.part_went_live``; a revision
saved with "Notify followers" unticked is remembered (``PublishChoice``).

A part goes live for the first time when Wagtail publishes it and its first and last published
dates are the same publish (Wagtail sets both then; a re-publish or a publish after an
unpublish moves only the last one). Every way of publishing sends ``page_published``: the
editor, scheduled publishing (``publish_scheduled``), bulk actions, workflow approval. The
receiver does no query: the worker checks what readers see and records the rest.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.signals import request_finished
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import PageViewRestriction, Revision
from wagtail.signals import page_published

from ... import propagation
from ...compat import get_page_model
from ...models import SeriesPartMixin
from . import tasks
from .models import PublishChoice

# The editor's choice in the request being handled (see wagtail_hooks: before_edit_page).
_choice = threading.local()

NOTIFY_FIELD = "wagtail_series_followers_notify"
NOTIFY_SHOWN_FIELD = "wagtail_series_followers_notify_shown"


def remember_choice(request: Any) -> None:
    """Note the "Notify followers" checkbox of the editor's form being submitted, if shown."""
    if request.method == "POST" and request.POST.get(NOTIFY_SHOWN_FIELD):
        _choice.notify = bool(request.POST.get(NOTIFY_FIELD))
    else:
        _choice.notify = None


def forget_choice(**kwargs: Any) -> None:
    _choice.notify = None


def on_revision_saved(
    sender: Any, instance: Revision, created: bool = False, **kwargs: Any
) -> None:
    if created and getattr(_choice, "notify", None) is False:
        PublishChoice.objects.get_or_create(revision_id=instance.pk, defaults={"notify": False})


def on_page_published(sender: Any, instance: Any, revision: Any = None, **kwargs: Any) -> None:
    if not instance.live:
        return
    first = getattr(instance, "first_published_at", None)
    if first is None or first != getattr(instance, "last_published_at", None):
        return  # published before: never announced again
    # A part, or a page of any type that series link (LinkedPart): one lookup, shared with
    # propagation's in a request.
    if not isinstance(instance, SeriesPartMixin) and not propagation.series_ids_linked_to(instance):
        return
    page_id = instance.pk
    revision_id = revision.pk if revision is not None else None

    def queue() -> None:
        tasks.enqueue(tasks.part_went_live, page_id, revision_id)

    transaction.on_commit(queue, robust=True)


def on_restriction_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Parts below may be visible to anonymous readers for the first time: the worker looks.
    page = get_page_model().objects.filter(pk=instance.page_id).values_list("path").first()
    if page is None:
        return
    path, lifted_at = page[0], timezone.now().isoformat()
    transaction.on_commit(
        lambda: tasks.enqueue(tasks.restriction_lifted, path, lifted_at), robust=True
    )


def register_signal_handlers() -> None:
    page_published.connect(on_page_published, dispatch_uid="wagtail_series_followers_published")
    post_save.connect(
        on_revision_saved, sender=Revision, dispatch_uid="wagtail_series_followers_revision"
    )
    request_finished.connect(forget_choice, dispatch_uid="wagtail_series_followers_request")
    post_delete.connect(
        on_restriction_deleted,
        sender=PageViewRestriction,
        dispatch_uid="wagtail_series_followers_restriction_deleted",
    )
