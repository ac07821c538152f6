"""The newsroom page and a news item's related news, as read from ``NewsQuery`` (query.py)."""

from django.core.paginator import Paginator
from django.http import Http404

from .filters import NewsFilters, read_filters
from .models import NewsItemPage
from .query import PAGE_SIZE, CountedPaginator, NewsQuery, decorate_news

__all__ = ["PAGE_SIZE", "decorate_news", "newsroom_context", "paginate", "related_news"]


def page_number(request):
    """The ``page`` the request asks for; one that is not a positive number is a 404."""
    try:
        number = int(request.GET.get("page", "1"))
    except (TypeError, ValueError):
        raise Http404("No such page of results.") from None
    if number < 1:
        raise Http404("No such page of results.")
    return number


def newsroom_context(newsroom, request):
    """The filtered, paginated listing with its facet counts and active filters."""
    locale = newsroom.locale
    form = read_filters(request.GET, locale)
    news = NewsQuery(form.filters, locale)
    page = news.page(page_number(request), PAGE_SIZE)
    url = newsroom.get_url(request)
    return {
        "rss_url": url + newsroom.reverse_subpage("rss"),
        "atom_url": url + newsroom.reverse_subpage("atom"),
        "news_page": page,
        "news_total": news.count(),
        "filters": form,
        "facets": news.facets(),
        "filter_query": form.querystring(),
    }


def related_news(item, request, limit=3):
    """Editor-picked related news, or else the latest sharing a field of work."""
    picked = [
        link.related
        for link in item.related_links.select_related("related").all()
        if link.related.live
    ]
    if picked:
        items = NewsItemPage.objects.for_listing(item.locale).filter(pk__in=[p.pk for p in picked])
        return decorate_news(items[:limit], item.locale, request)
    slugs = tuple(dict.fromkeys(term.slug for term in item.fields_of_work.all()))
    if not slugs:
        return []
    return NewsQuery(NewsFilters(fields=slugs), item.locale).latest(limit, exclude=[item.pk])


def paginate(results, request, per_page=PAGE_SIZE, count=None):
    """One page of ``results``: past the end shows the last page; not a number is a 404."""
    if count is None:
        paginator = Paginator(results, per_page)
    else:
        paginator = CountedPaginator(results, per_page, count)
    return paginator.page(min(page_number(request), paginator.num_pages))
