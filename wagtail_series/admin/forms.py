"""Admin forms for the series page types."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateInput, AdminPageChooser

from ..compat import get_page_model
from ..conf import series_settings

if TYPE_CHECKING:
    from wagtail.models import Page


class SeriesPageForm(WagtailAdminPageForm):
    """Refuses a planned total lower than the parts that already exist.

    This lives in the editor's form, not in ``SeriesPage.clean()``: Wagtail also cleans a page when
    it publishes a saved revision (scheduled publishing, bulk actions, workflows), and a part
    added after the revision was saved must not stop that revision from going live.
    """

    def clean(self):
        cleaned_data = super().clean()
        planned = cleaned_data.get("planned_parts")
        if planned and self.instance.pk:
            # Asked of the page: the models import this module, so it can't import them.
            existing = self.instance.count_part_pages()
            if planned < existing:
                self.add_error(
                    "planned_parts",
                    ngettext(
                        "This series already has %(count)d part; the planned total can't be "
                        "lower. Leave it empty or enter %(count)d or more.",
                        "This series already has %(count)d parts; the planned total can't be "
                        "lower. Leave it empty or enter %(count)d or more.",
                        existing,
                    )
                    % {"count": existing},
                )
        return cleaned_data


class SeriesPartForm(WagtailAdminPageForm):
    """The editor's form of a part page (``SeriesPartMixin.base_form_class``): publishing or
    scheduling a part with no content yet (``has_content()``) needs a confirmation, or is refused,
    or goes through, as ``EMPTY_PART_PUBLISH`` says. Saving a draft never does.

    A form error, so it lives here rather than in the model's ``clean()``: scheduled publishing,
    workflows and bulk actions publish saved revisions without a form, and must not be stopped.
    The error sits on the ``publish_empty`` confirmation field, which ``SeriesPartPublishPanel``
    shows only then.
    """

    publish_empty = forms.BooleanField(
        label=_("Publish without content"),
        required=False,
        help_text=_(
            "Tick to publish (or schedule) this part although it has no content yet: readers "
            "will find an empty page where the announcement was."
        ),
    )

    @property
    def empty_part_publish(self) -> str:
        """The ``EMPTY_PART_PUBLISH`` setting: "confirm", "error" or "allow"."""
        return series_settings.EMPTY_PART_PUBLISH

    @property
    def publishing(self) -> bool:
        """Whether the editor asked to publish (or schedule, with a go-live date) this page."""
        return self.is_bound and bool(self.data.get("action-publish"))

    def clean(self):
        cleaned_data = super().clean()
        mode = self.empty_part_publish
        if mode == "allow" or not self.publishing or self._has_content(cleaned_data):
            return cleaned_data
        go_live_at = cleaned_data.get("go_live_at")
        scheduled = go_live_at is not None and go_live_at > timezone.now()
        if mode == "error":
            message = (
                _("This part has no content yet: add its content before scheduling it.")
                if scheduled
                else _("This part has no content yet: add its content before publishing it.")
            )
            self.add_error("publish_empty", message)
        elif not cleaned_data.get("publish_empty"):
            message = (
                _(
                    "This part has no content yet: when it goes live, readers will find an empty "
                    "page where the announcement was. Add its content, or tick “Publish without "
                    "content” and schedule it again."
                )
                if scheduled
                else _(
                    "This part has no content yet: readers will find an empty page where the "
                    "announcement was. Add its content, or tick “Publish without content” and "
                    "publish it again."
                )
            )
            self.add_error("publish_empty", message)
        return cleaned_data

    def _has_content(self, cleaned_data: dict[str, Any]) -> bool:
        """``has_content()`` of the page as this form would save it."""
        page = self.instance
        if not hasattr(page, "has_content"):
            return True
        # A copy with the submitted content: the form updates the instance only after clean().
        page = copy.copy(page)
        for name in page.CONTENT_FIELDS:
            if name in cleaned_data:
                setattr(page, name, cleaned_data[name])
        return page.has_content()


class PartTypeForm(forms.Form):
    """The page type of the parts to create, offered as a choice only when there are several.

    ``part_models``: the part page types the user may create under the series (see
    ``permissions.creatable_part_models``). Used on its own by "Announce several parts", and as
    the base of "Add forthcoming part".
    """

    def __init__(self, *args: Any, part_models: Sequence[type[Page]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.part_models = {model._meta.label_lower: model for model in part_models}
        if len(self.part_models) > 1:
            self.fields["page_type"] = forms.ChoiceField(
                label=_("Page type"),
                choices=[
                    (label, capfirst(model.get_verbose_name()))
                    for label, model in self.part_models.items()
                ],
                # The ready-made part type, when the series allows it.
                initial="wagtail_series.seriespart",
            )

    @property
    def part_model(self) -> type[Page]:
        """The page type to create (after validation)."""
        if "page_type" in self.fields:
            return self.part_models[self.cleaned_data["page_type"]]
        return next(iter(self.part_models.values()))


def expected_date_is_past(form: forms.Form) -> bool:
    """Whether a form's expected date is before today: allowed, but the part is overdue at once."""
    expected = form.cleaned_data.get("expected_date")
    return expected is not None and expected < timezone.localdate()


class ForthcomingPartForm(PartTypeForm):
    """The "Add forthcoming part" form of the Series area: one announced draft part, in one step.

    ``part_models``: the part page types the user may create under the series (see
    ``permissions.creatable_part_models``); a choice of type is offered only when there are several.
    """

    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_(
            "The part's title. Readers see it, marked “coming soon”, until it is published."
        ),
        error_messages={"required": _("Give the forthcoming part a title.")},
    )
    teaser = forms.CharField(
        label=_("Teaser"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: a sentence or two shown with the announcement."),
    )
    expected_date = forms.DateField(
        label=_("Expected date"),
        required=False,
        widget=AdminDateInput,
        help_text=_("Optional: when readers can expect this part."),
    )

    @property
    def expected_date_is_past(self) -> bool:
        """True when the expected date is before today: allowed, but the part is overdue at once."""
        return expected_date_is_past(self)


class AnnouncedPartForm(forms.Form):
    """One row of "Announce several parts": a title, a teaser and an expected date.

    Rows left blank are ignored (the formset lets them be empty); a row with anything in it needs a
    title.
    """

    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        error_messages={"required": _("Give the forthcoming part a title.")},
    )
    teaser = forms.CharField(
        label=_("Teaser"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_date = forms.DateField(label=_("Expected date"), required=False, widget=AdminDateInput)

    @property
    def expected_date_is_past(self) -> bool:
        return expected_date_is_past(self)


class BaseAnnouncedPartFormSet(forms.BaseFormSet):
    """Every row may be left blank, but at least one part must be announced."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(gettext("Give at least one forthcoming part a title."))

    @property
    def filled_forms(self) -> list[AnnouncedPartForm]:
        """The rows with something in them, in order (after validation)."""
        return [form for form in self.forms if form.has_changed()]


class LinkPageForm(forms.Form):
    """The "Link an existing page" form of the Series area: a ``LinkedPart`` at the end of
    ``series``, pointing at a page chosen anywhere in the site (none: a placeholder).

    The target can't be a series, another linked part or a page already in ``series``
    (``linked_target_error``, as ``LinkedPart.clean()`` says in the page editor).
    """

    target: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Page to link"),
        queryset=None,  # the site's page model, set in __init__
        required=False,
        help_text=_(
            "Any page of the site: it stays where it is. Leave empty for a placeholder, shown as "
            "forthcoming until you choose its page."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_(
            "Shown to readers until the linked page is live. Leave empty to use the linked "
            "page's title."
        ),
    )
    teaser = forms.CharField(
        label=_("Teaser"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: a sentence or two shown with the announcement."),
    )
    expected_date = forms.DateField(
        label=_("Expected date"),
        required=False,
        widget=AdminDateInput,
        help_text=_("Optional: when readers can expect this part."),
    )
    announce = forms.BooleanField(
        label=_("Announce while the page isn't live"),
        required=False,
        initial=True,
        help_text=_(
            "Readers see the title, teaser and expected date, marked “coming soon”, until the "
            "linked page is live. Otherwise the entry is hidden until then."
        ),
    )

    def __init__(self, *args: Any, series: Page, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.series = series
        target = self.fields["target"]
        target.queryset = get_page_model().objects.all()  # type: ignore[attr-defined]
        # Made here: the widget loads the page model, which isn't ready when models import this.
        target.widget = AdminPageChooser()

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        target = cleaned_data.get("target")
        if target is not None:
            error = linked_target_error(target, self.series.path)
            if error:
                self.add_error("target", error)
                return cleaned_data
        if not cleaned_data.get("title"):
            if target is not None:
                cleaned_data["title"] = target.title
            elif "title" not in self.errors:
                self.add_error(
                    "title", gettext("Give the placeholder a title, or choose the page to link.")
                )
        return cleaned_data

    @property
    def expected_date_is_past(self) -> bool:
        return expected_date_is_past(self)


ANNOUNCE_EXTRA_ROWS = 3
"""The empty rows "Announce several parts" offers at first, and adds with "Add rows"."""

AnnouncedPartFormSet = forms.formset_factory(
    AnnouncedPartForm,
    formset=BaseAnnouncedPartFormSet,
    extra=ANNOUNCE_EXTRA_ROWS,
    max_num=50,
    validate_max=True,
)


class LinkedPartForm(SeriesPartForm):
    """The page editor's form of ``LinkedPart``: ``LinkedPart.clean()`` checks its target against
    the series it sits in; a linked part being created isn't in the tree yet, so this form checks
    it against the series it is created in (``parent_page``)."""

    def clean(self):
        cleaned_data = super().clean()
        target = cleaned_data.get("target")
        parent = self.parent_page
        if target is not None and not self.instance.path and parent is not None:
            error = linked_target_error(target, parent.path)
            if error:
                self.add_error("target", error)
        return cleaned_data


def linked_target_error(
    target: Page | None, series_path: str | None, *, link_id: int | None = None
) -> str | None:
    """Why ``target`` can't be the page of a linked part of the series at ``series_path`` (None
    while unknown), or None when it can.

    Not a series, not another linked part, and not a page already in that series: one of its
    parts, or a page another of its linked parts (other than ``link_id``) points at. At most one
    query (the series' other linked parts).
    """
    if target is None:
        return None
    if target.pk is not None and target.pk == link_id:
        return str(_("Link an article: not a series or another linked part."))
    # By name: the models import this module (their forms), so it can't import them.
    series_model = apps.get_model("wagtail_series", "SeriesPage")
    linked_model = apps.get_model("wagtail_series", "LinkedPart")
    if issubclass(target.specific_class or type(target), (series_model, linked_model)):
        return str(_("Link an article: not a series or another linked part."))
    if series_path is None:
        return None
    steplen = linked_model.steplen
    if target.path and target.path[:-steplen] == series_path:
        return str(_("This page is already a part of this series."))
    others = linked_model.objects.filter(
        path__startswith=series_path, depth=len(series_path) // steplen + 1, target_id=target.pk
    )
    if link_id is not None:
        others = others.exclude(pk=link_id)
    if others.exists():
        return str(_("This page is already linked in this series."))
    return None
