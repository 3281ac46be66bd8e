"""Receivers that turn page, restriction and site events into ``propagation.series_changed``.

Each receiver only works out which series are affected; ``propagation`` decides what follows.
Connected in ``WagtailSeriesAppConfig.ready()`` through ``register_signal_handlers()``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import propagation
from .compat import get_page_model
from .models import SeriesPage, get_part_models


def on_page_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Also when Wagtail only scheduled the page (instance.live is False): its expected date,
    # shown to readers, is now the scheduled go-live date. Any page: an ancestor's slug is in
    # the URL of every series below it.
    propagation.series_changed(
        propagation.series_ids_for_page(instance) | propagation.series_ids_under(instance),
        event="published" if instance.live else "scheduled",
    )


def on_page_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    propagation.series_changed(
        propagation.series_ids_for_page(instance) | propagation.series_ids_under(instance),
        event="unpublished",
    )


def on_series_page_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # Draft saves of a forthcoming part change its announcement (the row holds the draft).
    if not raw:
        propagation.series_changed(propagation.series_ids_for_page(instance), event="saved")


def on_series_page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    propagation.series_changed(propagation.series_ids_for_page(instance), event="deleted")


def on_page_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Reordering children in the explorer is a move within the same parent.
    affected = propagation.series_ids_under(instance)
    for parent in (kwargs.get("parent_page_before"), kwargs.get("parent_page_after")):
        if parent is not None and parent.specific_class is SeriesPage:
            affected.add(parent.pk)
    propagation.series_changed(affected, event="moved")


def on_restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    # By path, not instance.page: the page may be going away in the same delete.
    path = (
        get_page_model().objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    )
    if path is not None:
        propagation.series_changed(propagation.series_ids_for_path(path), event="restriction")


def on_restriction_groups_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(
        instance, PageViewRestriction
    ):
        on_restriction_changed(sender, instance)


def on_site_changed(sender: Any, instance: Site, **kwargs: Any) -> None:
    # Hostnames, ports and root pages are in every URL.
    propagation.series_changed(SeriesPage.objects.values_list("pk", flat=True), event="site")


def register_signal_handlers() -> None:
    page_published.connect(on_page_published, dispatch_uid="wagtail_series_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="wagtail_series_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="wagtail_series_moved")
    for model in {SeriesPage, *get_part_models()}:
        uid = f"wagtail_series_{model._meta.label_lower}"
        post_save.connect(on_series_page_saved, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(on_series_page_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
    post_save.connect(
        on_restriction_changed, sender=PageViewRestriction, dispatch_uid="wagtail_series_pvr_saved"
    )
    post_delete.connect(
        on_restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="wagtail_series_pvr_deleted",
    )
    m2m_changed.connect(
        on_restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="wagtail_series_pvr_groups",
    )
    post_save.connect(on_site_changed, sender=Site, dispatch_uid="wagtail_series_site_saved")
    post_delete.connect(on_site_changed, sender=Site, dispatch_uid="wagtail_series_site_deleted")
