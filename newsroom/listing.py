"""Everything a list of news items needs to show, in a constant number of queries."""

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.functional import cached_property

from directory.models import CountryPage, FieldOfWork, FieldOfWorkPage, InstitutionPage
from home.i18n import localized_map

from .models import NewsItemPage

PAGE_SIZE = 20


def decorate_news(items, locale, request, links=False):
    """Attach ``issuers`` and ``fields`` (label, url) to each item, and ``country_links``.

    Related objects are shown in ``locale``; an issuing unit is shown after its
    parent structure ("OSCE Secretariat, Transnational Threats Department").
    Lists show labels only, so the addresses (and the countries) are looked up
    only with ``links``, for the news item's own page. Costs at most six
    queries for any number of items, on top of the prefetches of
    ``NewsItemPage.objects.for_listing``.
    """
    items = list(items)
    if not items:
        return items

    issuers = {p.pk: p for item in items for p in item.issued_by.all()}
    issuer_map = localized_map(issuers.values(), locale, InstitutionPage)
    steplen = InstitutionPage.steplen
    parent_paths = {p.path[:-steplen] for p in issuer_map.values()}
    parents = {p.path: p for p in InstitutionPage.objects.filter(path__in=parent_paths)}

    terms = {t.pk: t for item in items for t in item.fields_of_work.all()}
    term_map = localized_map(terms.values(), locale, FieldOfWork)
    term_pages = {}
    if links and term_map:
        # Ids first: the fields' pages exist in every language, and only one each is shown.
        chosen = {}
        for pk, page_locale, key in (
            FieldOfWorkPage.objects.live()
            .public()
            .filter(
                field_of_work__translation_key__in=[t.translation_key for t in term_map.values()]
            )
            .values_list("pk", "locale_id", "field_of_work__translation_key")
        ):
            # Prefer the field's page in the reader's language.
            if key not in chosen or page_locale == locale.pk:
                chosen[key] = pk
        pages = FieldOfWorkPage.objects.in_bulk(chosen.values())
        term_pages = {key: pages[pk] for key, pk in chosen.items() if pk in pages}

    country_map = {}
    if links:
        countries = {c.pk: c for item in items for c in item.countries.all()}
        country_map = localized_map(countries.values(), locale, CountryPage)

    for item in items:
        item.issuers = []
        for issuer in item.issued_by.all():
            issuer = issuer_map[issuer.translation_key]
            parent = parents.get(issuer.path[:-steplen])
            label = issuer.issuer_display
            if parent is not None:
                label = f"{parent.issuer_display}, {label}"
            item.issuers.append((label, issuer.get_url(request) if links else None))
        item.fields = []
        for term in sorted(item.fields_of_work.all(), key=lambda t: t.name):
            term = term_map[term.translation_key]
            page = term_pages.get(term.translation_key)
            item.fields.append((term.name, page.get_url(request) if page else None))
        if links:
            item.country_links = [
                (country.title, country.get_url(request))
                for country in (country_map[c.translation_key] for c in item.countries.all())
            ]
    return items


def related_news(item, request, limit=3):
    """Editor-picked related news, or else the latest sharing a field of work."""
    picked = [
        link.related
        for link in item.related_links.select_related("related").all()
        if link.related.live
    ]
    if picked:
        items = NewsItemPage.objects.for_listing(item.locale).filter(pk__in=[p.pk for p in picked])
    else:
        keys = [term.translation_key for term in item.fields_of_work.all()]
        if not keys:
            return []
        items = (
            NewsItemPage.objects.for_listing(item.locale)
            .filter(fields_of_work__translation_key__in=keys)
            .exclude(pk=item.pk)
            .distinct()
        )
    return decorate_news(items[:limit], item.locale, request)


class KnownCountPaginator(Paginator):
    """A paginator told the number of items, so it does not count them again."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


class FilteredNews:
    """The items matching a request's filters, counted and sliced on the facet index.

    Any page of the listing, the first or the 2,500th, is read the same way:
    the index gives that page's ids, and one query (plus two prefetches) reads
    their rows.
    """

    def __init__(self, filters):
        self.filters = filters
        self.total = filters.count()

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Read a page at a time.")
        start = index.start or 0
        stop = self.total if index.stop is None else index.stop
        return news_in_order(self.filters.item_ids(start, stop), self.filters.locale)


def news_in_order(ids, locale):
    """The listed news items of ``ids`` in that order, with what cards show."""
    # Unordered: sorting by date would make the database walk the listing index
    # instead of looking the ids up.
    items = NewsItemPage.objects.with_card_data(
        NewsItemPage.objects.filter(pk__in=ids, listed_locale=locale)
    ).order_by()
    rows = {item.pk: item for item in items}
    return [rows[pk] for pk in ids if pk in rows]


def paginate(queryset, request, per_page=PAGE_SIZE, count=None):
    """One page of results: past the end shows the last page; not a number is a 404."""
    if count is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = KnownCountPaginator(queryset, per_page, count)
    number = request.GET.get("page", "1")
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404("No such page of results.") from None
    if number < 1:
        raise Http404("No such page of results.")
    return paginator.page(min(number, paginator.num_pages))


def newsroom_context(newsroom, request):
    """The filtered, paginated listing with its facet counts and active filters."""
    from .filters import NewsFilters

    locale = newsroom.locale
    filters = NewsFilters(request.GET, locale)
    news = FilteredNews(filters)
    page = paginate(news, request, count=news.total)
    page.object_list = decorate_news(page.object_list, locale, request)
    url = newsroom.get_url(request)
    return {
        "rss_url": url + newsroom.reverse_subpage("rss"),
        "atom_url": url + newsroom.reverse_subpage("atom"),
        "news_page": page,
        "news_total": news.total,
        "filters": filters,
        "facets": list(filters.facets.values()),
        "filter_query": filters.querystring(),
    }


def latest_news_about(page, request, limit=5):
    """The latest news of a hub page (field of work, country, structure) in its language."""
    items = NewsItemPage.objects.for_listing(page.locale).filter(**page.news_filter()).distinct()
    return decorate_news(items[:limit], page.locale, request)
