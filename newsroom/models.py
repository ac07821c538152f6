import datetime

from django import forms
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone, translation
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.blocks import BodyBlock
from home.invalidation import NEWS
from home.models import BasePage
from home.seo import HEADLINE_LENGTH, absolute_url, shorten


class PublicationType(TranslatableMixin, models.Model):
    """What kind of publication a news item is: news item, press release, statement..."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)

    panels = [FieldPanel("name"), FieldPanel("slug")]
    override_translatable_fields = [SynchronizedField("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "content type"
        verbose_name_plural = "content types"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_publication_type_slug")
        ]

    def __str__(self):
        return self.name


class NewsIndexPage(RoutablePageMixin, BasePage):
    """The newsroom: every news item of one language, newest first, with filters and feeds."""

    intro = models.TextField(blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsroom.NewsItemPage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        from .listing import newsroom_context

        context = super().get_context(request, *args, **kwargs)
        context.update(newsroom_context(self, request))
        return context

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        from .feeds import news_feed

        return news_feed(self, request, "rss")

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from .feeds import news_feed

        return news_feed(self, request, "atom")

    def purge_urls(self):
        """The newsroom and its feeds (filtered addresses expire on the CDN by themselves)."""
        urls = super().purge_urls()
        url = self.get_full_url()
        if url:
            urls += [url + self.reverse_subpage(name) for name in ("rss", "atom")]
        return urls


class NewsItemQuerySet(PageQuerySet):
    def listed(self, locale):
        """Live, public news of one language, through the denormalised ``listed_locale``."""
        return self.filter(listed_locale=locale).public()

    def for_listing(self, locale):
        """Live, public news of one language, newest first, with what cards show."""
        return self.with_card_data(self.listed(locale))

    @staticmethod
    def with_card_data(items):
        """``items`` newest first, with what news cards show."""
        from directory.models import InstitutionPage

        # Cards show no body, so the stream fields are left unread.
        return (
            items.order_by("-issued_on", "-pk")
            .defer_streamfields()
            .select_related("publication_type")
            .prefetch_related(
                Prefetch("issued_by", queryset=InstitutionPage.objects.defer_streamfields()),
                "fields_of_work",
            )
        )


NewsItemManager = PageManager.from_queryset(NewsItemQuerySet)


class NewsItemPageForm(WagtailAdminPageForm):
    """Offers only the structures, fields and countries of the page's own language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = self.instance.locale if self.instance.locale_id else None
        if locale is None and self.parent_page is not None:
            locale = self.parent_page.locale
        if locale is None:
            return
        for name in ("issued_by", "fields_of_work", "countries"):
            if name in self.fields:
                field = self.fields[name]
                field.queryset = field.queryset.filter(locale=locale)
        if "publication_type" in self.fields:
            field = self.fields["publication_type"]
            field.queryset = field.queryset.filter(locale=locale)


class NewsItemPage(BasePage):
    """A news item, press release or statement, with who issued it and what it is about."""

    lead = models.TextField(
        max_length=1000, help_text="The opening paragraph: who, what, where and when."
    )
    issued_on = models.DateField(default=datetime.date.today, db_index=True)
    issued_by = ParentalManyToManyField(
        "directory.InstitutionPage",
        related_name="issued_news",
        help_text="The structures that issue this item: a unit is shown after its parent.",
    )
    fields_of_work = ParentalManyToManyField(
        "directory.FieldOfWork", related_name="news_items", blank=True
    )
    countries = ParentalManyToManyField(
        "directory.CountryPage", related_name="news_items", blank=True
    )
    publication_type = models.ForeignKey(
        PublicationType,
        verbose_name="content type",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured = models.BooleanField(default=False, help_text="Show at the top of the home page.")
    # The page's locale while it is live, else null: a copy of two wagtailcore_page
    # columns so that listings filter and sort on one indexed table (see save()).
    listed_locale = models.ForeignKey(
        "wagtailcore.Locale",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt_text = models.CharField(
        max_length=300, blank=True, help_text="What the image shows, for readers who cannot see it."
    )
    hero_caption = models.CharField(max_length=500, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    objects = NewsItemManager()
    base_form_class = NewsItemPageForm

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("issued_on"), FieldPanel("publication_type")]),
                FieldPanel("issued_by", widget=forms.CheckboxSelectMultiple),
                FieldPanel("fields_of_work", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries", widget=forms.CheckboxSelectMultiple),
                FieldPanel("featured"),
            ],
            "Issued",
        ),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt_text"), FieldPanel("hero_caption")],
            "Main image",
        ),
        FieldPanel("body"),
        InlinePanel("related_links", label="Related news", max_num=6),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("issued_on"),
    ]
    override_translatable_fields = [SynchronizedField("issued_on")]

    parent_page_types = ["newsroom.NewsIndexPage"]
    subpage_types = []

    class Meta:
        indexes = [
            models.Index(fields=["-issued_on"], name="news_issued_on_desc"),
            models.Index(fields=["listed_locale", "-issued_on", "-page_ptr"], name="news_listing"),
        ]

    def save(self, *args, **kwargs):
        self.listed_locale_id = self.locale_id if self.live else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "live" in update_fields:
            kwargs["update_fields"] = [*update_fields, "listed_locale"]
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_alt_text.strip():
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {"hero_alt_text": "Describe the main image for readers who cannot see it."}
            )

    def get_context(self, request, *args, **kwargs):
        from .listing import decorate_news, related_news

        context = super().get_context(request, *args, **kwargs)
        decorate_news([self], self.locale, request, links=True)
        context["related_news"] = related_news(self, request)
        return context

    @property
    def meta_description(self):
        return self.search_description or self.summary or self.lead

    @property
    def published_at(self):
        """When the item was issued, with a time zone: its first publication if that was on
        its issue date, else the start of that day (UTC) for items dated in the past."""
        first = self.first_published_at
        if first is not None and timezone.localdate(first) == self.issued_on:
            return first
        return datetime.datetime.combine(self.issued_on, datetime.time(), datetime.UTC)

    def structured_data(self, request, publisher, image=None):
        """The schema.org NewsArticle of this item, for the page's JSON-LD graph."""
        publisher = {
            "@type": "Organization",
            "name": publisher["name"],
            "url": publisher["url"],
            "logo": publisher["logo"],
        }
        authors = [
            {"@type": "Organization", "name": label, "url": absolute_url(request, link)}
            for label, link in getattr(self, "issuers", [])
        ]
        url = self.get_full_url(request)
        article = {
            "@type": "NewsArticle",
            "headline": shorten(self.title, HEADLINE_LENGTH),
            "description": self.meta_description,
            "datePublished": self.published_at.isoformat(),
            "inLanguage": translation.get_language(),
            "mainEntityOfPage": url,
            "url": url,
            "author": authors or [publisher],
            "publisher": publisher,
        }
        if self.last_published_at:
            article["dateModified"] = max(self.last_published_at, self.published_at).isoformat()
        if image:
            article["image"] = [image]
        return article

    @property
    def is_recent(self):
        return self.issued_on >= timezone.localdate() - datetime.timedelta(days=30)

    # What the caches need to know (home.invalidation) ----------------------------

    def cache_tags(self):
        # Its related news are the latest items sharing a field of work: any news.
        return [*super().cache_tags(), NEWS]

    def pages_showing_it(self):
        """Its newsroom, home page, issuers and the structures above them, countries and
        fields of work, in its language: the pages to refresh, here and on the CDN."""
        return NewsItemPage.pages_showing([self])

    @classmethod
    def pages_showing(cls, items):
        """The live pages that show any of ``items``, each in its item's language.

        Relations are read from the database, in the same nine queries for any number
        of items; they are matched by translation key, as the pages match their news
        (a translated item may still point at the source language's structure).
        """
        from directory.models import CountryPage, FieldOfWorkPage, InstitutionPage
        from home.models import HomePage

        items = [item for item in items if item.pk]
        if not items:
            return []
        locale_of = {item.pk: item.locale_id for item in items}
        keys = {}
        for name, relation in (
            ("issuer", cls.issued_by),
            ("country", cls.countries),
            ("field", cls.fields_of_work),
        ):
            item_field = relation.field.m2m_field_name()
            target_field = relation.field.m2m_reverse_field_name()
            rows = relation.through.objects.filter(
                **{f"{item_field}_id__in": list(locale_of)}
            ).values_list(f"{item_field}_id", f"{target_field}__translation_key")
            for item_id, key in rows:
                keys.setdefault(name, {}).setdefault(locale_of[item_id], set()).add(key)

        def in_locale(name, lookup="translation_key__in"):
            query = models.Q(pk__in=[])
            for locale_id, found in keys.get(name, {}).items():
                query |= models.Q(locale_id=locale_id, **{lookup: found})
            return query

        steplen = cls.steplen
        newsroom_paths = {item.path[:-steplen] for item in items}
        home_paths = {path[:-steplen] for path in newsroom_paths}
        pages = [
            *NewsIndexPage.objects.live().filter(path__in=newsroom_paths),
            *HomePage.objects.live().filter(path__in=home_paths),
            *CountryPage.objects.live().filter(in_locale("country")).defer_streamfields(),
            *FieldOfWorkPage.objects.live()
            .filter(in_locale("field", "field_of_work__translation_key__in"))
            .defer_streamfields(),
        ]
        issuers = list(
            InstitutionPage.objects.live().filter(in_locale("issuer")).defer_streamfields()
        )
        # A structure's page shows the news of its units: the Secretariat's shows its
        # departments'.
        above = {
            issuer.path[:end]
            for issuer in issuers
            for end in range(steplen, len(issuer.path), steplen)
        }
        if above:
            issuers += InstitutionPage.objects.live().filter(path__in=above).defer_streamfields()
        return list({page.pk: page for page in [*pages, *issuers]}.values())


class NewsItemRelatedLink(Orderable):
    news_item = ParentalKey(NewsItemPage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(
        NewsItemPage, on_delete=models.CASCADE, related_name="+", verbose_name="news item"
    )

    panels = [FieldPanel("related")]
