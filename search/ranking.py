"""Full-text matching and relevance ranking straight on Wagtail's database search index.

Wagtail's database backend ranks by annotating every matching page with a
correlated subquery that runs the full-text match again and joins the index
entry on ``object_id = CAST(page.id AS text)``; that join cannot use an index,
so a common word costs seconds to minutes at 100,000 items. Here the match,
the score and the page filters are one statement over the full-text table:
SQLite's FTS5 ``bm25()`` or PostgreSQL's ``ts_rank``, ordered and limited in
the database (see docs/newsroom-and-search.md).
"""

import re
import unicodedata

from django.db import connection
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page, PageViewRestriction
from wagtail.search.models import IndexEntry

MAX_TERMS = 12
MAX_TERM_LENGTH = 60
WORD = re.compile(r"\w+", re.UNICODE)

PAGE_JOIN = "JOIN wagtailcore_page p ON p.id = CAST(e.object_id AS INTEGER)"
RELEVANCE = "relevance"
NEWEST = "newest"


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
        for path in PageViewRestriction.objects.values_list("page__path", flat=True):
            sql += " AND p.path NOT LIKE %s"
            params.append(path + "%")
        return sql, params

    def count(self, locale):
        match_sql, params = self._match_sql()
        where, page_params = self._page_filters(locale)
        sql = f"SELECT COUNT(*) {match_sql.format(join=PAGE_JOIN)} AND {where}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params + page_params)
            return cursor.fetchone()[0]

    def ranked_ids(self, locale, order, offset, limit):
        """Page ids of one page of results, best match (or newest) first."""
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
            order_by = f"{score} {direction}, p.id DESC"
        sql = (
            f"SELECT p.id {match_sql.format(join=PAGE_JOIN)} "
            f"AND {where} ORDER BY {order_by} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params + page_params + [limit, offset])
            return [row[0] for row in cursor.fetchall()]

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
