from django.template.response import TemplateResponse
from django.utils import translation
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, Page

from newsroom.listing import paginate

MAX_QUERY_LENGTH = 200


def search(request):
    """Full-text search over the live, public pages of the reader's language."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    locale = Locale.objects.get_for_language(translation.get_language())
    results = None
    promotions = []
    if query:
        pages = Page.objects.live().public().filter(locale=locale).specific()
        results = paginate(pages.search(query), request, per_page=20)
        search_query = Query.get(query)
        search_query.add_hit()
        promotions = search_query.editors_picks.filter(page__live=True, page__locale=locale)
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "results": results, "promotions": promotions},
    )
