"""Bulk import of archived news items from JSON Lines.

One item per line::

    {"slug": "...", "title": "...", "lead": "...", "body": ["paragraph", ...],
     "issued_on": "2019-05-02", "issuer": ["secretariat"], "fields_of_work": ["..."],
     "countries": ["..."], "type": "press-release", "language": "en"}

``issuer`` may be one slug or a list; ``body`` a string (paragraphs separated by
blank lines) or a list of paragraphs. Items are published in the newsroom of
their language.

Creating pages one by one with ``add_child`` manages ~100 items per second and
slows to ~10 per second once the archive is large, because every save makes
the SQLite search backend recompute its title norms over the whole index. So a
batch is written in a handful of statements instead: tree paths are computed
here, the ``wagtailcore_page`` rows are inserted in bulk (returning their ids),
then the news rows, the relation rows and the search index entries of the
whole batch. A slug already in the newsroom is skipped, so running an import
again changes nothing.
"""

import datetime
import json
import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from directory.models import CountryPage, FieldOfWork, InstitutionPage
from home import invalidation
from home.text import clean_text

from .models import NewsIndexPage, NewsItemPage, PublicationType

BATCH_SIZE = 1000
REQUIRED = ("title", "lead", "issued_on", "issuer", "slug")


class BadLine(ValueError):
    pass


@dataclass
class Summary:
    read: int = 0
    created: int = 0
    existing: int = 0
    errors: list = field(default_factory=list)

    @property
    def bad(self):
        return len(self.errors)


def _as_list(value, name):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise BadLine(f"“{name}” must be a slug or a list of slugs")


class Vocabulary:
    """Slug -> object for each language, loaded once per import."""

    def __init__(self):
        self.locales = {locale.language_code: locale for locale in Locale.objects.all()}
        self.newsrooms = {n.locale_id: n for n in NewsIndexPage.objects.all()}
        default = Locale.get_default().pk

        def by_locale(queryset):
            found = {}
            for obj in queryset:
                found.setdefault(obj.locale_id, {})[obj.slug] = obj
            return found, default

        self.issuers = by_locale(InstitutionPage.objects.only("slug", "locale_id", "path"))
        self.fields = by_locale(FieldOfWork.objects.all())
        self.countries = by_locale(CountryPage.objects.only("slug", "locale_id"))
        self.types = by_locale(PublicationType.objects.all())

    @staticmethod
    def find(table, locale, slug, name):
        objects, default = table
        obj = objects.get(locale.pk, {}).get(slug) or objects.get(default, {}).get(slug)
        if obj is None:
            raise BadLine(f"unknown {name} “{slug[:60]}”")
        return obj


def parse_line(text, vocabulary):
    """A dict of model values and relations for one line, or BadLine saying what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadLine(f"not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise BadLine("not a JSON object")
    missing = [name for name in REQUIRED if not data.get(name)]
    if missing:
        raise BadLine("missing " + ", ".join(missing))
    for name in ("title", "lead", "slug", "issued_on"):
        if not isinstance(data[name], str):
            raise BadLine(f"“{name}” must be text")
    data["title"] = clean_text(data["title"], single_line=True)
    data["lead"] = clean_text(data["lead"])
    slug = slugify(data["slug"])[:255]
    if not slug:
        raise BadLine("the slug has no letters or digits")
    try:
        issued_on = datetime.date.fromisoformat(data["issued_on"])
    except ValueError:
        raise BadLine(f"“issued_on” is not a date: “{data['issued_on'][:30]}”") from None
    language = data.get("language") or "en"
    locale = vocabulary.locales.get(language) if isinstance(language, str) else None
    if locale is None or locale.pk not in vocabulary.newsrooms:
        raise BadLine(f"no newsroom for language “{str(language)[:10]}”")
    body = data.get("body") or []
    if isinstance(body, str):
        body = [p for p in body.split("\n\n") if p.strip()]
    if not isinstance(body, list) or not all(isinstance(p, str) for p in body):
        raise BadLine("“body” must be text or a list of paragraphs")
    body = [clean_text(p) for p in body]
    type_slug = data.get("type")
    if type_slug is not None and not isinstance(type_slug, str):
        raise BadLine("“type” must be a slug")
    fields_of_work = data.get("fields_of_work", data.get("fields"))
    return {
        "slug": slug,
        "title": data["title"].strip()[:255],
        "lead": data["lead"].strip()[:1000],
        "issued_on": issued_on,
        "locale": locale,
        "body": [{"type": "paragraph", "value": f"<p>{escape(p.strip())}</p>"} for p in body],
        "body_text": body,
        "issuers": [
            vocabulary.find(vocabulary.issuers, locale, s, "issuer")
            for s in _as_list(data["issuer"], "issuer")
        ],
        "fields": [
            vocabulary.find(vocabulary.fields, locale, s, "field of work")
            for s in _as_list(fields_of_work, "fields_of_work")
        ],
        "countries": [
            vocabulary.find(vocabulary.countries, locale, s, "country")
            for s in _as_list(data.get("countries"), "countries")
        ],
        "type": vocabulary.find(vocabulary.types, locale, type_slug, "type") if type_slug else None,
    }


class Importer:
    """Reads JSON Lines and creates the news items they describe, a batch at a time."""

    def __init__(self, batch_size=BATCH_SIZE, progress=None):
        self.batch_size = batch_size
        self.progress = progress or (lambda summary: None)
        self.vocabulary = Vocabulary()
        self.content_type = ContentType.objects.get_for_model(NewsItemPage)
        self.backend = get_search_backend()
        self.summary = Summary()
        # The pages showing the imported items (newsrooms, home pages, hubs), by id.
        self.shown_on = {}

    def run(self, lines):
        batch = []
        seen = set()
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            self.summary.read += 1
            try:
                item = parse_line(text, self.vocabulary)
            except BadLine as error:
                self.summary.errors.append((number, str(error)))
                continue
            key = (item["locale"].pk, item["slug"])
            if key in seen:
                self.summary.errors.append((number, f"slug “{item['slug']}” repeated in the file"))
                continue
            seen.add(key)
            batch.append(item)
            if len(batch) >= self.batch_size:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)
        if self.summary.created and connection.vendor == "postgresql":
            # Fresh statistics: without them PostgreSQL plans the listing's
            # prefetches as scans of the whole page table (212 ms instead of 1 ms).
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE wagtailcore_page, newsroom_newsitempage, "
                    "newsroom_newsitempage_issued_by, newsroom_newsitempage_fields_of_work, "
                    "newsroom_newsitempage_countries, " + IndexEntry._meta.db_table
                )
        # Pages were written behind Wagtail's back, so no signal told the caches.
        invalidation.invalidate([invalidation.NEWS], pages=list(self.shown_on.values()))
        return self.summary

    def _write(self, batch):
        by_locale = {}
        for item in batch:
            by_locale.setdefault(item["locale"].pk, []).append(item)
        for locale_id, items in by_locale.items():
            with transaction.atomic():
                self._create(self.vocabulary.newsrooms[locale_id], items)
        self.progress(self.summary)

    def _create(self, newsroom, items):
        newsroom = NewsIndexPage.objects.select_for_update().get(pk=newsroom.pk)
        existing = set(
            NewsItemPage.objects.child_of(newsroom)
            .filter(slug__in=[i["slug"] for i in items])
            .values_list("slug", flat=True)
        )
        new = [i for i in items if i["slug"] not in existing]
        self.summary.existing += len(items) - len(new)
        if not new:
            return
        last = newsroom.get_last_child()
        step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        depth = newsroom.depth + 1
        pages = []
        for offset, item in enumerate(new, start=1):
            published = datetime.datetime.combine(
                item["issued_on"], datetime.time(9, 0), tzinfo=datetime.UTC
            )
            pages.append(
                NewsItemPage(
                    title=item["title"],
                    draft_title=item["title"],
                    slug=item["slug"],
                    path=Page._get_path(newsroom.path, depth, step + offset),
                    depth=depth,
                    numchild=0,
                    url_path=f"{newsroom.url_path}{item['slug']}/",
                    content_type=self.content_type,
                    locale_id=newsroom.locale_id,
                    translation_key=uuid.uuid4(),
                    live=True,
                    listed_locale_id=newsroom.locale_id,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    latest_revision_created_at=None,
                    lead=item["lead"],
                    issued_on=item["issued_on"],
                    publication_type=item["type"],
                    body=item["body"],
                )
            )
        page_fields = [
            f for f in Page._meta.concrete_fields if not f.primary_key and f.name != "id"
        ]
        created = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages]
        )
        for page, row in zip(pages, created, strict=True):
            page.pk = page.id = page.page_ptr_id = row.pk
        local_fields = [f for f in NewsItemPage._meta.local_concrete_fields]
        NewsItemPage._base_manager._insert(pages, fields=local_fields, using=connection.alias)
        newsroom.numchild += len(pages)
        Page.objects.filter(pk=newsroom.pk).update(numchild=newsroom.numchild)

        relations = (
            (NewsItemPage.issued_by.through, "institutionpage_id", "issuers"),
            (NewsItemPage.fields_of_work.through, "fieldofwork_id", "fields"),
            (NewsItemPage.countries.through, "countrypage_id", "countries"),
        )
        for through, column, name in relations:
            rows = [
                through(newsitempage_id=page.pk, **{column: obj.pk})
                for page, item in zip(pages, new, strict=True)
                for obj in {o.pk: o for o in item[name]}.values()
            ]
            through.objects.bulk_create(rows)
        self._index(pages, new)
        self.summary.created += len(pages)
        self.shown_on.update((page.pk, page) for page in NewsItemPage.pages_showing(pages))

    def _index(self, pages, items):
        """Search index entries for the batch.

        On SQLite the entries are written directly from the text we already hold:
        the backend's own indexer extracts every field three times (title, body,
        autocomplete) and renders the rich text each time, which would take half
        of the import. The text is laid out exactly as the backend lays it out.
        """
        if connection.vendor != "sqlite":
            self.backend.add_bulk(NewsItemPage, pages)
            return
        entries = [
            IndexEntry(
                content_type_id=self.content_type.pk,
                object_id=str(page.pk),
                title=page.title,
                autocomplete=page.title,
                body=" ".join([page.summary, page.lead, ", ".join(item["body_text"])]),
            )
            for page, item in zip(pages, items, strict=True)
        ]
        IndexEntry.objects.bulk_create(entries)
        self.backend.get_index_for_model(NewsItemPage)._refresh_title_norms()
