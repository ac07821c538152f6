from django import template
from django.templatetags.static import static
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Page

from home.seo import absolute_url as _absolute
from home.seo import ancestors_of, json_ld, open_graph_locale
from home.seo import site_root as _root

register = template.Library()

# The site's mark, for pages and organisations without an image of their own. Words in an
# image would be in one language; the mark reads the same in all six.
DEFAULT_LOGO = "img/logo.png"
DEFAULT_SOCIAL_IMAGE = "img/social-default.png"


def _organisation(org, request):
    data = {
        "@type": "Organization",
        "name": org.name,
        "alternateName": org.short_name,
        "url": _root(request) + f"/{translation.get_language()}/",
    }
    if org.email:
        data["email"] = org.email
    if org.phone:
        data["telephone"] = org.phone
    if org.address:
        data["address"] = ", ".join(line.strip() for line in org.address.splitlines() if line)
    links = [url for _label, url in org.social_links]
    if links:
        data["sameAs"] = links
    data["logo"] = {"@type": "ImageObject", "url": logo_url(org, request)}
    return data


def logo_url(org, request):
    """The organisation's logo: the one set in its settings, else the site's own mark."""
    if org.logo_id:
        return _absolute(request, org.logo.get_rendition("max-512x512|format-png").url)
    return _absolute(request, static(DEFAULT_LOGO))


def _image_url(image, request):
    if image is None:
        return ""
    return _absolute(request, image.get_rendition("fill-1200x630").url)


@register.simple_tag(takes_context=True)
def social_image_url(context):
    """The page's sharing image: its own, its main image, else the site's default card."""
    page = context.get("page")
    if not isinstance(page, Page):
        return ""
    image = getattr(page, "social_image", None) or getattr(page, "hero_image", None)
    return _image_url(image, context["request"]) or _absolute(
        context["request"], static(DEFAULT_SOCIAL_IMAGE)
    )


@register.simple_tag(takes_context=True)
def description(context):
    """The page's meta description: its own, else its title and the organisation's name."""
    page = context.get("page")
    if not isinstance(page, Page):
        return ""
    own = getattr(page, "meta_description", "") or page.search_description
    if own:
        return own
    return f"{page.title} | {context['settings']['home']['OrganisationSettings'].name}"


@register.simple_tag
def og_locale(language_code):
    return open_graph_locale(language_code)


@register.simple_tag(takes_context=True)
def og_locale_alternates(context):
    """The Open Graph locales of the page's other live language versions."""
    from .navigation_tags import page_translations

    page = context.get("page")
    request = context.get("request")
    if request is None or not isinstance(page, Page):
        return []
    current = translation.get_language()
    return [open_graph_locale(code) for code in page_translations(request, page) if code != current]


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's own address, without filters, paging or tracking parameters."""
    request = context["request"]
    page = context.get("page")
    if isinstance(page, Page):
        return page.get_full_url(request)
    return request.build_absolute_uri(request.path)


@register.simple_tag(takes_context=True)
def structured_data(context):
    """schema.org JSON-LD: the organisation, the breadcrumb trail, and the news article."""
    request = context["request"]
    org = context["settings"]["home"]["OrganisationSettings"]
    page = context.get("page")
    graph = [_organisation(org, request)]
    if isinstance(page, Page):
        trail = [*(ancestors_of(request, page) if page.depth > 2 else []), page]
        graph.append(
            {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": position,
                        "name": crumb.title,
                        "item": crumb.get_full_url(request),
                    }
                    for position, crumb in enumerate(trail, start=1)
                ],
            }
        )
        # A page type adds what it is (a news article, an event) to the graph itself.
        describe = getattr(page, "structured_data", None)
        if describe is not None:
            item = describe(request, publisher=graph[0], image=social_image_url(context))
            if item:
                graph.append(item)
    data = {"@context": "https://schema.org", "@graph": graph}
    return mark_safe(f'<script type="application/ld+json">{json_ld(data)}</script>')
