"""What a reader asks of the newsroom: a set of filters, read from an address and written back.

``NewsFilters`` is a plain value (hashable, no request, no language): the newsroom,
its feeds, the hub pages and, later, e-mail alerts hand one to ``NewsQuery``
(query.py) and store or link it as its query string. Filter values are slugs,
which are the same in every language, so a filtered address works in all six.

Readers' input is checked against the filter choices of the newsroom's
language (``read_filters``): unknown slugs and malformed dates are dropped with
a message, never an error. A ``NewsFilters`` built in code is taken as it is:
a slug nothing carries matches nothing.
"""

import datetime
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

from django.core.cache import cache
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.models import Locale

from directory.models import CountryPage, FieldOfWork, InstitutionPage

from .facets import build_indexes, remember_facet_indexes
from .fulltext import clean_query, terms
from .models import PublicationType
from .signals import news_version

MAX_VALUES = 30
MAX_QUERY_LENGTH = 200
OPTIONS_TIMEOUT = 7 * 24 * 60 * 60

#: Query-string names of the filters chosen from a list, in the order the form shows them.
FACETS = ("field", "country", "issuer", "type")
_ATTRIBUTE = {"field": "fields", "country": "countries", "issuer": "issuers", "type": "types"}


@dataclass(frozen=True)
class NewsFilters:
    """A set of newsroom filters; different filters combine with AND, values of one with OR.

    ``fields``, ``countries``, ``issuers`` and ``types`` hold slugs (an issuer
    includes its units); the dates are inclusive; ``query`` holds words that
    must all appear in the title or text.
    """

    fields: tuple = ()
    countries: tuple = ()
    issuers: tuple = ()
    types: tuple = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    query: str = ""

    def slugs(self, facet):
        """The chosen slugs of one filter, by its query-string name (``"field"``...)."""
        return getattr(self, _ATTRIBUTE[facet])

    @property
    def words(self):
        return terms(self.query)

    @property
    def is_active(self):
        return bool(
            any(self.slugs(name) for name in FACETS) or self.date_from or self.date_to or self.words
        )

    def params(self, without=None):
        """The query parameters, optionally without one (name, value) pair."""
        pairs = [
            (name, slug) for name in FACETS for slug in self.slugs(name) if (name, slug) != without
        ]
        if self.date_from and without != ("from", None):
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to and without != ("to", None):
            pairs.append(("to", self.date_to.isoformat()))
        if self.query and without != ("q", None):
            pairs.append(("q", self.query))
        return pairs

    def querystring(self, without=None):
        return urlencode(self.params(without))

    @classmethod
    def from_querystring(cls, text):
        """The filters ``querystring()`` wrote, exactly: for addresses the site itself made.

        Nothing is checked against the filter choices; a malformed date raises
        ValueError. Readers' input goes through ``read_filters`` instead.
        """
        chosen = {name: [] for name in FACETS}
        values = {}
        for name, value in parse_qsl(text or ""):
            if name in chosen:
                chosen[name].append(value)
            elif name in ("from", "to"):
                values[name] = datetime.date.fromisoformat(value)
            elif name == "q":
                values[name] = value
        return cls(
            **{_ATTRIBUTE[name]: tuple(slugs) for name, slugs in chosen.items()},
            date_from=values.get("from"),
            date_to=values.get("to"),
            query=values.get("q", ""),
        )


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


class FilterForm:
    """The newsroom's filter form as a reader filled it in: what it asks, and what was wrong.

    ``filters`` is what the rest of the site works with; the other attributes are
    what the form and the list of active filters show.
    """

    def __init__(self, filters, errors, unknown, choices):
        self.filters = filters
        self.errors = errors
        self.unknown = unknown
        self._choices = choices

    @property
    def query(self):
        return self.filters.query

    @property
    def date_from(self):
        return self.filters.date_from

    @property
    def date_to(self):
        return self.filters.date_to

    @property
    def is_active(self):
        return self.filters.is_active

    def querystring(self, without=None):
        return self.filters.querystring(without)

    @cached_property
    def active(self):
        """(label, address without it) for each active filter, to remove them one by one."""
        chips = []
        filters = self.filters
        for name in FACETS:
            facet = self._choices[name]
            labels = {o.slug: o.label for o in facet.options}
            for slug in filters.slugs(name):
                chips.append(
                    (
                        f"{facet.legend}: {labels.get(slug, slug)}",
                        filters.querystring((name, slug)),
                    )
                )
        if filters.date_from:
            chips.append(
                (
                    _("From %(date)s") % {"date": filters.date_from},
                    filters.querystring(("from", None)),
                )
            )
        if filters.date_to:
            chips.append(
                (_("To %(date)s") % {"date": filters.date_to}, filters.querystring(("to", None)))
            )
        if filters.query:
            chips.append(
                (_("Words: %(q)s") % {"q": filters.query}, filters.querystring(("q", None)))
            )
        return chips


def read_filters(data, locale):
    """The filters a reader asked for in ``data`` (a QueryDict), checked against ``locale``'s.

    Unknown slugs are left out and listed; a malformed date, or a "from" after
    "to", gives a message and no date filter; the words are cleaned of control
    characters and cut to 200 characters. Chosen values are kept in the order
    the form lists them, so one choice has one address.
    """
    choices = filter_choices(locale)
    errors, unknown, chosen = [], [], {}
    for name in FACETS:
        facet = choices[name]
        order = {o.slug: n for n, o in enumerate(facet.options)}
        found = set()
        for slug in dict.fromkeys(data.getlist(name)[:MAX_VALUES]):
            slug = slug.strip()
            if not slug:
                continue
            if slug in order:
                found.add(slug)
            else:
                unknown.append((facet.legend, slug[:80]))
        chosen[_ATTRIBUTE[name]] = tuple(sorted(found, key=order.__getitem__))
    date_from = _parse_date(data.get("from"), _("“from”"), errors)
    date_to = _parse_date(data.get("to"), _("“to”"), errors)
    if date_from and date_to and date_from > date_to:
        errors.append(_("The “from” date is after the “to” date: no dates applied."))
        date_from = date_to = None
    filters = NewsFilters(
        **chosen,
        date_from=date_from,
        date_to=date_to,
        query=clean_query(data.get("q"), MAX_QUERY_LENGTH),
    )
    return FilterForm(filters, errors, unknown, choices)


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


# The choices of each filter ---------------------------------------------------------

_memo = {}


def filter_choices(locale):
    """name -> Facet: the choices of each filter in ``locale``, cached until a page or term changes.

    Reading them costs four queries that scan the page table by locale (~40 ms
    at 100,000 news items), for lists that change only when editors publish.
    Each process keeps the current version's; callers copy before they change one.
    """
    version = news_version()
    memo = _memo.get(locale.pk)
    if memo is not None and memo[0] == version:
        return memo[1]
    key = _options_key(locale, version)
    facets = cache.get(key)
    if facets is None:
        facets = _facet_options(locale)
        cache.set(key, facets, OPTIONS_TIMEOUT)
    _memo[locale.pk] = (version, facets)
    return facets


def facets_with_counts(choices, filters, counts):
    """Copies of ``choices`` with each option's count (from ``counts``) and whether it is chosen."""
    facets = []
    for name in FACETS:
        facet = choices[name]
        chosen = set(filters.slugs(name))
        found = counts.get(name, {})
        facets.append(
            Facet(
                facet.name,
                facet.legend,
                [
                    replace(o, count=found.get(o.key, 0), selected=o.slug in chosen)
                    for o in facet.options
                ],
            )
        )
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


def _prefer_locale(objects, locale):
    """One object per translation key, the one in ``locale`` if it exists."""
    chosen = {}
    for obj in objects:
        current = chosen.get(obj.translation_key)
        if current is None or (obj.locale_id == locale.pk and current.locale_id != locale.pk):
            chosen[obj.translation_key] = obj
    return chosen


def _facet_options(locale):
    locales = {locale.pk, Locale.get_default().pk}
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


def choice_keys(choices, filters):
    """name -> translation keys of the chosen values, for each filter with a choice.

    A slug may name more than one choice (structures' slugs are unique only
    among siblings): it then chooses all of them.
    """
    keys = {}
    for name in FACETS:
        slugs = set(filters.slugs(name))
        if slugs:
            keys[name] = [o.key for o in choices[name].options if o.slug in slugs]
    return keys
