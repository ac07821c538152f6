"""The newsroom's filters: reading them from the address, matching and counting facets.

Filter values are slugs, which are the same in every language, so a filtered
address works in all six. Items are matched on the related object's
``translation_key`` because translated news items keep pointing at the source
language's objects (see home/i18n.py). Matching and counting are done on the
language's facet index (facets.py), not in SQL: any combination of filters
costs the same few bitset operations at 100,000 items as at ten.
"""

import datetime
import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.models import Locale

from directory.models import CountryPage, FieldOfWork, InstitutionPage

from .facets import build_indexes, facet_index, remember_facet_indexes
from .fulltext import TextMatch, clean_query
from .models import PublicationType
from .signals import news_version

MAX_VALUES = 30
MAX_QUERY_LENGTH = 200
OPTIONS_TIMEOUT = 7 * 24 * 60 * 60

FACETS = ("field", "country", "issuer", "type")


@dataclass
class Option:
    slug: str
    label: str
    key: object
    depth: int = 0
    count: int = 0
    selected: bool = False


@dataclass
class Facet:
    name: str
    legend: str
    options: list

    @property
    def selected(self):
        return [o for o in self.options if o.selected]


def _prefer_locale(objects, locale):
    """One object per translation key, the one in ``locale`` if it exists."""
    chosen = {}
    for obj in objects:
        current = chosen.get(obj.translation_key)
        if current is None or (obj.locale_id == locale.pk and current.locale_id != locale.pk):
            chosen[obj.translation_key] = obj
    return chosen


def _locales(locale):
    default = Locale.get_default()
    return {locale.pk, default.pk}


def facet_options(locale):
    """The choices of each filter in ``locale``, cached until a page or term changes.

    Reading them costs four queries that scan the page table by locale (~40 ms
    at 100,000 news items), for lists that change only when editors publish.
    """
    key = _options_key(locale, news_version())
    facets = cache.get(key)
    if facets is None:
        facets = _facet_options(locale)
        cache.set(key, facets, OPTIONS_TIMEOUT)
    return facets


def _options_key(locale, version):
    return f"newsroom:options:{version}:{locale.pk}"


def refresh_newsroom():
    """Build every language's filter choices and facet index for the current news version.

    Run after editors publish (see signals.py), so that the next reader finds
    them ready instead of waiting for them.
    """
    version = news_version()
    for locale in Locale.objects.all():
        with translation.override(locale.language_code):
            cache.set(_options_key(locale, version), _facet_options(locale), OPTIONS_TIMEOUT)
    remember_facet_indexes(build_indexes(), version)


def _facet_options(locale):
    locales = _locales(locale)
    fields = _prefer_locale(FieldOfWork.objects.filter(locale_id__in=locales), locale)
    countries = _prefer_locale(
        CountryPage.objects.live()
        .filter(locale_id__in=locales)
        .only("title", "slug", "translation_key", "locale_id"),
        locale,
    )
    issuers = _prefer_locale(
        InstitutionPage.objects.live()
        .filter(locale_id__in=locales)
        .only("title", "slug", "translation_key", "locale_id", "path", "depth", "issuer_name"),
        locale,
    )
    types = _prefer_locale(PublicationType.objects.filter(locale_id__in=locales), locale)

    paths = [p.path for p in issuers.values()]
    issuer_options = [
        # Indented once per structure above it: units sit under the Secretariat.
        Option(
            p.slug,
            p.title,
            p.translation_key,
            depth=sum(1 for other in paths if other != p.path and p.path.startswith(other)),
        )
        for p in sorted(issuers.values(), key=lambda p: p.path)
    ]
    return {
        "field": Facet(
            "field",
            _("Field of work"),
            sorted(
                (Option(t.slug, t.name, t.translation_key) for t in fields.values()),
                key=lambda o: o.label.casefold(),
            ),
        ),
        "country": Facet(
            "country",
            _("Country"),
            sorted(
                (Option(c.slug, c.title, c.translation_key) for c in countries.values()),
                key=lambda o: o.label.casefold(),
            ),
        ),
        "issuer": Facet("issuer", _("Issued by"), issuer_options),
        "type": Facet(
            "type",
            _("Content type"),
            sorted(
                (Option(t.slug, t.name, t.translation_key) for t in types.values()),
                key=lambda o: o.label.casefold(),
            ),
        ),
    }


def _parse_date(value, label, errors):
    value = (value or "").strip()
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(
            _("“%(value)s” is not a valid %(label)s date: use the form YYYY-MM-DD.")
            % {"value": value[:40], "label": label}
        )
        return None


class NewsFilters:
    """The filters of one newsroom request."""

    def __init__(self, data, locale):
        self.locale = locale
        self.errors = []
        self.unknown = []
        self.facets = facet_options(locale)
        for name, facet in self.facets.items():
            by_slug = {o.slug: o for o in facet.options}
            for slug in dict.fromkeys(data.getlist(name)[:MAX_VALUES]):
                slug = slug.strip()
                if not slug:
                    continue
                if slug in by_slug:
                    by_slug[slug].selected = True
                else:
                    self.unknown.append((facet.legend, slug[:80]))
        self.date_from = _parse_date(data.get("from"), _("“from”"), self.errors)
        self.date_to = _parse_date(data.get("to"), _("“to”"), self.errors)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            self.errors.append(_("The “from” date is after the “to” date: no dates applied."))
            self.date_from = self.date_to = None
        self.query = clean_query(data.get("q"), MAX_QUERY_LENGTH)
        self.text = TextMatch(self.query)

    @property
    def is_active(self):
        return bool(
            any(f.selected for f in self.facets.values())
            or self.date_from
            or self.date_to
            or self.text
        )

    def params(self, without=None):
        """The canonical query parameters, optionally without one (name, value) pair."""
        pairs = []
        for name, facet in self.facets.items():
            for option in facet.selected:
                if (name, option.slug) != without:
                    pairs.append((name, option.slug))
        if self.date_from and without != ("from", None):
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to and without != ("to", None):
            pairs.append(("to", self.date_to.isoformat()))
        if self.query and without != ("q", None):
            pairs.append(("q", self.query))
        return pairs

    def querystring(self, without=None):
        return urlencode(self.params(without))

    def active(self):
        """(label, address without it) for each active filter, to remove them one by one."""
        chips = []
        for name, facet in self.facets.items():
            for option in facet.selected:
                chips.append(
                    (f"{facet.legend}: {option.label}", self.querystring((name, option.slug)))
                )
        if self.date_from:
            chips.append(
                (_("From %(date)s") % {"date": self.date_from}, self.querystring(("from", None)))
            )
        if self.date_to:
            chips.append(
                (_("To %(date)s") % {"date": self.date_to}, self.querystring(("to", None)))
            )
        if self.query:
            chips.append((_("Words: %(q)s") % {"q": self.query}, self.querystring(("q", None))))
        return chips

    # Matching and counting ------------------------------------------------

    def _masks(self):
        """Bitsets of the items each active filter lets through, by filter name."""
        index = self.index
        masks = {}
        for name, facet in self.facets.items():
            keys = [str(o.key) for o in facet.selected]
            if keys:
                masks[name] = index.bits(name, keys)
        if self.date_from or self.date_to:
            masks["dates"] = index.dates(self.date_from, self.date_to)
        if self.text:
            masks["text"] = self._text_mask()
        return masks

    def _text_mask(self):
        # A word found in every item matches 100,000 pages (~100 ms to read and
        # number); the bitset is kept until the next publish.
        words = " ".join(self.text.words)
        digest = hashlib.sha1(words.encode()).hexdigest()
        key = f"newsroom:words:{news_version()}:{self.locale.pk}:{digest}"
        mask = cache.get(key)
        if mask is None:
            sql, params = self.text.page_ids_sql()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                mask = self.index.matching([row[0] for row in cursor.fetchall()])
            cache.set(key, mask, OPTIONS_TIMEOUT)
        return mask

    @cached_property
    def index(self):
        return facet_index(self.locale)

    @cached_property
    def mask(self):
        """The items matching every active filter."""
        return _all_of(self._active_masks.values(), self.index.everything)

    @cached_property
    def _active_masks(self):
        return self._masks()

    def count(self):
        """The number of matching items; each filter value's ``count`` is set on the way.

        A filter's values are counted with the other filters applied and its own
        left out, so choosing a second value of a filter shows what it would add.
        """
        index = self.index
        masks = self._active_masks
        for name, facet in self.facets.items():
            others = _all_of((m for n, m in masks.items() if n != name), index.everything)
            values = index.values[name]
            for option in facet.options:
                option.count = (values.get(str(option.key), 0) & others).bit_count()
        return self.mask.bit_count()

    def item_ids(self, start, stop):
        """Ids of the matching items from the ``start``-th to the ``stop``-th, newest first."""
        return self.index.page(self.mask, start, stop)


def _all_of(masks, everything):
    result = everything
    for mask in masks:
        result &= mask
    return result
