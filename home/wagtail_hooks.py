from django.db.models import Q
from django.http import Http404
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.models import Page
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Footer, MainMenu


class MainMenuViewSet(SnippetViewSet):
    model = MainMenu
    icon = "list-ul"
    menu_label = "Main menu"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["__str__", "locale"]


register_snippet(MainMenuViewSet)


class FooterViewSet(SnippetViewSet):
    model = Footer
    icon = "list-ul"
    menu_label = "Footer"
    menu_order = 301
    add_to_admin_menu = True
    list_display = ["__str__", "locale"]


register_snippet(FooterViewSet)


@hooks.register("insert_editor_js")
def autosave_before_submit():
    """The editor's Submit/Publish waits for an autosave in flight (see the script)."""
    return format_html('<script src="{}"></script>', static("home/js/autosave-before-submit.js"))


EDIT_ACTIONS = {"change", "publish"}
EDIT_CODENAMES = {f"{action}_page" for action in EDIT_ACTIONS}


def pages_visible_to(user):
    """What a user may see of the page tree in the admin's choosers: live pages outside
    private sections, the pages the user may edit or publish, and the ancestors of the
    pages their groups hold permissions on (the way down to them)."""
    policy = page_permission_policy
    editable = policy.instances_user_has_any_permission_for(user, EDIT_ACTIONS)
    ancestor_paths = {
        permission.page.path[:end]
        for permission in policy.get_cached_permissions_for_user(user)
        for end in range(Page.steplen, len(permission.page.path), Page.steplen)
    }
    return (
        (Q(live=True) & ~Page.objects.private_q())
        | Q(pk__in=editable.values("pk"))
        | Q(path__in=ancestor_paths)
    )


def may_edit_the_whole_tree(user):
    """Editors and moderators hold their permissions on the root: nothing to hide, and no
    subquery over every page to run."""
    return any(
        permission.page.depth == 1 and permission.permission.codename in EDIT_CODENAMES
        for permission in page_permission_policy.get_cached_permissions_for_user(user)
    )


@hooks.register("construct_page_chooser_queryset")
def only_pages_the_user_may_see(pages, request):
    """The page chooser (browse and search) never shows a user the title of a draft or a
    private page they may not edit: an embargoed press release stays unseen."""
    if request.user.is_superuser or may_edit_the_whole_tree(request.user):
        return pages
    visible = pages_visible_to(request.user)
    # Browsing into a page by its id would show its title as the listing's heading.
    match = request.resolver_match
    parent_id = match.kwargs.get("parent_page_id") if match else None
    if parent_id and not Page.objects.filter(visible, pk=parent_id).exists():
        raise Http404
    return pages.filter(visible)
