import hashlib
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils import translation
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, Page

from home.i18n import localized_map
from newsroom.listing import paginate
from newsroom.models import NewsItemPage
from newsroom.query import NEWEST, RELEVANCE, NewsFilters, NewsQuery, PageSearch, clean_query
from newsroom.signals import news_version

from .highlight import highlight, highlight_title

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20
COUNT_TIMEOUT = 60 * 60
CACHED_RESULTS = 100


class RankedResults:
    """A lazily ranked result list the paginator can count and slice."""

    def __init__(self, match, locale, order, count):
        self.match = match
        self.locale = locale
        self.order = order
        self._count = count

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Ranked results are only read a page at a time.")
        if not self.match or not self._count:
            return []
        start = index.start or 0
        stop = self._count if index.stop is None else index.stop
        if stop <= CACHED_RESULTS:
            return self._first_results()[start:stop]
        return self.match.ranked_ids(self.locale, self.order, start, max(0, stop - start))

    def _first_results(self):
        # Ranking a word found in every item reads all its matches (~150 ms at
        # 100,000 items); readers mostly stay on the first pages, so those are
        # kept until the next publish.
        words = " ".join(self.match.words)
        digest = hashlib.sha1(f"{self.order}|{words}".encode()).hexdigest()
        key = f"search:ranked:{news_version()}:{self.locale.pk}:{digest}"
        ids = cache.get(key)
        if ids is None:
            ids = self.match.ranked_ids(self.locale, self.order, 0, CACHED_RESULTS)
            cache.set(key, ids, COUNT_TIMEOUT)
        return ids


def _count(match, locale):
    digest = hashlib.sha1(" ".join(match.words).encode()).hexdigest()
    key = f"search:count:{news_version()}:{locale.pk}:{digest}"
    total = cache.get(key)
    if total is None:
        total = match.count(locale)
        cache.set(key, total, COUNT_TIMEOUT)
    return total


def _results(ids, match, locale, request):
    """The pages of ``ids`` in that order, news with date and issuer, excerpts highlighted."""
    news_type = ContentType.objects.get_for_model(NewsItemPage).pk
    types = dict(Page.objects.filter(pk__in=ids).values_list("pk", "content_type_id"))
    news_ids = [pk for pk in ids if types.get(pk) == news_type]
    # News as the newsroom shows it: its cards, with date and issuer.
    news = NewsQuery(NewsFilters(query=" ".join(match.words)), locale).cards(news_ids)
    others = [pk for pk in ids if pk in types and types[pk] != news_type]
    pages = {page.pk: page for page in news}
    if others:
        pages.update((page.pk, page) for page in Page.objects.filter(pk__in=others).specific())
    results = [pages[pk] for pk in ids if pk in pages]
    texts = match.excerpts(ids)
    for page in results:
        page.highlighted_title = highlight_title(page.title, match.words)
        page.excerpt = highlight(texts.get(page.pk, ""), match.words)
    return results


def search(request):
    """Full-text search over the live, public pages of the reader's language."""
    query = clean_query(request.GET.get("q", ""), MAX_QUERY_LENGTH)
    order = NEWEST if request.GET.get("order") == NEWEST else RELEVANCE
    locale = Locale.objects.get_for_language(translation.get_language())
    match = PageSearch(query)
    results = None
    promotions = []
    if query:
        ranked = RankedResults(match, locale, order, _count(match, locale) if match else 0)
        results = paginate(ranked, request, per_page=PAGE_SIZE, count=ranked.count())
        results.object_list = _results(list(results.object_list), match, locale, request)
        search_query = Query.get(query)
        search_query.add_hit()
        promotions = _promotions(search_query, locale)
    params = [("q", query)] + ([("order", NEWEST)] if order == NEWEST else [])
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "order": order,
            "results": results,
            "promotions": promotions,
            "query_string": urlencode(params) if query else "",
            "newest_query": urlencode([("q", query), ("order", NEWEST)]),
            "relevance_query": urlencode([("q", query)]),
            "words": match.words,
        },
    )


def _promotions(search_query, locale):
    """Editors' picks for this query, each shown in the reader's language when translated."""
    picks = list(search_query.editors_picks.filter(page__live=True).select_related("page"))
    if not picks:
        return []
    translated = localized_map([pick.page for pick in picks], locale, Page)
    for pick in picks:
        pick.shown_page = translated[pick.page.translation_key]
    return [pick for pick in picks if pick.shown_page.locale_id == locale.pk]
