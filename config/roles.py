"""Editorial roles and the moderation workflow, created or repaired idempotently.

``setup_roles()`` is run by ``manage.py setup_roles`` (``make run``, deployments) and by the
tests. It only adds what is missing, except that it always takes the right to publish away
from Editors: that is the rule the moderation workflow rests on. It also asks the localization
app for the translators' groups, so one command sets up every role.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.workflows import ReviewTask

EDITORS = "Editors"
MODERATORS = "Moderators"

REVIEW_WORKFLOW = "Newsroom and directory review"
FALLBACK_WORKFLOW = "Moderators approval"
EDITORIAL_REVIEW = "Editorial review"
PUBLICATION_APPROVAL = "Publication approval"

EDITOR_PAGE_PERMISSIONS = ["add", "change", "lock"]
MODERATOR_PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock"]

MEDIA_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
MODERATOR_MEDIA_PERMISSIONS = MEDIA_PERMISSIONS + [
    "wagtailimages.delete_image",
    "wagtaildocs.delete_document",
]

EDITOR_MODEL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "directory.view_fieldofwork",
    "newsroom.view_publicationtype",
]
MODERATOR_MODEL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "directory.add_fieldofwork",
    "directory.change_fieldofwork",
    "directory.delete_fieldofwork",
    "newsroom.add_publicationtype",
    "newsroom.change_publicationtype",
    "newsroom.delete_publicationtype",
    "home.add_mainmenu",
    "home.change_mainmenu",
    "home.change_organisationsettings",
]

# Page types whose section is reviewed in two steps: the newsroom and the directory.
DIRECTORY_PAGE_TYPES = [
    ("directory", "fieldofworkpage"),
    ("directory", "countrypage"),
    ("directory", "institutionpage"),
    ("directory", "meetingseriespage"),
    ("directory", "meetingpage"),
]


def permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def page_permission(kind):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{kind}_page")


def grant_model_permissions(group, dotted_names):
    group.permissions.add(*[permission(name) for name in dotted_names])


def grant_page_permissions(group, page, kinds):
    for kind in kinds:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=page_permission(kind)
        )


def grant_collection_permissions(group, collection, dotted_names):
    for name in dotted_names:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission(name)
        )


def approval_task(name, *groups):
    """The review step ``name``: approved by ``groups``, never by the page's own author.

    A site set up before steps had that rule has a plain group approval of the same name:
    it is replaced in the workflows (see ``workflow_with_tasks``) and retired.
    """
    task = ReviewTask.objects.filter(name=name).first()
    if task is None:
        task = ReviewTask.objects.create(name=name)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.add(*groups)
    GroupApprovalTask.objects.filter(name=name, active=True).exclude(pk=task.pk).update(
        active=False
    )
    return task


def workflow_with_tasks(name, tasks):
    workflow, _ = Workflow.objects.get_or_create(name=name)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    current = list(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True))
    if current != [task.pk for task in tasks]:
        workflow.workflow_tasks.all().delete()
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def reviewed_sections():
    """The newsroom of every language and each top-level section holding directory pages."""
    from newsroom.models import NewsIndexPage

    directory_types = [
        ContentType.objects.get_by_natural_key(app_label, model)
        for app_label, model in DIRECTORY_PAGE_TYPES
    ]
    step = Page.steplen
    section_paths = {
        path[: 3 * step]
        for path in Page.objects.filter(content_type__in=directory_types, depth__gt=3)
        .order_by()
        .values_list("path", flat=True)
    }
    sections = list(Page.objects.filter(path__in=section_paths, depth=3))
    return sections + list(NewsIndexPage.objects.all())


def assign_workflow(workflow, pages):
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


@transaction.atomic
def setup_roles():
    """Create or complete the Editors and Moderators groups, their workflows and, when the
    localization app is installed, the translators' group of each language."""
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()

    grant_model_permissions(editors, EDITOR_MODEL_PERMISSIONS)
    grant_page_permissions(editors, root_page, EDITOR_PAGE_PERMISSIONS)
    GroupPagePermission.objects.filter(
        group=editors, permission__codename__in=["publish_page", "unlock_page", "bulk_delete_page"]
    ).delete()
    grant_collection_permissions(editors, root_collection, MEDIA_PERMISSIONS)

    grant_model_permissions(moderators, MODERATOR_MODEL_PERMISSIONS)
    grant_page_permissions(moderators, root_page, MODERATOR_PAGE_PERMISSIONS)
    grant_collection_permissions(moderators, root_collection, MODERATOR_MEDIA_PERMISSIONS)

    # A colleague checks facts, language and links; then a moderator approves and publishes.
    editorial_review = approval_task(EDITORIAL_REVIEW, editors, moderators)
    publication_approval = approval_task(PUBLICATION_APPROVAL, moderators)
    review = workflow_with_tasks(REVIEW_WORKFLOW, [editorial_review, publication_approval])
    assign_workflow(review, reviewed_sections())

    # Everything else (standard pages, the home pages, languages added later) still goes
    # through a moderator, so no page can skip review.
    fallback = workflow_with_tasks(
        FALLBACK_WORKFLOW, [approval_task(FALLBACK_WORKFLOW, moderators)]
    )
    if root_page is not None:
        WorkflowPage.objects.get_or_create(page=root_page, defaults={"workflow": fallback})

    if apps.is_installed("localization"):
        from localization.roles import ensure_translator_groups

        ensure_translator_groups(Locale.objects.exclude(pk=Locale.get_default().pk))

    return {"editors": editors, "moderators": moderators, "workflow": review}
