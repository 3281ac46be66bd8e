"""Posting to Wagtail's real page add/edit views the way a browser does.

A browser submits every field of the form, including the ones the editor didn't touch (and ticked
checkboxes such as ``announce_forthcoming``, which defaults to on). So the helpers start from the
form the admin renders, then apply the editor's changes, built with Wagtail's ``form_data``
helpers (``nested_form_data``, ``rich_text``, ``streamfield``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Site
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield


def _page_model() -> type[Any]:
    """The site's page model: Wagtail 8 lets a site swap in its own (WAGTAIL_PAGE_MODEL)."""
    try:
        import swapper
    except ImportError:  # Wagtail 7
        from wagtail.models import Page

        return Page
    return swapper.load_model("wagtailcore", "Page")


Page = _page_model()


def default_home() -> Page:
    """The default site's root page, created by Wagtail's migrations."""
    return Site.objects.get(is_default_site=True).root_page.specific


FORM_ID = "page-edit-form"  # the id of the page form, in both the create and the edit view

# The two payloads of the escaping tests, and what Django's autoescaping turns them into.
SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = '"><img src=x onerror=alert(1)>'
IMG_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
RAW_MARKUP = ("<script>alert", "alert(1)</script>", "<img src=x", '"><img')

_JSON_LD = re.compile(
    r'<script type="application/ld\+json">(.*?)</script>', flags=re.DOTALL | re.IGNORECASE
)


def add_url(model: type[Page], parent: Page) -> str:
    return reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _stream_field_names(model: type[Page]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, StreamField)]


def stream_form_data(page: Page, field_name: str) -> dict[str, Any]:
    """A StreamField's current value as the admin form posts it.

    The admin builds StreamFields in the browser (from JSON, with JavaScript), so the HTML has no
    inputs for them and ``querydict_from_html`` can't see them: Wagtail's own
    ``assertPageIsEditable``/``assertPageIsPreviewable`` crash with ``KeyError: 'body-count'`` on
    any page type with a StreamField unless they are given ``post_data``.
    """
    return streamfield(
        [
            (child.block_type, child.block.get_form_state(child.value))
            for child in getattr(page, field_name)
        ]
    )


def form_data(
    client: Client,
    url: str,
    changes: dict[str, Any],
    *,
    publish: bool,
    model: type[Page],
    instance: Page | None = None,
) -> QueryDict:
    """The form at ``url`` as the admin renders it, with ``changes`` (nested) applied.

    ``publish``: press "Publish"; otherwise "Save draft" (no action button in the data).
    A value of ``None`` in ``changes`` removes the field, as an unticked checkbox is not sent.
    ``instance``: the page being edited (its StreamFields are not in the HTML, see above).
    """
    response = client.get(url)
    assert response.status_code == 200, response
    html = response.content.decode()
    data = querydict_from_html(html, form_id=FORM_ID)
    # A ticked checkbox without a value attribute is sent as "on" by browsers;
    # querydict_from_html sends "" (which a BooleanField reads as False).
    form = WagtailTestUtils.get_soup(html).find("form", attrs={"id": FORM_ID})
    for checkbox in form.find_all("input", type="checkbox", checked=True):
        if "value" not in checkbox.attrs and checkbox.attrs.get("name"):
            data[checkbox["name"]] = "on"
    streams: dict[str, Any] = {}
    for name in _stream_field_names(model):
        if f"{name}-count" not in data:
            streams[name] = stream_form_data(instance, name) if instance else streamfield([])
    for key, value in {**nested_form_data(streams), **nested_form_data(changes)}.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    if publish:
        data["action-publish"] = "action-publish"
    return data


def edit_form_data(
    client: Client, page: Page, changes: dict[str, Any] | None = None, *, publish: bool = False
) -> QueryDict:
    page = Page.objects.get(pk=page.pk).specific
    draft = page.get_latest_revision_as_object()
    return form_data(
        client, edit_url(page), changes or {}, publish=publish, model=type(page), instance=draft
    )


def add_form_data(
    client: Client,
    model: type[Page],
    parent: Page,
    changes: dict[str, Any],
    *,
    publish: bool = False,
) -> QueryDict:
    return form_data(client, add_url(model, parent), changes, publish=publish, model=model)


def post_edit(
    client: Client, page: Page, changes: dict[str, Any] | None = None, *, publish: bool = False
) -> Any:
    return client.post(edit_url(page), edit_form_data(client, page, changes, publish=publish))


def post_add(
    client: Client,
    model: type[Page],
    parent: Page,
    changes: dict[str, Any],
    *,
    publish: bool = False,
) -> Any:
    return client.post(
        add_url(model, parent), add_form_data(client, model, parent, changes, publish=publish)
    )


def form_errors(response: Any) -> dict[str, list[str]]:
    """The page form's errors from a response that re-rendered the form (empty if it redirected)."""
    if response.status_code == 302:
        return {}
    assert response.status_code == 200, response
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def json_ld_blocks(html: str) -> list[Any]:
    """Every JSON-LD block of a page, parsed.

    A raw ``</script>`` inside a block would end it early, so its JSON would not parse.
    """
    blocks = _JSON_LD.findall(html)
    for block in blocks:
        assert "<" not in block and ">" not in block, block
    return [json.loads(block) for block in blocks]


def assert_no_raw_markup(html: str) -> None:
    for fragment in RAW_MARKUP:
        assert fragment not in html, f"{fragment!r} reached the page unescaped"
