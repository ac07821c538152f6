"""The sitemap: every language version of every page, each with its alternates.

``/sitemap.xml`` is an index of sitemap pages of at most 50,000 addresses each (the
protocol's limit), so it stays valid however large the news archive grows.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import prepare_sitemaps, sitemap
from wagtail.models import Locale, Page

from home import invalidation
from home.seo import site_root


class LocalizedSitemap(Sitemap):
    """Wagtail's sitemap covers the default site's tree only; this covers every language's."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        trees = Q()
        for root in roots.only("path"):
            trees |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(trees)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        pages = list(self.paginator.page(page).object_list)
        entries = []
        versions = defaultdict(list)
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                url_info["lang_code"] = languages.get(item.locale_id)
                entries.append((item, url_info))
                versions[item.translation_key].append(
                    {"lang_code": url_info["lang_code"], "location": url_info["location"]}
                )
        urls = []
        for item, url_info in entries:
            alternates = versions[item.translation_key]
            if len(alternates) > 1:
                # As in the pages' heads: readers whose language is not offered get English.
                default = [a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE]
                url_info["alternates"] = alternates + [
                    {"lang_code": "x-default", "location": a["location"]} for a in default
                ]
            urls.append(url_info)
        last_mods = {url.get("lastmod") for url in urls}
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


SECTION_URL_NAME = "sitemap_section"
SITEMAP_SECONDS = 24 * 60 * 60
KEPT_HEADERS = ("Content-Type", "X-Robots-Tag", "Last-Modified")


def cached_sitemap(request, section, sitemaps):
    """A sitemap page, built once per version of the site's pages.

    Built, it takes seconds at 100,000 pages; every change of a page bumps the version
    (home.invalidation), so a copy is never older than the pages it lists.
    """
    number = request.GET.get("p", "1")
    key = f"sitemap:{site_root(request)}:{section}:{number[:10]}"
    version = invalidation.version(invalidation.NEWS)
    hit = cache.get(key)
    if hit is not None and hit[0] == version:
        _version, content, headers = hit
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return response
    response = sitemap(request, sitemaps=sitemaps, section=section)
    if response.status_code == 200:
        response.render()
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        cache.set(key, (version, response.content, headers), SITEMAP_SECONDS)
    return response


@require_GET
def sitemap_index(request, sitemaps):
    """The sitemap index, its addresses from the Site record (BASE_URL) like every page's."""
    root = site_root(request)
    entries = []
    for section, section_map in prepare_sitemaps(request, sitemaps).items():
        url = root + reverse(SECTION_URL_NAME, kwargs={"section": section})
        for number in section_map.paginator.page_range:
            entries.append(SitemapIndexItem(url if number == 1 else f"{url}?p={number}"))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
