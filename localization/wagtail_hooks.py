from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import TranslatableMixin

from .roles import is_translator, translator_locales
from .views import TranslationDashboardView


@hooks.register("register_admin_urls")
def register_dashboard_url():
    return [
        path(
            "translations/",
            TranslationDashboardView.as_view(),
            name="localization_dashboard",
        )
    ]


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return MenuItem(
        _("Translations"),
        reverse("localization_dashboard"),
        name="translations-dashboard",
        icon_name="wagtail-localize-language",
        order=250,
    )


def _check_snippet_language(request, instances):
    user = request.user
    if user.is_superuser or not is_translator(user):
        return
    allowed = set(translator_locales(user).values_list("pk", flat=True))
    for instance in instances:
        if isinstance(instance, TranslatableMixin) and instance.locale_id not in allowed:
            raise PermissionDenied


@hooks.register("before_edit_snippet")
def translators_edit_their_languages_only(request, instance):
    _check_snippet_language(request, [instance])


@hooks.register("before_delete_snippet")
def translators_delete_nothing(request, instances):
    _check_snippet_language(request, instances)
