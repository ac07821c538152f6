"""Full-text matching and relevance ranking straight on Wagtail's database search index.

Wagtail's database backend ranks by annotating every matching page with a
correlated subquery that runs the full-text match again and joins the index
entry on ``object_id = CAST(page.id AS text)``; that join cannot use an index,
so a common word costs seconds to minutes at 100,000 items. Here the match,
the score and the page filters are one statement over the full-text table:
SQLite's FTS5 ``bm25()`` or PostgreSQL's ``ts_rank``, ordered and limited in
the database. On SQLite, a word with thousands of matches skips even that join:
FTS5 counts and ranks alone and the page filters are applied to the few
entries that need them (see docs/newsroom-and-search.md).
"""

import re
import unicodedata

from django.db import connection
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks
from wagtail.models import Page, PageViewRestriction
from wagtail.search.models import IndexEntry

from .models import NewsItemPage

MAX_TERMS = 12
MAX_TERM_LENGTH = 60
WORD = re.compile(r"\w+", re.UNICODE)

PAGE_JOIN = "JOIN wagtailcore_page p ON p.id = CAST(e.object_id AS INTEGER)"
ENTRY_OF_PAGE = (
    "JOIN wagtailsearch_indexentry e "
    "ON e.content_type_id = p.content_type_id AND e.object_id = CAST(p.id AS TEXT)"
)
RELEVANCE = "relevance"
NEWEST = "newest"
# Below this many full-text matches, joining every match to its page is the
# cheapest plan (a few milliseconds); above it the SQLite paths below avoid
# touching every match.
JOIN_LIMIT = 3_000
# bm25 costs about 0.7 microseconds per match on SQLite; a word found in more
# matches than this is ranked among its most recently indexed matches first.
RANK_WINDOW = 10_000
# Probing one index entry for a match costs ~10 microseconds, a join row ~0.7.
PROBE_COST = 15


def clean_query(text, max_length=200):
    """The reader's query on one line without control characters (PostgreSQL refuses NUL)."""
    printable = "".join(c if c.isprintable() else " " for c in (text or "")[: max_length * 4])
    return " ".join(printable.split())[:max_length]


def terms(query):
    """The words of a reader's query; operators, quotes and punctuation are dropped."""
    # Only words with a letter or digit: a lone mark such as the emoji variation
    # selector U+FE0F is a \w character to Python but no token to FTS5, and an
    # empty quoted term is an FTS5 syntax error.
    words = [
        w for w in WORD.findall(query or "") if any(unicodedata.category(c)[0] in "LN" for c in w)
    ]
    return [w[:MAX_TERM_LENGTH].lower() for w in words[:MAX_TERMS]]


def _fts5_match(words, prefix_last=False):
    quoted = ['"{}"'.format(w.replace('"', "")) for w in words]
    if prefix_last and quoted:
        quoted[-1] += "*"
    return "{body title} : (" + " AND ".join(quoted) + ")"


class TextMatch:
    """The pages whose title or text contain every word of ``query``."""

    def __init__(self, query):
        self.words = terms(query)
        self.table = IndexEntry._meta.db_table
        self.page_types = get_descendants_content_types_pks(Page)
        self._matches = None
        self._restricted = None
        self._counts = {}
        self._pages_in_locale = {}

    def __bool__(self):
        return bool(self.words)

    def _match_sql(self):
        """FROM/WHERE over the index matching the words, restricted to pages; and params."""
        types = ", ".join(str(int(pk)) for pk in self.page_types)
        if connection.vendor == "sqlite":
            fts = f"{self.table}_fts"
            sql = (
                f"FROM {fts} JOIN {self.table} e ON e.id = {fts}.rowid {{join}} "
                f"WHERE {fts} MATCH %s AND e.content_type_id IN ({types})"
            )
            return sql, [_fts5_match(self.words)]
        if connection.vendor == "postgresql":
            sql = (
                f"FROM {self.table} e {{join}}, plainto_tsquery(%s) q "
                f"WHERE (e.title @@ q OR e.body @@ q) AND e.content_type_id IN ({types})"
            )
            return sql, [" ".join(self.words)]
        raise NotImplementedError(f"Full-text search is not set up for {connection.vendor}.")

    def page_ids_sql(self):
        """A subquery of matching page ids, for ``filter(pk__in=RawSQL(...))``."""
        sql, params = self._match_sql()
        return f"SELECT CAST(e.object_id AS INTEGER) {sql.format(join='')}", params

    def _score(self):
        if connection.vendor == "sqlite":
            # bm25() is lower for better matches; columns: autocomplete, body, title.
            return f"bm25({self.table}_fts, 0.0, 1.0, 4.0)", "ASC"
        return "ts_rank(e.title, q) * 4 + ts_rank(e.body, q)", "DESC"

    def _page_filters(self, locale):
        sql = "p.live AND p.locale_id = %s"
        params = [locale.pk]
        for path in self._restricted_paths():
            sql += " AND p.path NOT LIKE %s"
            params.append(path + "%")
        return sql, params

    def _fts_count(self):
        """How many index entries (of any model, any language) match, from FTS5 alone."""
        if self._matches is None:
            fts = f"{self.table}_fts"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH %s",
                    [_fts5_match(self.words)],
                )
                self._matches = cursor.fetchone()[0]
        return self._matches

    def _fast_path(self):
        return connection.vendor == "sqlite" and self._fts_count() > JOIN_LIMIT

    def _probe(self, entry="e.id"):
        fts = f"{self.table}_fts"
        return (
            f"EXISTS (SELECT 1 FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = {entry})",
            [_fts5_match(self.words)],
        )

    def _restricted_paths(self):
        if self._restricted is None:
            self._restricted = list(
                PageViewRestriction.objects.values_list("page__path", flat=True)
            )
        return self._restricted

    def _restricted_ranges(self):
        """(start, end) path ranges of the pages under a view restriction."""
        return [(path, path[:-1] + chr(ord(path[-1]) + 1)) for path in self._restricted_paths()]

    def count(self, locale):
        """Exact number of live, public pages of ``locale`` matching every word."""
        if locale.pk in self._counts:
            return self._counts[locale.pk]
        if self._fast_path():
            total = self._count_without_join(locale)
        else:
            total = self._count_by_join(locale)
        self._counts[locale.pk] = total
        return total

    def _count_by_join(self, locale):
        match_sql, params = self._match_sql()
        where, page_params = self._page_filters(locale)
        sql = f"SELECT COUNT(*) {match_sql.format(join=PAGE_JOIN)} AND {where}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params + page_params)
            return cursor.fetchone()[0]

    def _among(self, entries_sql, params, select="COUNT(*)"):
        """``select`` over the matching index entries of the ``entries_sql`` subquery.

        FTS5 reads its matches in the ids' range and keeps those in the (small)
        set: about 1 ms for a thousand entries, where probing each entry
        for the match costs ten. The ``+`` keeps SQLite from handing the set
        to FTS5 one id at a time.
        """
        fts = f"{self.table}_fts"
        sql = (
            f"WITH chosen AS MATERIALIZED ({entries_sql}), matched AS ("
            f"SELECT {fts}.rowid AS id FROM {fts} WHERE {fts} MATCH %s "
            f"AND {fts}.rowid BETWEEN (SELECT MIN(id) FROM chosen) "
            "AND (SELECT MAX(id) FROM chosen) "
            f"AND +{fts}.rowid IN (SELECT id FROM chosen)) "
            f"SELECT {select} FROM matched JOIN chosen ON chosen.id = matched.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, _fts5_match(self.words)])
            return cursor.fetchall()

    def _count_without_join(self, locale):
        # Joining 100,000 matches to their pages costs ~60 ms; FTS5 counts them in
        # ~5. So count in FTS5 and subtract the matches readers of this language
        # may not see, or count the visible ones directly, whichever set of
        # entries is smaller.
        matches = self._fts_count()
        with connection.cursor() as cursor:
            # Estimates are enough to choose: the highest ids cost nothing to read,
            # and the other languages' pages are few when this language has many.
            cursor.execute(
                "SELECT (SELECT COUNT(*) FROM wagtailcore_page "
                "WHERE locale_id < %s OR locale_id > %s), "
                f"(SELECT MAX(id) FROM wagtailcore_page), (SELECT MAX(id) FROM {self.table})",
                [locale.pk, locale.pk],
            )
            elsewhere, pages, entries = cursor.fetchone()
        in_locale = (pages or 0) - elsewhere
        hidden = (entries or 0) - in_locale
        self._pages_in_locale[locale.pk] = in_locale
        if min(hidden, in_locale) > matches:
            return self._count_by_join(locale)
        if in_locale <= hidden:
            sql, params = self._visible_entries_sql(locale)
            return self._among(sql, params)[0][0]
        ranges = self._restricted_ranges()
        types = ", ".join(str(int(pk)) for pk in self.page_types)
        hidden_pages = [
            "SELECT id FROM wagtailcore_page WHERE locale_id < %s OR locale_id > %s",
            # Uses the partial index of search/migrations/0001.
            "SELECT id FROM wagtailcore_page WHERE NOT live",
        ] + ["SELECT id FROM wagtailcore_page WHERE path >= %s AND path < %s" for _ in ranges]
        sql = (
            f"SELECT e.id FROM wagtailcore_page p {ENTRY_OF_PAGE} "
            f"WHERE p.id IN ({' UNION '.join(hidden_pages)}) "
            f"UNION SELECT e.id FROM {self.table} e WHERE e.content_type_id IN "
            f"(SELECT id FROM django_content_type WHERE id NOT IN ({types}))"
        )
        params = [locale.pk, locale.pk, *(bound for r in ranges for bound in r)]
        return matches - self._among(sql, params)[0][0]

    def _visible_entries_sql(self, locale, page_types=None):
        """A subquery of the index entries of the pages readers of ``locale`` may see."""
        ranges = self._restricted_ranges()
        restricted = "".join(" AND NOT (p.path >= %s AND p.path < %s)" for _ in ranges)
        types, locale_column = "", "p.locale_id"
        if page_types is not None:
            types = f" AND p.content_type_id IN ({', '.join(str(int(pk)) for pk in page_types)})"
            # A few page types of a language: their index beats the language's.
            locale_column = "+p.locale_id"
        sql = (
            f"SELECT e.id, p.id AS page_id, {_day('p.first_published_at')} AS day "
            f"FROM wagtailcore_page p {ENTRY_OF_PAGE} "
            f"WHERE {locale_column} = %s AND p.live{types}{restricted}"
        )
        return sql, [locale.pk, *(bound for r in ranges for bound in r)]

    def ranked_ids(self, locale, order, offset, limit):
        """Page ids of one page of results, best match (or newest) first."""
        if self._fast_path():
            visible = self.count(locale)
            # Probes are worth it only when this language's pages match often.
            if order == NEWEST:
                probes = (offset + limit) * self._pages_in_locale.get(locale.pk, 0)
                if probes * PROBE_COST <= self._fts_count() * max(visible, 1):
                    return self._newest_without_join(locale, offset, limit)
            elif 4 * visible >= self._fts_count():
                return self._relevant_without_join(locale, offset, limit)
            else:
                return self._relevant_among_visible(locale, offset, limit)
        return self._ranked_by_join(locale, order, offset, limit)

    def _relevant_among_visible(self, locale, offset, limit):
        # This language has few of the matches: FTS5 ranks only those of its
        # visible entries (read in their id range, as in _among).
        fts = f"{self.table}_fts"
        score, _direction = self._score()
        entries_sql, params = self._visible_entries_sql(locale)
        sql = (
            f"WITH chosen AS MATERIALIZED ({entries_sql}) "
            f"SELECT (SELECT page_id FROM chosen WHERE chosen.id = {fts}.rowid) "
            f"FROM {fts} WHERE {fts} MATCH %s "
            f"AND {fts}.rowid BETWEEN (SELECT MIN(id) FROM chosen) "
            "AND (SELECT MAX(id) FROM chosen) "
            f"AND +{fts}.rowid IN (SELECT id FROM chosen) "
            f"ORDER BY {score}, {fts}.rowid DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, _fts5_match(self.words), limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _ranked_by_join(self, locale, order, offset, limit, window_floor=None):
        match_sql, params = self._match_sql()
        where, page_params = self._page_filters(locale)
        score, direction = self._score()
        if order == NEWEST:
            # A news item is as new as its issue date, which editors may backdate.
            match_sql = match_sql.replace(
                "{join}", "{join} LEFT JOIN newsroom_newsitempage n ON n.page_ptr_id = p.id"
            )
            order_by = f"COALESCE(n.issued_on, {_day('p.first_published_at')}) DESC, p.id DESC"
        else:
            order_by = f"{score} {direction}, e.id DESC"
            if window_floor:
                order_by = f"e.id < {int(window_floor)}, {order_by}"
        sql = (
            f"SELECT p.id {match_sql.format(join=PAGE_JOIN)} "
            f"AND {where} ORDER BY {order_by} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params + page_params + [limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _visible(self, locale, entry_ids):
        """Map each of ``entry_ids`` that readers of ``locale`` may see to its page id."""
        if not entry_ids:
            return {}
        where, page_params = self._page_filters(locale)
        types = ", ".join(str(int(pk)) for pk in self.page_types)
        marks = ", ".join(["%s"] * len(entry_ids))
        sql = (
            f"SELECT e.id, p.id FROM {self.table} e {PAGE_JOIN} "
            f"WHERE e.id IN ({marks}) AND e.content_type_id IN ({types}) AND {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*entry_ids, *page_params])
            return dict(cursor.fetchall())

    def _relevant_without_join(self, locale, offset, limit):
        # bm25 over every match of a word found in all 100,000 items costs ~65 ms
        # and the join to the pages as much again. So FTS5 ranks alone, over the
        # RANK_WINDOW most recently indexed matches (all of them for most words);
        # the best few hundred are then checked against the page filters, asking
        # for more when too few survive. Matches older than the window follow,
        # ranked among themselves.
        fts = f"{self.table}_fts"
        match = _fts5_match(self.words)
        score, _direction = self._score()
        floor = None
        if self._fts_count() > RANK_WINDOW:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s "
                    "ORDER BY rowid DESC LIMIT 1 OFFSET %s",
                    [match, RANK_WINDOW - 1],
                )
                floor = cursor.fetchone()[0]
        window = f" AND {fts}.rowid >= %s" if floor else ""
        wanted = offset + limit
        fetch = max(2 * wanted, 200)
        if fetch > RANK_WINDOW // 2:
            # Deep pages: the candidates would outnumber what the join reads.
            return self._ranked_by_join(locale, RELEVANCE, offset, limit, window_floor=floor)
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s{window} "
                    f"ORDER BY {score}, rowid DESC LIMIT %s",
                    [match, *([floor] if floor else []), fetch],
                )
                candidates = [row[0] for row in cursor.fetchall()]
            visible = self._visible(locale, candidates)
            ranked = [visible[entry] for entry in candidates if entry in visible]
            exhausted = len(candidates) < fetch
            if len(ranked) >= wanted or exhausted or fetch >= 8 * max(wanted, 200):
                break
            fetch *= 4
        if len(ranked) >= wanted or (exhausted and not floor):
            return ranked[offset:wanted]
        # Few of the matches are this language's, or the page is past the window.
        return self._ranked_by_join(locale, RELEVANCE, offset, limit, window_floor=floor)

    def _newest_without_join(self, locale, offset, limit):
        # Walk the news of this language newest first along the newsroom's listing
        # index and keep those that match (a word found in many items needs few
        # probes), then merge the few other page types in.
        wanted = offset + limit
        probe, probe_params = self._probe()
        ranges = self._restricted_ranges()
        restricted = "".join(" AND NOT (p.path >= %s AND p.path < %s)" for _ in ranges)
        bounds = [bound for r in ranges for bound in r]
        news_type = get_content_type_pk(NewsItemPage)
        other_types = [pk for pk in self.page_types if pk != news_type]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.issued_on, p.id FROM newsroom_newsitempage n "
                "JOIN wagtailcore_page p ON p.id = n.page_ptr_id "
                f"JOIN {self.table} e ON e.content_type_id = %s "
                "AND e.object_id = CAST(n.page_ptr_id AS TEXT) "
                f"WHERE n.listed_locale_id = %s{restricted} AND {probe} "
                "ORDER BY n.issued_on DESC, n.page_ptr_id DESC LIMIT %s",
                [news_type, locale.pk, *bounds, *probe_params, wanted],
            )
            news = cursor.fetchall()
        others = []
        if other_types:
            sql, params = self._visible_entries_sql(locale, other_types)
            others = self._among(sql, params, select="chosen.day, chosen.page_id")
        rows = [(str(day or ""), pk) for day, pk in news + others]
        rows.sort(reverse=True)
        return [pk for _day_, pk in rows[offset:wanted]]

    def excerpts(self, page_ids):
        """Map page id to the indexed text of the page, for highlighting."""
        column = "body" if connection.vendor == "sqlite" else "body_text"
        rows = IndexEntry.objects.filter(
            content_type_id__in=self.page_types, object_id__in=[str(pk) for pk in page_ids]
        ).values_list("object_id", column)
        return {int(object_id): text or "" for object_id, text in rows}


def _day(column):
    if connection.vendor == "sqlite":
        return f"date({column})"
    return f"CAST({column} AS date)"
