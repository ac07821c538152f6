from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import TranslatableMixin
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation

from newsroom.admin_views import PREPARE_ROWS_HOOK

from .listing_buttons import prepare_translation_buttons
from .roles import is_translator, translator_locales
from .views import TranslationDashboardView, export_section_po, import_section_po


def translators_own_languages_only(view):
    """Wrap a wagtail-localize view that changes a translation: a translator's languages only.

    Page translations are already guarded by page permissions; snippet permissions are
    per model, so without this a French translator could change the German menu.
    """

    @wraps(view)
    def guarded(request, translation_id, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_superuser and is_translator(user):
            target = (
                Translation.objects.filter(pk=translation_id)
                .values_list("target_locale_id", flat=True)
                .first()
            )
            if target is not None and not translator_locales(user).filter(pk=target).exists():
                raise PermissionDenied
        return view(request, translation_id, *args, **kwargs)

    return guarded


GUARDED_LOCALIZE_VIEWS = [
    ("strings/<int:string_segment_id>/edit/", edit_translation.edit_string_translation),
    ("overrides/<int:overridable_segment_id>/edit/", edit_translation.edit_override),
    ("pofile/upload/", edit_translation.upload_pofile),
    ("machine_translate/", edit_translation.machine_translate),
    ("disable/", edit_translation.stop_translation),
]


@hooks.register("register_admin_urls")
def register_dashboard_url():
    # Registered before wagtail-localize's own URLs (this app comes first in
    # INSTALLED_APPS), so these guarded views answer in their place.
    guarded = [
        path(
            f"localize/translate/<int:translation_id>/{route}", translators_own_languages_only(view)
        )
        for route, view in GUARDED_LOCALIZE_VIEWS
    ]
    return [
        path(
            "translations/",
            TranslationDashboardView.as_view(),
            name="localization_dashboard",
        ),
        path("translations/po/export/", export_section_po, name="localization_export_po"),
        path("translations/po/import/", import_section_po, name="localization_import_po"),
        *guarded,
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


@hooks.register(PREPARE_ROWS_HOOK)
def translation_buttons_for_news_rows(pages):
    prepare_translation_buttons(pages)
