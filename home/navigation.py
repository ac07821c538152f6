"""The mega menu, built from the editable MainMenu snippet and cached per language.

Building it touches ~170 pages, so the result is cached under the version of the
whole site (``home.invalidation``), which any publish, unpublish, move or delete of
a page (news items aside: they are not in the menu), or a save of a menu, footer,
snippet or setting bumps.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Locale, Page

from . import invalidation
from .i18n import localized_map
from .models import Footer, MainMenu

# Part of every cache key: raise it when the cached structure changes shape, so a
# deployment never reads a blob written by the previous release from a shared cache.
SCHEMA = 2
CACHE_SECONDS = 60 * 60 * 24


def bump_version():
    """The menus must be built again (and so must every page showing them)."""
    invalidation.site_changed()


def _version():
    return invalidation.version(invalidation.SITE)


def menu_for(locale):
    """The menu snippet for ``locale``, falling back to the default language's."""
    menus = {menu.locale_id: menu for menu in MainMenu.objects.all()}
    return menus.get(locale.pk) or menus.get(Locale.get_default().pk)


def _collect_page_ids(sections):
    for section in sections:
        value = section["value"]
        yield value["page"]
        for item in value.get("items") or []:
            yield item["value"]["page"]
            for link in item["value"].get("links") or []:
                # ListBlock values are stored as {"type": "item", "value": ...}.
                yield (link.get("value") or link)["page"]


def build_menu(locale, request):
    menu = menu_for(locale)
    if menu is None:
        return []
    raw = list(menu.sections.raw_data)
    ids = {pk for pk in _collect_page_ids(raw) if pk}
    pages = Page.objects.filter(pk__in=ids).only(
        "pk", "title", "url_path", "path", "depth", "translation_key", "locale_id", "live"
    )
    by_id = {page.pk: page for page in pages}
    translated = localized_map(by_id.values(), locale, Page)

    def entry(value):
        page = by_id.get(value["page"])
        if page is None or not page.live:
            return None
        page = translated[page.translation_key]
        return {"label": value.get("label") or page.title, "url": page.get_url(request)}

    sections = []
    for section in raw:
        value = section["value"]
        top = entry(value)
        if top is None:
            continue
        top["items"] = []
        for item in value.get("items") or []:
            child = entry(item["value"])
            if child is None:
                continue
            child["type"] = item["type"]
            if item["type"] == "column":
                links = (
                    entry(link.get("value") or link) for link in item["value"].get("links") or []
                )
                child["links"] = [link for link in links if link]
            top["items"].append(child)
        sections.append(top)
    return sections


def build_footer(locale, request):
    """The footer's text and links in ``locale``, from its Footer or else the English one."""
    footers = {footer.locale_id: footer for footer in Footer.objects.all()}
    footer = footers.get(locale.pk) or footers.get(Locale.get_default().pk)
    if footer is None:
        return {"text": "", "links": []}
    raw = [item["value"] for item in footer.links.raw_data]
    pages = {page.pk: page for page in Page.objects.live().filter(pk__in=[v["page"] for v in raw])}
    translated = localized_map(pages.values(), locale, Page)
    links = []
    for value in raw:
        page = pages.get(value["page"])
        if page is not None:
            page = translated[page.translation_key]
            links.append({"label": value.get("label") or page.title, "url": page.get_url(request)})
    return {"text": footer.text, "links": links}


def home_urls(request):
    """Each language's home page URL, by language code."""
    return {
        home.locale.language_code: home.get_url(request)
        for home in Page.objects.filter(depth=2).live().public().select_related("locale")
    }


def languages_in_order():
    """The codes of the site's locales, in the order of settings.LANGUAGES."""
    order = {code: index for index, (code, _name) in enumerate(settings.LANGUAGES)}
    codes = Locale.objects.values_list("language_code", flat=True)
    return sorted(codes, key=lambda code: (order.get(code, len(order)), code))


def cached_navigation(request):
    """The menu sections and each language's home page, for the active language."""
    language = translation.get_language()
    key = f"navigation:{SCHEMA}:{_version()}:{language}:{request.get_host()}"
    navigation = cache.get(key)
    if navigation is None:
        try:
            locale = Locale.objects.get_for_language(language)
        except Locale.DoesNotExist:
            locale = Locale.get_default()
        navigation = {
            "sections": build_menu(locale, request),
            "footer": build_footer(locale, request),
            "homes": home_urls(request),
            "languages": languages_in_order(),
        }
        cache.set(key, navigation, CACHE_SECONDS)
    return navigation
