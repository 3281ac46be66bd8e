"""The plain row loader: page instances built from rows without running ``Model.__init__``.

``load_pages`` builds them as ``.only(*fields)`` gives them, faster; the ORM internals it relies
on are used nowhere else. ``loading`` reads part pages through it, ``linked`` linked parts'
targets.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init
from wagtail.models import Page

__all__ = ["WHOLE", "load_pages", "loads_plainly"]


def load_pages(
    model: type[Page],
    queryset: QuerySet,
    fields: Sequence[str],
    annotations: Sequence[str] = (),
    *,
    not_live_fields: Sequence[str] | None = None,
    extra_fields: Sequence[str] = (),
) -> list[Page]:
    """The pages of ``queryset`` with only ``fields`` loaded, as ``.only(*fields)`` gives them.

    Building a page instance the usual way runs modelcluster's and Wagtail's ``__init__``, which
    only handle pages being created in code, and cost more than the query for a long series (about
    two thirds of a 300-part outline). When ``__init__`` is Wagtail's and every loaded field is a
    plain Django attribute, the rows are set on instances directly, as ``Model.__init__`` would
    set them, and ``post_init`` is sent. Otherwise (a page type's own ``__init__``, a field whose
    descriptor converts values, such as a StreamField) the usual way, through ``.only()``.

    With ``not_live_fields`` (plain loading only), a row that isn't live keeps only those fields
    and the annotations: the rest of its row is its draft. The others are marked ``WHOLE``.

    ``extra_fields`` are loaded too, whatever their descriptors (not with ``not_live_fields``):
    ``values()`` hands them over as ``Model.from_db`` would, a StreamField as a lazy StreamValue.
    """
    if not loads_plainly(model, tuple(fields)):  # type: ignore[arg-type]  # mypy#11470
        if not_live_fields is not None:
            # .only() can't trim rows: it would load the drafts of parts that aren't live.
            raise ValueError(f"{model.__name__} pages can't be loaded with trimmed rows.")
        return list(queryset.only(*fields, *extra_fields))
    db = queryset.db
    kept = None if not_live_fields is None else (*not_live_fields, *annotations)
    pages = []
    for row in queryset.values(*fields, *extra_fields, *annotations):
        if kept is not None:
            if row["live"]:
                row[WHOLE] = True
            else:
                row = {name: row[name] for name in kept}
        # mypy takes a type[Any]'s __new__ for type.__new__ (Page is Any: Wagtail is untyped).
        page = model.__new__(model)  # type: ignore[call-overload]
        page._state = ModelState()
        page._state.adding, page._state.db = False, db
        page.__dict__.update(row)
        page.pk = row["id"]  # sets the parent links too (e.g. page_ptr_id)
        post_init.send(sender=model, instance=page)
        pages.append(page)
    return pages


# Set on a live part page loaded with all its fields alongside its outline.
WHOLE = "_wagtail_series_whole"
PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


@functools.cache
def loads_plainly(model: type[Page], fields: tuple[str, ...]) -> bool:
    init_owner = next(klass for klass in model.__mro__ if "__init__" in vars(klass))
    if not init_owner.__module__.startswith("wagtail."):
        return False
    for name in fields:
        attname = model._meta.get_field(name).attname
        descriptor = next(vars(k)[attname] for k in model.__mro__ if attname in vars(k))
        if type(descriptor) not in PLAIN_DESCRIPTORS:
            return False
    return True
