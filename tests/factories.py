"""Builders for unit tests: each test builds the little site it needs.

The migrated database holds the root page, the English home page and the default
Site (see ``tests/conftest.py``); the factories hang everything else below that
home page, published with a revision as an editor's "Publish" would leave it.
Tests about the demo content use the ``demo`` fixture instead.

Shared by every test package: add builders, do not change what existing ones return.
"""

import datetime
import html
import uuid

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from directory.models import (
    CountryPage,
    FieldOfWork,
    FieldOfWorkPage,
    InstitutionPage,
    MeetingPage,
    MeetingSeriesPage,
)
from home.models import Footer, HomePage, MainMenu, SectionIndexPage, StandardPage
from newsroom.models import NewsIndexPage, NewsItemPage, PublicationType

PASSWORD = "correct-horse-battery-staple"


def locale(language="en"):
    return Locale.objects.get_or_create(language_code=language)[0]


def home(language="en"):
    """The home page of ``language``: the migrated English one, or its translation."""
    english = HomePage.objects.get(depth=2, locale=locale("en"))
    if language == "en":
        return english
    return english.get_translation_or_none(locale(language)) or english.copy_for_translation(
        locale(language)
    )


def publish(page):
    """Publish ``page`` with a revision, as the admin's "Publish" does."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page, language):
    """A published copy of ``page`` in ``language`` (its parent translated first)."""
    target = locale(language)
    parent = page.get_parent().specific
    if parent.locale_id != target.pk and parent.depth > 1:
        translate(parent, language)
    existing = page.get_translation_or_none(target)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(target, copy_parents=True)
    return publish(copy.specific)


def _slugify(text):
    return slugify(text)[:255]


class _PublishedPageFactory(wagtail_factories.PageFactory):
    """A page below the English home page, published with a revision."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    # Left blank, Wagtail makes the slug from the title, unique among its siblings
    # ("test-item-2"), as the admin does.
    slug = ""
    parent = factory.LazyFunction(home)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        page = super()._create(model_class, *args, **kwargs)
        if page.live and page.live_revision_id:
            return page  # an existing page found by django_get_or_create
        return publish(page)


class SectionIndexPageFactory(_PublishedPageFactory):
    class Meta:
        model = SectionIndexPage
        django_get_or_create = ("slug", "parent")

    slug = factory.LazyAttribute(lambda page: _slugify(page.title))

    title = factory.Sequence(lambda n: f"Section {n}")


class StandardPageFactory(_PublishedPageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Standard page {n}")


class _TermFactory(DjangoModelFactory):
    """A term of a controlled vocabulary, found again by its slug in its language."""

    class Meta:
        abstract = True
        django_get_or_create = ("slug", "locale")

    slug = factory.LazyAttribute(lambda term: _slugify(term.name))
    locale = factory.LazyFunction(locale)


class FieldOfWorkFactory(_TermFactory):
    class Meta:
        model = FieldOfWork

    name = factory.Sequence(lambda n: f"Field of work {n}")


class PublicationTypeFactory(_TermFactory):
    class Meta:
        model = PublicationType

    name = factory.Sequence(lambda n: f"Content type {n}")


class FieldOfWorkPageFactory(_PublishedPageFactory):
    class Meta:
        model = FieldOfWorkPage

    title = factory.Sequence(lambda n: f"Field of work {n}")
    parent = factory.LazyFunction(lambda: SectionIndexPageFactory(title="Fields of work"))
    field_of_work = factory.LazyAttribute(lambda page: FieldOfWorkFactory(name=page.title))


class CountryPageFactory(_PublishedPageFactory):
    class Meta:
        model = CountryPage

    title = factory.Sequence(lambda n: f"Country {n}")
    parent = factory.LazyFunction(lambda: SectionIndexPageFactory(title="Countries"))
    group = CountryPage.Group.PARTICIPATING_STATE


class InstitutionPageFactory(_PublishedPageFactory):
    class Meta:
        model = InstitutionPage

    title = factory.Sequence(lambda n: f"Structure {n}")
    parent = factory.LazyFunction(lambda: SectionIndexPageFactory(title="Structures"))
    kind = InstitutionPage.Kind.SECRETARIAT_UNIT


class MeetingSeriesPageFactory(_PublishedPageFactory):
    class Meta:
        model = MeetingSeriesPage

    title = factory.Sequence(lambda n: f"Meeting series {n}")
    parent = factory.LazyFunction(lambda: SectionIndexPageFactory(title="Meetings"))


class MeetingPageFactory(_PublishedPageFactory):
    class Meta:
        model = MeetingPage

    title = factory.Sequence(lambda n: f"Meeting {n}")
    parent = factory.SubFactory(MeetingSeriesPageFactory)
    start_date = datetime.date(2024, 12, 5)


class NewsIndexPageFactory(_PublishedPageFactory):
    class Meta:
        model = NewsIndexPage
        django_get_or_create = ("slug", "parent")

    title = "Newsroom"
    slug = "news"


class NewsItemPageFactory(_PublishedPageFactory):
    """A published news item; pass ``issued_by``, ``fields_of_work`` and ``countries`` lists."""

    class Meta:
        model = NewsItemPage

    title = factory.Sequence(lambda n: f"News item {n}")
    parent = factory.LazyFunction(lambda: newsroom())
    lead = factory.LazyAttribute(lambda page: f"Lead of {page.title}.")
    issued_on = datetime.date(2024, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        relations = {
            name: kwargs.pop(name, []) for name in ("issued_by", "fields_of_work", "countries")
        }
        parent = kwargs.pop("parent")
        page = model_class(locale=parent.locale, **kwargs)
        for name, objects in relations.items():
            setattr(page, name, list(objects))
        parent.add_child(instance=page)
        return publish(page)


class UserFactory(DjangoModelFactory):
    """A user who signs in with ``PASSWORD``; ``groups`` names the roles to join."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.LazyAttribute(lambda user: user.username.capitalize())

    @factory.post_generation
    def password(self, create, value, **kwargs):
        self.set_password(value or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        for name in names or ():
            self.groups.add(Group.objects.get(name=name))


# The helpers the older tests use ---------------------------------------------------


def newsroom(language="en"):
    """The newsroom of ``language``, created below its home page when missing."""
    page = NewsIndexPage.objects.filter(locale__language_code=language).first()
    if page is not None:
        return page
    if language == "en":
        return NewsIndexPageFactory(parent=home())
    return translate(newsroom("en"), language)


def news_item(parent=None, *, title="A news item", issued_on=None, issued_by=(), fields=(), **kw):
    return NewsItemPageFactory(
        parent=parent or newsroom(),
        title=title,
        lead=kw.pop("lead", f"Lead of {title}."),
        issued_on=issued_on or datetime.date(2024, 1, 1),
        issued_by=list(issued_by),
        fields_of_work=list(fields),
        **kw,
    )


def many_news_items(count, *, issued_by=None, field=None, **kw):
    """``count`` published news items, by one structure on one field of work.

    On the demo they are issued by the Transnational Threats Department on countering
    terrorism; on a database without it, by a structure and field built for them.
    """
    english = locale("en")
    issuer = issued_by or (
        InstitutionPage.objects.filter(
            slug="transnational-threats-department", locale=english
        ).first()
        or InstitutionPageFactory(title="Transnational Threats Department")
    )
    term = field or (
        FieldOfWork.objects.filter(slug="countering-terrorism", locale=english).first()
        or FieldOfWorkFactory(name="Countering terrorism")
    )
    return [
        news_item(
            title=f"Test item {n}",
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            issued_by=[issuer],
            fields=[term],
            **kw,
        )
        for n in range(count)
    ]


# A small newsroom with known facets (listing, facet counts, feeds) ---------------------


def sample_newsroom():
    """Eight English news items over structures, fields, countries and types, all known.

    Returns a namespace with ``items`` (key -> page, newest first), ``structures``,
    ``fields``, ``countries`` and ``types`` (key -> object). The Secretariat has a
    unit, the Transnational Threats Department; every filter value matches a
    different set of items, so a filter that is ignored or misapplied shows.
    """
    from types import SimpleNamespace

    secretariat = InstitutionPageFactory(
        title="Secretariat",
        kind=InstitutionPage.Kind.SECRETARIAT,
        issuer_name="OSCE Secretariat",
    )
    structures = {
        "secretariat": secretariat,
        "tntd": InstitutionPageFactory(
            title="Transnational Threats Department", parent=secretariat
        ),
        "chairpersonship": InstitutionPageFactory(
            title="Chairpersonship", kind=InstitutionPage.Kind.CHAIRPERSONSHIP
        ),
        "odihr": InstitutionPageFactory(
            title="Office for Democratic Institutions and Human Rights",
            kind=InstitutionPage.Kind.INSTITUTION,
        ),
        "kosovo": InstitutionPageFactory(
            title="Mission in Kosovo", kind=InstitutionPage.Kind.FIELD_OPERATION
        ),
    }
    fields = {
        "conflict": FieldOfWorkFactory(name="Conflict prevention and resolution"),
        "elections": FieldOfWorkFactory(name="Elections"),
        "terrorism": FieldOfWorkFactory(name="Countering terrorism"),
        "democratization": FieldOfWorkFactory(name="Democratization"),
        "arms": FieldOfWorkFactory(name="Arms control"),
        "policing": FieldOfWorkFactory(name="Policing"),
    }
    countries = {
        name.lower(): CountryPageFactory(title=name) for name in ("Finland", "Malta", "Georgia")
    }
    types = {
        "press": PublicationTypeFactory(name="Press release"),
        "feature": PublicationTypeFactory(name="Feature"),
        "statement": PublicationTypeFactory(name="Statement"),
    }
    rows = [
        # key, issued on, title, lead, issuer, fields, countries, type
        ("helsinki", "2025-08-01", "Fifty years of the Helsinki Final Act",
         "The OSCE marks fifty years of the Helsinki Final Act.",
         "secretariat", ["arms", "conflict"], ["finland"], "feature"),
        ("chair", "2025-01-01", "Finland takes over OSCE Chairpersonship for 2025",
         "Finland holds the OSCE Chairpersonship this year.",
         "chairpersonship", ["conflict"], ["finland"], "press"),
        ("georgia", "2024-10-01", "Observers deployed for elections in Georgia",
         "Long-term observation of the elections in Georgia begins.",
         "odihr", ["elections", "conflict"], ["georgia"], "press"),
        ("councils", "2024-09-01", "Municipal councils in Kosovo trained",
         "Councillors learn how to engage citizens.",
         "kosovo", ["democratization"], [], None),
        ("fighters", "2024-06-15", "Expert dialogue on returning foreign terrorist fighters",
         "Experts discuss the return of foreign terrorist fighters and their families.",
         "tntd", ["terrorism"], [], "statement"),
        ("youth", "2024-03-01", "Young leaders in Kosovo discuss democracy",
         "Young people learn about democratic participation and election observation.",
         "kosovo", ["democratization", "elections"], [], "feature"),
        ("malta", "2023-11-20", "Mediterranean conference meets in Malta",
         "The OSCE Mediterranean conference meets in Malta.",
         "chairpersonship", ["conflict"], ["malta"], "press"),
        ("policing", "2022-05-01", "Community policing course ends",
         "A course on community policing ends in Vienna.",
         "chairpersonship", ["policing"], [], None),
    ]  # fmt: skip
    items = {
        key: NewsItemPageFactory(
            title=title,
            lead=lead,
            issued_on=datetime.date.fromisoformat(day),
            issued_by=[structures[issuer]],
            fields_of_work=[fields[name] for name in field_keys],
            countries=[countries[name] for name in country_keys],
            publication_type=types[type_key] if type_key else None,
        )
        for key, day, title, lead, issuer, field_keys, country_keys, type_key in rows
    }
    return SimpleNamespace(
        items=items, structures=structures, fields=fields, countries=countries, types=types
    )


# Translations made with wagtail-localize, and the snippets around every page -----------


def localize(instance, language, strings=None):
    """``instance`` translated into ``language`` with wagtail-localize, and published.

    As a translator leaves it: the texts ``strings`` maps ({source text: translation})
    are translated, everything else falls back to the source. An untranslated parent
    page is localized first, without strings.
    """
    target = locale(language)
    if isinstance(instance, Page) and instance.depth > 2:
        parent = instance.get_parent().specific
        if parent.get_translation_or_none(target) is None:
            localize(parent, language)
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    strings = strings or {}
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = strings.get(html.unescape(segment.string.data))
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                context=segment.context,
                locale=target,
                defaults={
                    "data": html.escape(text, quote=False),
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
    Translation.objects.get_or_create(source=source, target_locale=target)
    # wagtail-localize publishes a page's translation when the transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        translated, _ = source.create_or_update_translation(target, fallback=True)
    return translated.specific if isinstance(translated, Page) else translated


def _block(kind, value):
    # wagtail-localize finds a block's strings by the block's id.
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def main_menu(*sections):
    """The English main menu; each section is ``(page, label, [(page, label), ...])``."""
    return MainMenu.objects.create(
        locale=locale(),
        sections=[
            _block(
                "section",
                {
                    "page": page.pk,
                    "label": label,
                    "items": [
                        _block("link", {"page": link.pk, "label": link_label})
                        for link, link_label in links
                    ],
                },
            )
            for page, label, links in sections
        ],
    )


def footer(text, links=()):
    """The English footer: ``text``, then a link to each page of ``links`` under its title."""
    return Footer.objects.create(
        locale=locale(),
        text=text,
        links=[_block("link", {"page": page.pk, "label": ""}) for page in links],
    )


# A small directory in six languages (translators' dashboard, roles, PO files) --------

TRANSLATED_TITLES = {
    "Countries": {"fr": "Pays", "de": "Länder", "it": "Paesi", "ru": "Страны", "es": "Países"},
    "Finland": {
        "fr": "Finlande", "de": "Finnland", "it": "Finlandia", "ru": "Финляндия", "es": "Finlandia"
    },
    "Asian Partners for Co-operation": {"ru": "Азиатские партнеры по сотрудничеству"},
    "Japan": {"ru": "Япония"},
    "Thailand": {"ru": "Таиланд"},
}  # fmt: skip


def translated_directory():
    """Countries, with Finland in six languages and the Asian partners in two.

    Countries holds Finland and the Asian Partners for Co-operation (Japan, Thailand).
    Finland and the pages above it are translated with wagtail-localize into every
    other language, the partners into Russian only: titles as ``TRANSLATED_TITLES``
    gives them, summaries left in English for translators. Returns a namespace of
    the English pages.
    """
    from types import SimpleNamespace

    countries = SectionIndexPageFactory(title="Countries")
    finland = CountryPageFactory(
        title="Finland", parent=countries, summary="Finland joined the CSCE in 1973."
    )
    partners = SectionIndexPageFactory(title="Asian Partners for Co-operation", parent=countries)
    japan, thailand = (
        CountryPageFactory(
            title=name,
            parent=partners,
            group=CountryPage.Group.ASIAN_PARTNER,
            summary=f"{name} is an Asian Partner for Co-operation.",
        )
        for name in ("Japan", "Thailand")
    )
    for page in (countries, finland, partners, japan, thailand):
        for language, title in TRANSLATED_TITLES[page.title].items():
            localize(page, language, {page.title: title})
    return SimpleNamespace(
        countries=countries, finland=finland, partners=partners, japan=japan, thailand=thailand
    )
