"""The newsroom's read model: what readers of one language see of the news under a set of filters.

Every page that lists news asks a ``NewsQuery``: the newsroom (count, facet
counts, a page of cards), its feeds, the home page and the hub pages (the
latest few), a news item's related news, and the site search (the cards of the
news it found). Readers see live news of their language that is not behind a
view restriction, newest first (issue date, then the later created).

Two implementations give the same answers; ``tests/newsroom/test_query.py``
holds them to it on built data:

- ``"index"``, the one the site uses: the language's facet index of bitsets
  (facets.py), with the matches of a word query read once per news version
  as a bitset too, so any filter combination and any page depth costs the
  same few integer operations (docs/newsroom-and-search.md says why).
- ``"sql"``: the same questions as plain ORM queries on the page tables, the
  definition the index stands in for.

Either way a page of cards costs a fixed number of queries, whatever its size.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

from directory.models import CountryPage, FieldOfWork, FieldOfWorkPage, InstitutionPage
from home.i18n import localized_map

from .facets import facet_index
from .filters import (
    FACETS,
    OPTIONS_TIMEOUT,
    NewsFilters,
    choice_keys,
    facets_with_counts,
    filter_choices,
)
from .fulltext import NEWEST, RELEVANCE, TextMatch, clean_query
from .models import NewsItemPage
from .signals import news_version

PAGE_SIZE = 20

__all__ = [
    "NEWEST",
    "PAGE_SIZE",
    "RELEVANCE",
    "CountedPaginator",
    "NewsFilters",
    "NewsQuery",
    "PageSearch",
    "clean_query",
    "decorate_news",
    "word_condition",
]


class NewsQuery:
    """The listed news of ``locale`` that match ``filters`` (a ``NewsFilters``)."""

    def __init__(self, filters, locale, *, using="index"):
        self.filters = filters
        self.locale = locale
        self.using = using

    @cached_property
    def choices(self):
        return filter_choices(self.locale)

    @cached_property
    def _engine(self):
        keys = choice_keys(self.choices, self.filters)
        return ENGINES[self.using](self.filters, keys, self.locale)

    def count(self):
        """How many items match."""
        return self._engine.count()

    def facets(self):
        """Each filter's choices, with how many items each would match given the other filters.

        A filter's own choice is left out of its counts, so a second field of
        work shows what it would add.
        """
        return facets_with_counts(
            self.choices, self.filters, self._engine.facet_counts(self.choices)
        )

    def ids(self, start, stop):
        """Ids of the matching items from the ``start``-th to the ``stop``-th, newest first."""
        return self._engine.ids(start, stop)

    def items(self, start, stop):
        """The matching items from the ``start``-th to the ``stop``-th, as cards."""
        return self.cards(self.ids(start, stop))

    def page(self, number, size=PAGE_SIZE):
        """Page ``number`` (from 1) of cards; past the end, the last page."""
        paginator = CountedPaginator(_Slices(self), size, self.count())
        return paginator.page(min(number, paginator.num_pages))

    def feed(self, limit):
        """The ``limit`` newest matching items, as cards."""
        return self.items(0, limit)

    def latest(self, limit, exclude=()):
        """The ``limit`` newest matching items but those of ``exclude`` (ids), as cards."""
        exclude = set(exclude)
        ids = [pk for pk in self.ids(0, limit + len(exclude)) if pk not in exclude]
        return self.cards(ids[:limit])

    def featured_id(self):
        """The id of the newest matching item editors marked as featured, or None."""
        return self._engine.featured_id()

    def cards(self, ids):
        """The listed news items of ``ids`` in that order, with what cards show."""
        # Unordered: sorting by date would make the database walk the listing index
        # instead of looking the ids up.
        ids = list(ids)
        items = NewsItemPage.objects.with_card_data(
            NewsItemPage.objects.filter(pk__in=ids, listed_locale=self.locale)
        ).order_by()
        rows = {item.pk: item for item in items}
        return decorate_news([rows[pk] for pk in ids if pk in rows], self.locale)


class _Slices:
    """The query's items as a list the paginator slices, a page at a time."""

    def __init__(self, query):
        self.query = query

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Read a page at a time.")
        return self.query.items(index.start or 0, index.stop)


class CountedPaginator(Paginator):
    """A paginator told the number of items, so it does not count them again."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


# The facet index --------------------------------------------------------------------


class _IndexedNews:
    """Matching, counting and paging on the language's bitsets (facets.py)."""

    def __init__(self, filters, keys, locale):
        self.index = index = facet_index(locale)
        masks = {
            name: index.bits(name, [str(key) for key in chosen]) for name, chosen in keys.items()
        }
        if filters.date_from or filters.date_to:
            masks["dates"] = index.dates(filters.date_from, filters.date_to)
        if filters.words:
            masks["text"] = _word_mask(filters.words, locale, index)
        self.masks = masks
        self.mask = _all_of(masks.values(), index.everything)
        self.locale = locale

    def count(self):
        return self.mask.bit_count()

    def facet_counts(self, choices):
        index = self.index
        counts = {}
        for name in FACETS:
            others = _all_of((m for n, m in self.masks.items() if n != name), index.everything)
            values = index.values[name]
            counts[name] = {
                option.key: (values.get(str(option.key), 0) & others).bit_count()
                for option in choices[name].options
            }
        return counts

    def ids(self, start, stop):
        return self.index.page(self.mask, start, stop)

    def featured_id(self):
        # Featured items are not in the index. Read newest first, a few at a time:
        # on the front page the first one is the answer, and reading all of them
        # would scan the language's whole listing (featured has no index).
        featured = (
            NewsItemPage.objects.listed(self.locale)
            .filter(featured=True)
            .order_by("-issued_on", "-pk")
            .values_list("pk", flat=True)
        )
        start, size = 0, 1
        while True:
            ids = list(featured[start : start + size])
            found = self.index.matching(ids) & self.mask
            if found:
                # Numbered newest first: the lowest bit is the newest.
                return self.index.ids[(found & -found).bit_length() - 1]
            if len(ids) < size:
                return None
            start, size = start + size, size * 8


def _word_mask(words, locale, index):
    # A word found in every item matches 100,000 pages (~100 ms to read and
    # number); the bitset is kept until the next publish.
    text = " ".join(words)
    digest = hashlib.sha1(text.encode()).hexdigest()
    key = f"newsroom:words:{news_version()}:{locale.pk}:{digest}"
    mask = cache.get(key)
    if mask is None:
        sql, params = TextMatch(text).page_ids_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            mask = index.matching([row[0] for row in cursor.fetchall()])
        cache.set(key, mask, OPTIONS_TIMEOUT)
    return mask


def _all_of(masks, everything):
    result = everything
    for mask in masks:
        result &= mask
    return result


# Plain SQL --------------------------------------------------------------------------

_RELATION = {
    "field": "fields_of_work__translation_key",
    "country": "countries__translation_key",
    "issuer": "issued_by__translation_key",
    "type": "publication_type__translation_key",
}


class _SqlNews:
    """The same questions as ORM queries: what the facet index stands in for."""

    def __init__(self, filters, keys, locale):
        self.base = NewsItemPage.objects.listed(locale)
        conditions = {}
        for name, chosen in keys.items():
            if name == "issuer":
                # A structure's news includes that of its units.
                chosen = _with_units(chosen)
            if name == "type":
                conditions[name] = Q(**{f"{_RELATION[name]}__in": chosen})
            else:
                items = NewsItemPage.objects.filter(**{f"{_RELATION[name]}__in": chosen})
                conditions[name] = Q(pk__in=items.values("pk"))
        if filters.date_from:
            conditions["from"] = Q(issued_on__gte=filters.date_from)
        if filters.date_to:
            conditions["to"] = Q(issued_on__lte=filters.date_to)
        if filters.words:
            conditions["text"] = word_condition(" ".join(filters.words))
        self.conditions = conditions

    def _matching(self, without=None):
        return self.base.filter(*(q for name, q in self.conditions.items() if name != without))

    def count(self):
        return self._matching().count()

    def facet_counts(self, choices):
        counts = {}
        for name in FACETS:
            others = self._matching(without=name)
            column = _RELATION[name]
            counts[name] = dict(
                others.order_by()
                .values_list(column)
                .annotate(n=Count("pk", distinct=True))
                .values_list(column, "n")
            )
        units = _units_of([o.key for o in choices["issuer"].options])
        others = self._matching(without="issuer")
        for key, under in units.items():
            counts["issuer"][key] = (
                others.filter(issued_by__translation_key__in=under).distinct().count()
            )
        return counts

    def ids(self, start, stop):
        if stop is not None and stop <= start:
            return []
        return list(
            self._matching().order_by("-issued_on", "-pk").values_list("pk", flat=True)[start:stop]
        )

    def featured_id(self):
        return (
            self._matching()
            .filter(featured=True)
            .order_by("-issued_on", "-pk")
            .values_list("pk", flat=True)
            .first()
        )


def _with_units(keys):
    """The translation keys of the structures of ``keys`` and of every structure below them."""
    below = Q(pk__in=[])
    for path in InstitutionPage.objects.filter(translation_key__in=keys).values_list(
        "path", flat=True
    ):
        below |= Q(path__startswith=path)
    return InstitutionPage.objects.filter(below).values("translation_key")


def _units_of(keys):
    """key -> keys of it and its units, for each structure of ``keys`` that has units."""
    pages = list(InstitutionPage.objects.values_list("path", "translation_key"))
    wanted = set(keys)
    units = {}
    for path, key in pages:
        if key in wanted:
            under = {other for other_path, other in pages if other_path.startswith(path)}
            units.setdefault(key, set()).update(under)
    return {key: under for key, under in units.items() if len(under) > 1}


ENGINES = {"index": _IndexedNews, "sql": _SqlNews}


def word_condition(query):
    """A filter on pages whose title or text hold every word of ``query``; None without words.

    The newsroom's ``q`` and the admin News listing's search mean the same thing.
    """
    match = TextMatch(query)
    if not match or connection.vendor not in ("sqlite", "postgresql"):
        return None
    sql, params = match.page_ids_sql()
    return Q(pk__in=RawSQL(sql, params))


class PageSearch:
    """The site search's question: the live, public pages of every type holding every word.

    Counted and ranked (``RELEVANCE`` or ``NEWEST``) per language by the
    full-text engine of fulltext.py, whose SQLite fast paths exist for it; the
    news among the results are shown with ``NewsQuery.cards``.
    """

    def __init__(self, query):
        self._match = TextMatch(query)

    @property
    def words(self):
        return self._match.words

    def __bool__(self):
        return bool(self._match)

    def count(self, locale):
        return self._match.count(locale)

    def ranked_ids(self, locale, order, offset, limit):
        return self._match.ranked_ids(locale, order, offset, limit)

    def excerpts(self, page_ids):
        """Page id -> the indexed text of the page, for highlighting."""
        return self._match.excerpts(page_ids)


# Cards --------------------------------------------------------------------------------


def decorate_news(items, locale, request=None, links=False):
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
