"""Admin forms for the series page types."""

from __future__ import annotations

from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm


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
            from .models.parts import count_part_pages

            existing = count_part_pages(self.instance)
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
