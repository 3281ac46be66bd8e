"""Admin forms for the series page types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateInput

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


class ForthcomingPartForm(forms.Form):
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

    @property
    def expected_date_is_past(self) -> bool:
        """True when the expected date is before today: allowed, but the part is overdue at once."""
        expected = self.cleaned_data.get("expected_date")
        return expected is not None and expected < timezone.localdate()


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
        expected = self.cleaned_data.get("expected_date")
        return expected is not None and expected < timezone.localdate()


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


ANNOUNCE_EXTRA_ROWS = 3
"""The empty rows "Announce several parts" offers at first, and adds with "Add rows"."""

AnnouncedPartFormSet = forms.formset_factory(
    AnnouncedPartForm,
    formset=BaseAnnouncedPartFormSet,
    extra=ANNOUNCE_EXTRA_ROWS,
    max_num=50,
    validate_max=True,
)


class PartTypeForm(forms.Form):
    """The page type of the parts "Announce several parts" creates, when there is a choice."""

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
                initial="wagtail_series.seriespart",
            )

    @property
    def part_model(self) -> type[Page]:
        if "page_type" in self.fields:
            return self.part_models[self.cleaned_data["page_type"]]
        return next(iter(self.part_models.values()))
