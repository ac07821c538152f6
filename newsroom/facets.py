"""Which news items carry each filter value, kept in memory as bitsets.

The newsroom shows, for every value of every filter, how many items it would
match given the other filters. Counted in SQL that is one grouped scan of a
through-table per filter: 0.2 to 0.6 s at 100,000 items on SQLite, paid again
for every combination after every publish. Instead, the listed items of one
language are numbered newest first, and each filter value keeps the set of
numbers of its items as one Python integer used as a bitset (bit n set: the
n-th newest item carries the value). Then

- a filter combination is an AND of ORs of bitsets, a date range is a run of
  consecutive bits (items are numbered by date), a word query is the bitset of
  its full-text matches;
- a count is ``int.bit_count()`` of an AND: about a microsecond each, so all
  ~150 facet counts of a request cost well under a millisecond;
- a page of results is the n-th to (n+20)-th set bits, read in C through
  ``bytes.translate``, so page 2,500 costs what page 1 costs.

An index holds ~5 MB at 100,000 items. Every language's is built at once
(under a second at that size) after editors publish, unpublish, move or delete
anything (signals.py, once the transaction commits), stored in the shared cache
under the news version, and kept per process until the version changes.
"""

import bisect
import datetime
import functools
import itertools
import operator
from array import array

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.models import Locale

from directory.models import InstitutionPage

from .models import NewsItemPage, PublicationType
from .signals import news_version

INDEX_TIMEOUT = 7 * 24 * 60 * 60
FEW_MATCHES = 5000

# bytes.translate table: a byte's value -> its number of set bits.
_POPCOUNT = bytes(bin(value).count("1") for value in range(256))

_memo = {}


class FacetIndex:
    """The listed news of one language, numbered newest first, with a bitset per filter value."""

    def __init__(self, ids, days, values):
        self.ids = ids
        self._days = days
        self.values = values
        self.everything = (1 << len(ids)) - 1
        self._positions = None
        # The ids in ascending order, with their numbers: a few matches of a word are
        # found by bisection, without building the whole id -> number dict.
        order = sorted(range(len(ids)), key=ids.__getitem__)
        self._sorted_ids = array("q", (ids[n] for n in order))
        self._sorted_positions = array("l", order)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_positions"] = None
        return state

    def positions(self):
        """page id -> its number in the listing, built on first use in each process."""
        if self._positions is None:
            self._positions = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._positions

    def bits(self, facet, keys):
        """Items carrying any of ``keys`` (translation keys as text) in ``facet``."""
        found = 0
        values = self.values[facet]
        for key in keys:
            found |= values.get(key, 0)
        return found

    def dates(self, date_from=None, date_to=None):
        """Items issued between the two dates, both included; either may be None."""
        first = 0 if date_to is None else bisect.bisect_left(self._days, -date_to.toordinal())
        stop = (
            len(self.ids)
            if date_from is None
            else bisect.bisect_right(self._days, -date_from.toordinal())
        )
        if stop <= first:
            return 0
        return ((1 << (stop - first)) - 1) << first

    def matching(self, page_ids):
        """Items among ``page_ids`` (a list); ids of other pages are ignored."""
        if len(page_ids) > FEW_MATCHES:
            positions = self.positions()
            found = (positions[pk] for pk in page_ids if pk in positions)
        else:
            found = []
            for pk in page_ids:
                at = bisect.bisect_left(self._sorted_ids, pk)
                if at < len(self._sorted_ids) and self._sorted_ids[at] == pk:
                    found.append(self._sorted_positions[at])
        return _bitset(found, len(self.ids))

    def page(self, mask, start, stop):
        """The ids of the ``start``-th to ``stop``-th items of ``mask``, newest first."""
        if stop <= start or not mask:
            return []
        data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
        # Running totals of set bits per byte, in C: the first byte holding the
        # start-th item is found by bisection instead of walking the bits.
        totals = list(itertools.accumulate(data.translate(_POPCOUNT)))
        first = bisect.bisect_right(totals, start)
        seen = totals[first - 1] if first else 0
        found = []
        for offset in range(first, len(data)):
            byte = data[offset]
            while byte:
                low = byte & -byte
                if seen >= start:
                    found.append(self.ids[offset * 8 + low.bit_length() - 1])
                    if len(found) == stop - start:
                        return found
                seen += 1
                byte ^= low
        return found


def build_indexes():
    """locale id -> the index of that language, from one read of all listed news.

    All languages are numbered in one sequence, language by language, so each
    relation is read once; each language's bitsets are then cut out of it.
    """
    items = (
        NewsItemPage.objects.filter(listed_locale__isnull=False)
        .public()
        .order_by("listed_locale_id", "-issued_on", "-pk")
        # As text: the SQLite driver's date converter would cost more than the query.
        .values_list(
            "listed_locale_id", "pk", Cast("issued_on", CharField()), "publication_type_id"
        )
    )
    sql, params = items.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = array("q", (pk for _locale, pk, _day, _type in rows))
    # Negated so that each language's run ascends, for bisect.
    days = array("l", (-datetime.date.fromisoformat(day).toordinal() for _l, _p, day, _t in rows))
    positions = dict(zip(ids, range(len(ids)), strict=True))
    ranges = {}
    for position, (locale_id, *_rest) in enumerate(rows):
        first, _stop = ranges.get(locale_id, (position, position))
        ranges[locale_id] = (first, position + 1)

    type_keys = dict(PublicationType.objects.values_list("pk", "translation_key"))
    found = {"type": {}}
    for position, (_locale, _pk, _day, type_id) in enumerate(rows):
        if type_id is not None:
            found["type"].setdefault(str(type_keys[type_id]), []).append(position)
    for name, relation in (
        ("field", NewsItemPage.fields_of_work),
        ("country", NewsItemPage.countries),
        ("issuer", NewsItemPage.issued_by),
    ):
        found[name] = by_key = {}
        for pk, key in _related(relation):
            position = positions.get(pk)
            if position is not None:
                by_key.setdefault(key, []).append(position)
    values = {
        name: {key: _bitset(numbers, len(ids)) for key, numbers in keys.items()}
        for name, keys in found.items()
    }
    issuers = values["issuer"]
    for key, under in _structures_and_units().items():
        issuers[key] = functools.reduce(operator.or_, (issuers.get(unit, 0) for unit in under), 0)

    indexes = {}
    for locale_id in Locale.objects.values_list("pk", flat=True):
        first, stop = ranges.get(locale_id, (0, 0))
        window = (1 << (stop - first)) - 1
        cut = {
            name: {
                key: bits >> first & window for key, bits in keys.items() if bits >> first & window
            }
            for name, keys in values.items()
        }
        indexes[locale_id] = FacetIndex(ids[first:stop], days[first:stop], cut)
    return indexes


def _bitset(positions, size):
    data = bytearray((size + 7) // 8)
    for position in positions:
        data[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(data, "little")


def _related(relation):
    """(news item id, translation key of the related object as text) for every row of a relation."""
    through = relation.through._meta
    target = relation.field.related_model
    item_column = through.get_field(relation.field.m2m_field_name()).column
    target_column = through.get_field(relation.field.m2m_reverse_field_name()).column
    keys = {pk: str(key) for pk, key in target.objects.values_list("pk", "translation_key")}
    # Half a million rows at 100,000 items: read as plain integer pairs, without
    # the ORM's per-value conversions, which would take several times longer.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {item_column}, {target_column} FROM {through.db_table}")
        rows = cursor.fetchall()
    for item, related in rows:
        yield item, keys[related]


def _structures_and_units():
    """translation key of each structure with units -> its own key and those of all its units."""
    pages = list(InstitutionPage.objects.values_list("path", "translation_key"))
    steplen = InstitutionPage.steplen
    parent_paths = {path[:-steplen] for path, _key in pages}
    units = {}
    for path, key in pages:
        if path in parent_paths:
            under = units.setdefault(str(key), set())
            under.update(str(other) for other_path, other in pages if other_path.startswith(path))
    return units


def _cache_key(locale_id, version):
    return f"newsroom:facet-index:{version}:{locale_id}"


# The versions whose indexes are in the cache, so that older ones can be deleted.
_VERSIONS_KEY = "newsroom:facet-index:versions"


def facet_index(locale):
    """The current index of ``locale``: from this process, else the shared cache, else built."""
    version = news_version()
    memo = _memo.get(locale.pk)
    if memo is not None and memo[0] == version:
        return memo[1]
    key = _cache_key(locale.pk, version)
    index = cache.get(key)
    if index is None:
        indexes = build_indexes()
        remember_facet_indexes(indexes, version)
        index = indexes[locale.pk]
    _memo[locale.pk] = (version, index)
    return index


def remember_facet_indexes(indexes, version):
    """Store freshly built indexes (by locale id) as ``version``'s, for every process.

    Each version's indexes take several MB: only the current version's are kept in the
    cache, and those of the versions stored before it are deleted. Indexes built for a
    version that is no longer current (a change landed during the build) stay in this
    process only.
    """
    current = news_version()
    stored = set(cache.get(_VERSIONS_KEY) or ())
    if version == current:
        cache.set_many(
            {_cache_key(pk, version): index for pk, index in indexes.items()}, INDEX_TIMEOUT
        )
        stored.add(version)
    old = stored - {current}
    if old:
        cache.delete_many([_cache_key(pk, other) for other in old for pk in indexes])
    cache.set(_VERSIONS_KEY, list(stored - old), INDEX_TIMEOUT)
    for pk, index in indexes.items():
        _memo[pk] = (version, index)


def forget_facet_indexes():
    """Drop this process's copies (for benchmarks that play another server)."""
    _memo.clear()
