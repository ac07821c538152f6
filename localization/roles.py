"""Translators: one group per language, allowed to edit and publish that language only.

A translator group holds page permissions on its language's home page (so on that
whole tree and nowhere else) and may change the translatable snippets; the
``before_edit_snippet`` hook keeps it to snippets in its own language.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Locale, Page

GROUP_PREFIX = "Translators: "
PAGE_PERMISSIONS = ["change_page", "publish_page"]
SNIPPET_PERMISSIONS = [
    ("directory", "change_fieldofwork"),
    ("newsroom", "change_publicationtype"),
    ("home", "change_mainmenu"),
]


def group_name(locale):
    return f"{GROUP_PREFIX}{locale.get_display_name()}"


def ensure_translator_groups(locales):
    """Create or complete the translators' group of each locale; return the groups."""
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    snippet_permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in SNIPPET_PERMISSIONS
    ]
    page_permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
    )
    groups = []
    for locale in locales:
        home = Page.objects.filter(depth=2, locale=locale).first()
        if home is None:
            continue
        group, _ = Group.objects.get_or_create(name=group_name(locale))
        group.permissions.add(admin_access, *snippet_permissions)
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        groups.append(group)
    return groups


def is_translator(user):
    return user.groups.filter(name__startswith=GROUP_PREFIX).exists()


def translator_locales(user):
    """The locales whose home page a translator group of ``user`` may change."""
    return Locale.objects.filter(
        pk__in=GroupPagePermission.objects.filter(
            group__user=user,
            group__name__startswith=GROUP_PREFIX,
            page__depth=2,
            permission__codename="change_page",
        ).values("page__locale")
    )
