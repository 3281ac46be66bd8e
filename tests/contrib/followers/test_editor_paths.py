"""Followers are told whichever way a part goes live in the admin: a bulk publish from the
explorer and a workflow approval, as an editor does them (the publish form and
``publish_scheduled`` are in test_tasks and test_round_trip)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from tests.conftest import reload
from tests.propagation.test_editor_actions import (  # noqa: F401 (the editor fixture)
    bulk_url,
    edit_form,
    edit_url,
    editor,
)
from tests.test_webhooks import site_root  # noqa: F401 (fixture)
from wagtail_series.contrib.followers.models import Follower

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(editor):  # noqa: F811 (the fixture imported above)
    for address in FOLLOWERS:
        Follower.objects.create(email=address, series=editor.series)
    return editor


FOLLOWERS = ("a@example.com", "b@example.com")


def to_followers() -> list:
    """The emails sent to the followers (Wagtail's own, e.g. to moderators, left out)."""
    return [m for m in mail.outbox if m.to[0] in FOLLOWERS]


def sent(part_title: str) -> list[str]:
    return sorted(m.to[0] for m in to_followers() if part_title in m.subject)


def test_a_bulk_publish_tells_followers_of_each_part_once(followed):
    pages = [followed.pages["stink"], followed.pages["cannon"]]
    with followed.propagates(followed.series, "published"):
        followed.post(bulk_url("publish", *pages))
    assert all(reload(page).live for page in pages)
    assert sent("Stink Bomb") == ["a@example.com", "b@example.com"]
    assert sent("Cannon Fodder") == ["a@example.com", "b@example.com"]
    assert len(to_followers()) == 4


def test_a_workflow_approval_tells_followers_once(followed):
    moderators = Group.objects.create(name="Series moderators")
    task = GroupApprovalTask.objects.create(name="Approve parts")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Parts", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=followed.series)
    stink = followed.pages["stink"]
    followed.post(edit_url(stink), edit_form(stink, "submit"))
    assert to_followers() == []  # submitted, not live
    task_state = reload(stink).current_workflow_task_state
    with followed.propagates(followed.series, "published"):
        followed.post(
            f"/admin/pages/workflow/action/{stink.pk}/approve/{task_state.pk}/", {"comment": ""}
        )
    assert reload(stink).live
    assert sent("Stink Bomb") == ["a@example.com", "b@example.com"]
    assert len(to_followers()) == 2
