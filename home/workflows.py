"""A review step whose approver is someone other than the page's author.

Wagtail's group approval lets any member of the chosen groups approve, including the
editor who submitted the page or wrote its latest revision: an editor could approve their
own submission at "Editorial review". Four eyes are the point of the step, so here the
submitter and the last editor get no "Approve" (the button is not offered, the action is
refused, and the step is not in their "awaiting your review" list), unless the step says
otherwise for a small team.
"""

from django.db import models
from wagtail.models import AbstractGroupApprovalTask


class ReviewTask(AbstractGroupApprovalTask):
    author_may_approve = models.BooleanField(
        "the author may approve",
        default=False,
        help_text=(
            "Let the person who submitted the page, or wrote its latest revision, approve "
            "it at this step. Leave unticked so that someone else always checks."
        ),
    )

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + ["author_may_approve"]

    class Meta:
        verbose_name = "review step (approver other than the author)"
        verbose_name_plural = "review steps (approver other than the author)"

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups approve, except the person who submitted the page "
            "or last edited it"
        )

    def authors(self, obj):
        """Ids of the users who submitted ``obj`` into its workflow or wrote its latest revision."""
        ids = set()
        state = getattr(obj, "current_workflow_state", None)
        if state is not None and state.requested_by_id:
            ids.add(state.requested_by_id)
        revision = obj.get_latest_revision() if hasattr(obj, "get_latest_revision") else None
        if revision is not None and revision.user_id:
            ids.add(revision.user_id)
        return ids

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if self.author_may_approve or user.pk not in self.authors(obj):
            return actions
        return [action for action in actions if action[0] != "approve"]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if self.author_may_approve:
            return states
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)
