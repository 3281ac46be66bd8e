"""Receivers that turn page, restriction and site events into ``propagation.series_changed``.

Each receiver only works out which series are affected, which page the event is about and what
kind of event it is; ``propagation`` decides what follows. Connected in
``WagtailSeriesAppConfig.ready()`` through ``register_signal_handlers()``.

Event names (the webhook ``event``): "published" (a part, a series or a page above it went
live or published changes, or a live page was created: a live copy or an alias), "scheduled" (a
never-published page got a go-live date: it stays forthcoming, with a new expected date),
"unscheduled" (that go-live date was cancelled: the expected date falls back), "unpublished"
(by hand or by expiry), "deleted", "moved" (moved, reordered or renamed), "restriction",
"updated" (an announced draft's announcement changed), "site". "saved" only bumps the series
version: a live page's row is saved on its way to being published, and a revision or draft
changes nothing readers see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.signals import request_finished, request_started
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.models import PageViewRestriction, Revision, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import propagation, reader
from .compat import get_page_model
from .models import LinkedPart, SeriesPage, SeriesPartMixin, get_part_models
from .propagation import listing

if TYPE_CHECKING:
    from wagtail.models import Page


def _subject(page: Any) -> Any:
    """The page a webhook names: a part or a series; None for a page above a series."""
    return page if isinstance(page, SeriesPage | SeriesPartMixin) else None


def on_page_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Also when Wagtail only scheduled the page (instance.live is False): its expected date,
    # shown to readers, is now the scheduled go-live date. Any page: an ancestor's slug is in
    # the URL of every series below it. The listings' date is left alone: Wagtail saved the
    # page's row before sending this, and on_series_page_saved stored it then.
    affected = propagation.series_ids_for_page(instance) | propagation.series_ids_under(instance)
    propagation.series_changed(
        affected,
        event="published" if instance.live else "scheduled",
        page=_subject(instance),
        listing_change="unchanged",
    )
    _linked_page_changed(instance, affected, "published" if instance.live else "scheduled")
    if instance.live:
        _links_changed(instance, affected)


def _linked_page_changed(page: Any, affected: set[int], event: str) -> None:
    # The series that link the page (LinkedPart) show it as a part too: any page type. Their
    # listing date reads its date (recomputed: the row save above wasn't one of theirs).
    propagation.series_changed(
        propagation.series_ids_linked_to(page) - affected,
        event=event,
        page=page,
        linked_page=True,
    )


def _links_changed(page: Any, affected: set[int]) -> None:
    # Rich-text links to a part, or to a translation of it, become links or "coming soon"
    # placeholders with it (see rich_text): the series that show them changed too.
    if isinstance(page, SeriesPartMixin):
        propagation.series_changed(
            propagation.series_ids_linking_to(page) - affected, event="updated"
        )


def on_page_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    # The page was live until now: its URL must be purged, and revalidated if it was public.
    affected = propagation.series_ids_for_page(instance) | propagation.series_ids_under(instance)
    propagation.series_changed(
        affected,
        event="unpublished",
        page=_subject(instance),
        previous=propagation.previous_urls(instance) if propagation.propagation_enabled() else None,
    )
    _linked_page_changed(instance, affected, "unpublished")
    _links_changed(instance, affected)


# What readers see of a part that is not live: its announcement.
_ANNOUNCEMENT = ("live", "announce_forthcoming", "title", *SeriesPartMixin.ANNOUNCEMENT_FIELDS)
# What a part's save is compared on: its announcement and what the listings' date reads.
_COMPARED = tuple(dict.fromkeys((*_ANNOUNCEMENT, *reader.LATEST_PART_DATE_FIELDS)))


def _untouched(instance: Any, update_fields: Any) -> bool:
    """A save that writes none of the fields compared (a revision stored: Wagtail saves only
    ``latest_revision`` and friends), or for a series page, not the listings' date."""
    if update_fields is None:
        return False
    if isinstance(instance, SeriesPage):
        return listing.FIELD not in update_fields
    return not set(update_fields) & set(_COMPARED)


def on_series_page_pre_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # Remember the part as it was before this save (see on_series_page_saved).
    if raw or instance.pk is None or not isinstance(instance, SeriesPartMixin):
        return
    if _untouched(instance, kwargs.get("update_fields")):
        return
    # A part type is a page type: its manager is the page model's `objects`.
    part_type = cast("type[Page]", type(instance))
    # Set in the instance's __dict__, where on_series_page_saved pops it.
    instance.__dict__["_wagtail_series_before"] = (
        part_type.objects.filter(pk=instance.pk).values(*_COMPARED).first()
    )


def on_series_page_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # Draft saves of a forthcoming part change its announcement (the row holds the draft).
    if raw:
        return
    before = instance.__dict__.pop("_wagtail_series_before", None)
    created = bool(kwargs.get("created"))
    if created and instance.live:
        # Created live: an alias (Wagtail's create_alias, copy_for_translation(alias=True)) sends
        # no page_published; a live copy sends it too (one batch in a request).
        event = "published"
    elif _announcement_changed(instance, before, kwargs):
        event = "updated"
    else:
        event = "saved"
    update_fields = kwargs.get("update_fields")
    if _untouched(instance, update_fields):
        listing_change: reader.DateChange = "unchanged"
    elif isinstance(instance, SeriesPage):
        # Recomputed, and set on the instance: its row may have come from an old revision.
        listing_change = "any"
    elif isinstance(instance, LinkedPart):
        # What counts is its target's date, which no field of its own says.
        listing_change = "any"
    elif update_fields is not None:
        # Some of the fields compared were left out of the row: the instance isn't the row.
        listing_change = "any"
    else:
        listing_change = reader.latest_part_date_change(before, instance, created=created)
    propagation.series_changed(
        propagation.series_ids_for_page(instance),
        event=event,
        page=instance,
        listing_change=listing_change,
        # Wagtail publishes by saving the row live, then sends page_published.
        published_next=bool(instance.live and before is not None and not before["live"]),
    )


def _announcement_changed(instance: Any, before: dict | None, kwargs: dict) -> bool:
    """Whether this save changed what readers see of a part that is not live, and no other
    signal will say so.

    Publishing, scheduling and unpublishing save the row too, then send their own signal, and a
    live page's row changes only through them. So: a part not live before nor after whose
    announcement (shown only if announced before or after) differs; or created announced.
    """
    if not isinstance(instance, SeriesPartMixin) or instance.live:
        return False
    if kwargs.get("created"):
        return instance.announce_forthcoming
    if before is None or before["live"]:
        return False
    if not (before["announce_forthcoming"] or instance.announce_forthcoming):
        return False
    return any(before[name] != getattr(instance, name) for name in _ANNOUNCEMENT)


_UNSCHEDULED = "_wagtail_series_unscheduled"


def _series_content_type_ids() -> set[int]:
    # ContentType's manager caches these: no query after the first call.
    models = ContentType.objects.get_for_models(SeriesPage, *get_part_models())
    return {content_type.pk for content_type in models.values()}


def on_revision_pre_save(sender: Any, instance: Revision, raw: bool = False, **kwargs: Any) -> None:
    # The admin's "Cancel scheduled publish" only saves the revision with approved_go_live_at
    # None: no page signal. Note whether this save cancels a go-live date (one query, only for a
    # stored revision of a series or part saved without a go-live date).
    update_fields = kwargs.get("update_fields")
    if (
        raw
        or instance._state.adding
        or instance.approved_go_live_at is not None
        or (update_fields is not None and "approved_go_live_at" not in update_fields)
        or instance.content_type_id not in _series_content_type_ids()
    ):
        return
    if Revision.objects.filter(pk=instance.pk, approved_go_live_at__isnull=False).exists():
        setattr(instance, _UNSCHEDULED, True)


def on_revision_saved(sender: Any, instance: Revision, **kwargs: Any) -> None:
    if not instance.__dict__.pop(_UNSCHEDULED, False):
        return
    page = get_page_model().objects.filter(pk=instance.object_id).first()
    # A live page shows its live content, not its scheduled revision: readers see no change.
    if page is None or page.live:
        return
    page = page.specific_deferred
    propagation.series_changed(
        propagation.series_ids_for_page(page), event="unscheduled", page=_subject(page)
    )


def on_series_page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # A live page is unpublished first (Wagtail's pre_delete): on_page_unpublished saw its URL.
    propagation.series_changed(
        propagation.series_ids_for_page(instance), event="deleted", page=instance
    )


def on_page_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Reordering children in the explorer is a move within the same parent.
    # With the series linking it or a page below it: their URLs changed.
    affected = propagation.series_ids_under(instance) | propagation.series_ids_linking_under(
        instance
    )
    for parent in (kwargs.get("parent_page_before"), kwargs.get("parent_page_after")):
        if parent is not None and parent.specific_class is SeriesPage:
            affected.add(parent.pk)
    if kwargs.get("url_path_before"):
        propagation.url_changed(instance, kwargs["url_path_before"])
    propagation.series_changed(affected, event="moved", page=_subject(instance.specific_deferred))


def on_page_slug_changed(sender: Any, instance: Any, instance_before: Any, **kwargs: Any) -> None:
    # Sent once the slug change is committed; the publish that made it is reported on its own.
    propagation.url_changed(instance, instance_before.url_path)
    # The series linking a page below it (its own publish covers its own): their URLs changed.
    below = propagation.series_ids_linking_under(instance) - propagation.series_ids_linked_to(
        instance
    )
    propagation.series_changed(below, event="updated")


_PREVIOUS = "_wagtail_series_previous"


def on_restriction_pre_save(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    # A new restriction: what anyone could open until now, read while it doesn't exist yet.
    if not instance._state.adding or kwargs.get("raw") or not propagation.propagation_enabled():
        return
    page = get_page_model().objects.filter(pk=instance.page_id).first()
    if page is not None and page.live:
        # The page, and the series at or below it with their feeds and public parts.
        previous = propagation.previous_urls(page.specific_deferred, with_series_below=True)
        setattr(instance, _PREVIOUS, previous)


def on_restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    # By path, not instance.page: the page may be going away in the same delete.
    page = get_page_model().objects.filter(pk=instance.page_id).first()
    previous = instance.__dict__.pop(_PREVIOUS, None)
    if page is None:
        return
    propagation.series_changed(
        propagation.series_ids_for_path(page.path),
        event="restriction",
        page=_subject(page.specific_deferred),
        previous=previous,
    )


def on_restriction_groups_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(
        instance, PageViewRestriction
    ):
        on_restriction_changed(sender, instance)


_SITE_BEFORE = "_wagtail_series_site_before"


def on_site_pre_save(sender: Any, instance: Site, raw: bool = False, **kwargs: Any) -> None:
    # Only a change of what is in the URLs leaves old URLs behind.
    if not raw:
        _remember_site_urls(instance, changed=("hostname", "port", "root_page_id"))


def on_site_pre_delete(sender: Any, instance: Site, **kwargs: Any) -> None:
    _remember_site_urls(instance, changed=None)


def _remember_site_urls(instance: Site, *, changed: tuple[str, ...] | None) -> None:
    # The URLs the site serves until now, under its old hostname, port or root: read before the
    # change (one query for the stored site, a few for its series), purged with it.
    if instance.pk is None or not propagation.propagation_enabled():
        return
    before = Site.objects.filter(pk=instance.pk).select_related("root_page").first()
    if before is None:
        return
    if changed is None or any(getattr(before, name) != getattr(instance, name) for name in changed):
        instance.__dict__[_SITE_BEFORE] = propagation.previous_site_urls(before)


def on_site_changed(sender: Any, instance: Site, **kwargs: Any) -> None:
    # Hostnames, ports and root pages are in every URL.
    propagation.series_changed(
        SeriesPage.objects.values_list("pk", flat=True),
        event="site",
        previous=instance.__dict__.pop(_SITE_BEFORE, None),
    )


def register_signal_handlers() -> None:
    page_published.connect(on_page_published, dispatch_uid="wagtail_series_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="wagtail_series_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="wagtail_series_moved")
    page_slug_changed.connect(on_page_slug_changed, dispatch_uid="wagtail_series_slug_changed")
    page_types: set[type[Model]] = {SeriesPage, *get_part_models()}
    for model in page_types:
        uid = f"wagtail_series_{model._meta.label_lower}"
        pre_save.connect(on_series_page_pre_save, sender=model, dispatch_uid=f"{uid}_pre_save")
        post_save.connect(on_series_page_saved, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(on_series_page_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
    pre_save.connect(on_revision_pre_save, sender=Revision, dispatch_uid="wagtail_series_rev_pre")
    post_save.connect(on_revision_saved, sender=Revision, dispatch_uid="wagtail_series_rev_saved")
    pre_save.connect(
        on_restriction_pre_save,
        sender=PageViewRestriction,
        dispatch_uid="wagtail_series_pvr_pre_save",
    )
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
    pre_save.connect(on_site_pre_save, sender=Site, dispatch_uid="wagtail_series_site_pre_save")
    pre_delete.connect(
        on_site_pre_delete, sender=Site, dispatch_uid="wagtail_series_site_pre_delete"
    )
    post_save.connect(on_site_changed, sender=Site, dispatch_uid="wagtail_series_site_saved")
    post_delete.connect(on_site_changed, sender=Site, dispatch_uid="wagtail_series_site_deleted")
    # Each HTTP request is one propagation batch: one purge and one webhook per change.
    request_started.connect(propagation.request_started, dispatch_uid="wagtail_series_batch_start")
    request_finished.connect(propagation.request_finished, dispatch_uid="wagtail_series_batch_end")
