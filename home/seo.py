"""What search engines and social networks read: robots.txt, canonical URLs, structured data."""

import json

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Site

# Open Graph names a locale language_TERRITORY. The territory is the one whose usage the
# organisation's texts follow (British English, as the OSCE writes).
OPEN_GRAPH_LOCALES = {
    "en": "en_GB",
    "fr": "fr_FR",
    "de": "de_DE",
    "it": "it_IT",
    "ru": "ru_RU",
    "es": "es_ES",
}
HEADLINE_LENGTH = 110

JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        *(f"Disallow: /{code}/search/" for code, _name in settings.LANGUAGES),
        "",
        f"Sitemap: {site_root(request)}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def ancestors_of(request, page):
    """The page's ancestors below the root, fetched once per request."""
    memo = request.__dict__.setdefault("_ancestors", {})
    if page.pk not in memo:
        memo[page.pk] = list(page.get_ancestors().filter(depth__gte=2))
    return memo[page.pk]


def json_ld(data):
    """JSON for a <script type="application/ld+json"> block, safe against "</script>"."""
    return json.dumps(data, ensure_ascii=False, default=str).translate(JSON_SCRIPT_ESCAPES)


def site_root(request):
    """The site's address (scheme, host, port) for absolute links, from its Site record."""
    site = Site.find_for_request(request)
    return site.root_url if site else request.build_absolute_uri("/").rstrip("/")


def absolute_url(request, url):
    return site_root(request) + url if url.startswith("/") else url


def open_graph_locale(language_code):
    language = language_code.split("-")[0].lower()
    return OPEN_GRAPH_LOCALES.get(language, f"{language}_{language.upper()}")


def shorten(text, length):
    """``text`` cut at the last word boundary within ``length`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
