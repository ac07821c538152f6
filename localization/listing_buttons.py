"""wagtail-localize's "Translate this page" and "Sync translated pages" in page listings,
worked out for a whole page of rows at once.

wagtail-localize decides each button with its own queries, two or three per row:
a listing of 50 news items spent 100 queries on them. ``prepare_translation_buttons``
answers both questions for all the rows in two queries; ``translation_listing_buttons``
takes the place of wagtail-localize's listing hook and gives the same buttons, using
those answers where a listing prepared them and wagtail-localize's own function where
it did not.
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

HOOK = "register_page_listing_more_buttons"


def prepare_translation_buttons(pages):
    """Note on each page whether it has languages left to translate to and translations to sync."""
    pages = list(pages)
    if not pages:
        return
    _take_over_listing_hook()
    keys = {page.translation_key for page in pages}
    languages = set(Locale.objects.values_list("pk", flat=True))
    translated = {}
    for key, locale_id in Page.objects.filter(
        translation_key__in=keys, alias_of__isnull=True
    ).values_list("translation_key", "locale_id"):
        translated.setdefault(key, set()).add(locale_id)
    syncable = set(
        TranslationSource.objects.filter(
            object_id__in=keys,
            object__content_type=ContentType.objects.get_for_model(Page),
            translations__enabled=True,
        ).values_list("object_id", "locale_id", "pk")
    )
    sources = {(key, locale_id): pk for key, locale_id, pk in syncable}
    for page in pages:
        page.translation_buttons = (
            bool(languages - translated.get(page.translation_key, set())),
            sources.get((page.translation_key, page.locale_id)),
        )


def translation_listing_buttons(page, user, view_name=None, next_url=None):
    prepared = getattr(page, "translation_buttons", None)
    if prepared is None:
        from wagtail_localize.wagtail_hooks import page_listing_more_buttons

        yield from page_listing_more_buttons(page, user, view_name, next_url)
        return
    if page.is_root() or not user.has_perm("wagtail_localize.submit_translation"):
        return
    untranslated, source_id = prepared
    if untranslated:
        yield ListingButton(
            _("Translate this page"),
            reverse("wagtail_localize:submit_page_translation", args=[page.alias_of_id or page.id]),
            priority=60,
            icon_name="wagtail-localize-language",
        )
    if source_id is not None:
        url = reverse("wagtail_localize:update_translations", args=[source_id])
        if next_url is not None:
            url += "?" + urlencode({"next": next_url})
        yield ListingButton(_("Sync translated pages"), url, priority=60, icon_name="resubmit")


def _take_over_listing_hook():
    """Put ``translation_listing_buttons`` where wagtail-localize registered its own.

    Done on first use rather than when this app's hooks load: they load before
    wagtail-localize's (INSTALLED_APPS order), and importing those early would
    change the order in which both apps' other hooks run.
    """
    from wagtail_localize.wagtail_hooks import page_listing_more_buttons

    hooks.get_hooks(HOOK)  # loads every app's hooks, if nothing has yet
    registered = hooks._hooks.get(HOOK, [])
    for index, (fn, order) in enumerate(registered):
        if fn is page_listing_more_buttons:
            registered[index] = (translation_listing_buttons, order)
