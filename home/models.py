from django.db import models
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, PreviewableMixin, RevisionMixin, TranslatableMixin
from wagtail.search import index

from .blocks import BodyBlock
from .text import clean_text_fields


class BasePage(Page):
    """Fields every page of the site shares: a summary for cards and a social image."""

    summary = models.TextField(
        blank=True,
        max_length=400,
        help_text="One or two sentences shown on cards and in search results.",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media (1200×630 works best).",
    )

    search_fields = Page.search_fields + [index.SearchField("summary")]
    promote_panels = Page.promote_panels + [FieldPanel("social_image")]

    class Meta:
        abstract = True

    @property
    def meta_description(self):
        return self.search_description or self.summary

    # What the caches need to know (home.invalidation, home.cache) -----------------

    def cache_tags(self):
        """Tags of a cached response of this page: it is stale once any of them is bumped."""
        from .invalidation import SITE, page_tag

        return [SITE, page_tag(self.pk)]

    def pages_showing_it(self):
        """The pages besides this one that show it, refreshed when it changes; None for all.

        A page appears in menus, breadcrumbs and cards all over the site, so by default a
        change to it is a change of the whole site. A page shown in a few known places
        lists them (read from the database, so that they can be taken before a publish
        and after it).
        """
        return None

    def purge_urls(self):
        """This page's addresses on the CDN: its URL and the paths it serves below it."""
        from .cache import page_purge_urls

        return page_purge_urls(self)

    def full_clean(self, *args, **kwargs):
        clean_text_fields(self)
        return super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        return super().save(*args, **kwargs)


class HomePage(BasePage):
    """The front page of one language: featured and latest news and the site's sections."""

    intro = models.TextField(blank=True, help_text="A sentence welcoming readers.")

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("summary")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.SectionIndexPage",
        "home.StandardPage",
        "newsroom.NewsIndexPage",
    ]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().in_menu().specific()
        return context


class StandardPage(BasePage):
    """A page of prose, such as About us or Organizational structure."""

    body = StreamField(BodyBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.SectionIndexPage", "directory.InstitutionPage"]
    subpage_types = []


class SectionIndexPage(BasePage):
    """A section of the site, such as Countries or Field operations, listing its pages as cards."""

    body = StreamField(BodyBlock(), blank=True, help_text="Optional text above the cards.")

    content_panels = BasePage.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.SectionIndexPage"]
    subpage_types = [
        "home.SectionIndexPage",
        "home.StandardPage",
        "directory.FieldOfWorkPage",
        "directory.MeetingSeriesPage",
        "directory.CountryPage",
        "directory.InstitutionPage",
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cards"] = self.get_children().live().public().specific()
        return context


class MenuLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock()
    label = blocks.CharBlock(
        required=False, max_length=120, help_text="Leave blank to use the page's title."
    )

    class Meta:
        icon = "link"
        label_format = "{label}"


class MenuColumnBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(help_text="The page the column's heading links to.")
    label = blocks.CharBlock(required=False, max_length=120)
    links = blocks.ListBlock(MenuLinkBlock())

    class Meta:
        icon = "list-ul"


class MenuSectionBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(help_text="The page the top-level entry leads to.")
    label = blocks.CharBlock(required=False, max_length=120)
    items = blocks.StreamBlock(
        [("link", MenuLinkBlock()), ("column", MenuColumnBlock())],
        required=False,
        help_text="Links and columns of links shown when the entry is opened.",
    )

    class Meta:
        icon = "folder-open-inverse"


class MainMenu(TranslatableMixin, RevisionMixin, PreviewableMixin, ClusterableModel):
    """The mega menu at the top of every page. One per language; the English one is the source."""

    sections = StreamField([("section", MenuSectionBlock())], blank=True)

    panels = [FieldPanel("sections")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "main menu"

    def __str__(self):
        return f"Main menu ({self.locale.get_display_name()})"

    def get_preview_template(self, request, mode_name):
        return "includes/menu_preview.html"


class Footer(TranslatableMixin, models.Model):
    """The text and links at the foot of every page. One per language; English is the source."""

    text = models.TextField(
        blank=True, help_text="A sentence or two about the organisation, shown on every page."
    )
    links = StreamField(
        [("link", MenuLinkBlock())],
        blank=True,
        help_text="Pages linked from the footer, such as About us.",
    )

    panels = [FieldPanel("text"), FieldPanel("links")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "footer"

    def __str__(self):
        return f"Footer ({self.locale.get_display_name()})"


@register_setting(icon="site")
class OrganisationSettings(BaseSiteSetting):
    """Who runs the site: name, logo, contact and social links for the header and footer."""

    name = models.CharField(
        max_length=200, default="Organization for Security and Co-operation in Europe"
    )
    short_name = models.CharField(
        max_length=30, default="OSCE", help_text="The abbreviation shown large in the header."
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the header beside the name; a PNG at least 96 pixels high.",
    )
    address = models.TextField(blank=True, default="Wallnerstrasse 6\n1010 Vienna\nAustria")
    email = models.EmailField(blank=True, default="info@osce.org")
    phone = models.CharField(max_length=50, blank=True, default="+43 1 514 360")
    x_url = models.URLField("X (Twitter)", blank=True)
    facebook_url = models.URLField(blank=True)
    youtube_url = models.URLField("YouTube", blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)
    instagram_url = models.URLField(blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("logo")], "Identity"
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("email"), FieldPanel("phone")], "Contact"
        ),
        MultiFieldPanel(
            [
                FieldPanel("x_url"),
                FieldPanel("facebook_url"),
                FieldPanel("youtube_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("instagram_url"),
            ],
            "Social media",
        ),
    ]

    class Meta:
        verbose_name = "organisation"

    def __str__(self):
        return self.name

    @property
    def social_links(self):
        links = [
            ("X", self.x_url),
            ("Facebook", self.facebook_url),
            ("YouTube", self.youtube_url),
            ("LinkedIn", self.linkedin_url),
            ("Instagram", self.instagram_url),
        ]
        return [(label, url) for label, url in links if url]


from .workflows import ReviewTask  # noqa: E402, F401  (a model: Django finds it here)
