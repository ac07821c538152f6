from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from home.navigation import cached_navigation
from home.seo import ancestors_of

register = template.Library()


@register.inclusion_tag("includes/mega_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    page = context.get("page")
    current = page.url if isinstance(page, Page) else request.path
    sections = cached_navigation(request)["sections"]
    return {"sections": sections, "current_url": current, "request": request}


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer's text and links in the active language."""
    return cached_navigation(context["request"])["footer"]


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return {"crumbs": []}
    request = context["request"]
    ancestors = ancestors_of(request, page)
    crumbs = [(ancestor.title, ancestor.get_url(request)) for ancestor in ancestors]
    return {"crumbs": crumbs, "current": page.title}


def page_translations(request, page):
    """Language code -> (page, URL) of each live translation of ``page``, once per request."""
    cache = getattr(request, "_page_translations", None)
    if cache is None:
        cache = request._page_translations = {}
    if page.pk not in cache:
        cache[page.pk] = {
            other.locale.language_code: (other, other.get_url(request))
            for other in page.get_translations(inclusive=True)
            .live()
            .public()
            .select_related("locale")
        }
    return cache[page.pk]


@register.inclusion_tag("localization/hreflang_links.html", takes_context=True)
def hreflang_links(context):
    """hreflang links to each language version of the page, for search engines."""
    request = context.get("request")
    page = context.get("page")
    if request is None or not isinstance(page, Page):
        return {"alternates": []}
    translations = page_translations(request, page)
    links = [
        {"code": code, "url": other.get_full_url(request)}
        for code, (other, _url) in translations.items()
    ]
    default = translations.get(settings.LANGUAGE_CODE)
    if default is not None:
        links.append({"code": "x-default", "url": default[0].get_full_url(request)})
    return {"alternates": links if len(translations) > 1 else []}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Each language leads to this page's translation, or that language's home page."""
    request = context["request"]
    page = context.get("page")
    navigation = cached_navigation(request)
    active = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        translations = {
            code: url for code, (_other, url) in page_translations(request, page).items()
        }
    names = dict(settings.LANGUAGES)
    languages = []
    for code in navigation["languages"]:
        if isinstance(page, Page):
            url = translations.get(code) or navigation["homes"].get(code, f"/{code}/")
        else:
            url = translate_url(request.get_full_path(), code)
        languages.append(
            {
                "code": code,
                "name": names.get(code, code),
                "url": url,
                "active": code == active,
                "translated": code in translations,
            }
        )
    return {"languages": languages}
