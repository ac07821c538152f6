"""No one approves their own work: the submitter and the last editor of a page get no
"Approve" at a review step, unless that step allows it."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState

from config.roles import EDITORIAL_REVIEW
from home.workflows import ReviewTask
from tests.editors.test_moderation import act, create_as, roles, site  # noqa: F401

pytestmark = pytest.mark.django_db


def step_of(page):
    page.refresh_from_db()
    return page.current_workflow_state.current_task_state.task.specific


def test_the_submitter_cannot_approve_their_own_submission(client, editor, colleague):
    page = create_as(client, editor, "action-submit")
    assert step_of(page).name == EDITORIAL_REVIEW

    refused = act(client, editor, page, "approve")
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert step_of(page).name == EDITORIAL_REVIEW

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Approve" not in edit
    assert act(client, colleague, page, "approve").status_code in (200, 302)
    assert step_of(page).name != EDITORIAL_REVIEW


def test_the_last_editor_cannot_approve_either(client, editor, colleague, moderator):
    page = create_as(client, editor, "action-submit", title="Edited during review")
    # A colleague corrects the submitted page: now it is their work too.
    page.refresh_from_db()
    page.lead = "A corrected lead."
    page.save_revision(user=colleague)
    act(client, colleague, page, "approve")
    assert step_of(page).name == EDITORIAL_REVIEW
    assert act(client, moderator, page, "approve").status_code in (200, 302)
    assert step_of(page).name != EDITORIAL_REVIEW


def test_own_submissions_are_not_in_the_review_queue(client, editor, colleague):
    page = create_as(client, editor, "action-submit", title="Queued")
    own = TaskState.objects.reviewable_by(editor).filter(workflow_state__object_id=str(page.pk))
    theirs = TaskState.objects.reviewable_by(colleague).filter(
        workflow_state__object_id=str(page.pk)
    )
    assert not own.exists()
    assert theirs.exists()


def test_a_step_can_let_the_author_approve(client, editor):
    ReviewTask.objects.filter(name=EDITORIAL_REVIEW).update(author_may_approve=True)
    page = create_as(client, editor, "action-submit", title="Small team")
    assert act(client, editor, page, "approve").status_code in (200, 302)
    assert step_of(page).name != EDITORIAL_REVIEW
