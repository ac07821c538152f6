import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.blocks import BodyBlock
from home.models import BasePage


class FieldOfWork(TranslatableMixin, models.Model):
    """A field of work: the organisation's main taxonomy, chosen on news items."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120,
        allow_unicode=False,
        help_text="Used in newsroom filter addresses; keep it short and stable.",
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]
    override_translatable_fields = [SynchronizedField("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "field of work"
        verbose_name_plural = "fields of work"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_field_of_work_slug")
        ]

    def __str__(self):
        return self.name


class BodyPage(BasePage):
    """Shared shape of directory pages: a summary and a body."""

    body = StreamField(BodyBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    class Meta:
        abstract = True

    def news_filter(self):
        """Keyword arguments that select this page's news; None for pages without news."""
        return None

    def newsroom_query(self):
        """The newsroom filter showing all of this page's news, as a query string."""
        return ""


class FieldOfWorkPage(BodyPage):
    """The page of one field of work: what the organisation does in it, with its latest news."""

    field_of_work = models.ForeignKey(
        FieldOfWork,
        on_delete=models.PROTECT,
        related_name="pages",
        help_text="The taxonomy term whose news this page shows.",
    )

    content_panels = (
        BodyPage.content_panels[:1] + [FieldPanel("field_of_work")] + BodyPage.content_panels[1:]
    )

    parent_page_types = ["home.SectionIndexPage"]
    subpage_types = []

    def news_filter(self):
        return {"fields_of_work__translation_key": self.field_of_work.translation_key}

    def newsroom_query(self):
        return f"field={self.field_of_work.slug}"


class CountryPage(BodyPage):
    """A participating State or Partner for Co-operation."""

    class Group(models.TextChoices):
        PARTICIPATING_STATE = "participating_state", _("Participating State")
        ASIAN_PARTNER = "asian_partner", _("Asian Partner for Co-operation")
        MEDITERRANEAN_PARTNER = "mediterranean_partner", _("Mediterranean Partner for Co-operation")

    group = models.CharField(
        max_length=30, choices=Group.choices, default=Group.PARTICIPATING_STATE
    )
    iso_code = models.CharField(
        "ISO code", max_length=2, blank=True, help_text="Two-letter ISO 3166-1 code, e.g. FI."
    )
    joined = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Year the country joined the CSCE/OSCE or became a Partner.",
    )
    chairpersonship_years = models.CharField(
        max_length=100,
        blank=True,
        help_text="Years it held the Chairpersonship, separated by commas, e.g. 2008, 2025.",
    )

    content_panels = BodyPage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("group"), FieldPanel("iso_code")]),
                FieldRowPanel([FieldPanel("joined"), FieldPanel("chairpersonship_years")]),
            ],
            "Membership",
        )
    ]
    override_translatable_fields = [
        SynchronizedField("slug"),
        SynchronizedField("iso_code"),
        SynchronizedField("chairpersonship_years"),
    ]

    parent_page_types = ["home.SectionIndexPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        self.iso_code = self.iso_code.upper()
        if self.chairpersonship_years and not re.fullmatch(
            r"\s*\d{4}(\s*,\s*\d{4})*\s*", self.chairpersonship_years
        ):
            raise ValidationError(
                {"chairpersonship_years": "Enter four-digit years separated by commas."}
            )

    @property
    def chairpersonship_year_list(self):
        return [int(year) for year in re.findall(r"\d{4}", self.chairpersonship_years)]

    def news_filter(self):
        return {"countries__translation_key": self.translation_key}

    def newsroom_query(self):
        return f"country={self.slug}"


class InstitutionPage(BodyPage):
    """A structure of the organisation: Secretariat unit, institution, field operation..."""

    class Kind(models.TextChoices):
        CHAIRPERSONSHIP = "chairpersonship", _("Chairpersonship")
        SECRETARIAT = "secretariat", _("Secretariat")
        SECRETARIAT_UNIT = "secretariat_unit", _("Secretariat department or office")
        INSTITUTION = "institution", _("Institution")
        FIELD_OPERATION = "field_operation", _("Field operation")
        PARLIAMENTARY_ASSEMBLY = "parliamentary_assembly", _("Parliamentary Assembly")
        COURT = "court", _("Court")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    acronym = models.CharField(max_length=30, blank=True)
    issuer_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Name shown when this structure issues news, e.g. 'OSCE Secretariat'. "
        "Leave blank to use the title.",
    )
    location = models.CharField(max_length=100, blank=True, help_text="City of its headquarters.")
    host_country = models.ForeignKey(
        "directory.CountryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For field operations: the country that hosts it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    established = models.PositiveSmallIntegerField(null=True, blank=True)
    closed = models.PositiveSmallIntegerField("closed in", null=True, blank=True)

    content_panels = BodyPage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("acronym")]),
                FieldPanel("issuer_name"),
                FieldRowPanel([FieldPanel("location"), FieldPanel("host_country")]),
                FieldRowPanel(
                    [FieldPanel("status"), FieldPanel("established"), FieldPanel("closed")]
                ),
            ],
            "About this structure",
        )
    ]
    override_translatable_fields = [SynchronizedField("acronym"), SynchronizedField("slug")]

    parent_page_types = ["home.SectionIndexPage", "directory.InstitutionPage"]
    subpage_types = ["directory.InstitutionPage", "home.StandardPage"]

    def clean(self):
        super().clean()
        if self.closed and self.status != self.Status.CLOSED:
            raise ValidationError({"status": "A structure with a closing year must be closed."})
        if self.closed and self.established and self.closed < self.established:
            raise ValidationError({"closed": "It cannot close before it was established."})

    @property
    def issuer_display(self):
        return self.issuer_name or self.title

    def news_filter(self):
        # A structure's news includes that of its units: the Secretariat's news
        # includes the Transnational Threats Department's.
        keys = InstitutionPage.objects.descendant_of(self, inclusive=True).values("translation_key")
        return {"issued_by__translation_key__in": keys}

    def newsroom_query(self):
        return f"issuer={self.slug}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["units"] = self.get_children().live().public().specific()
        return context


class MeetingSeriesPage(BodyPage):
    """A recurring meeting or conference, such as the Ministerial Council, holding its meetings."""

    parent_page_types = ["home.SectionIndexPage"]
    subpage_types = ["directory.MeetingPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["meetings"] = (
            MeetingPage.objects.child_of(self)
            .live()
            .public()
            .select_related("host_country")
            .order_by("-start_date")
        )
        return context


class MeetingPage(BodyPage):
    """One meeting of a series: when, where and who hosted it."""

    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    host_country = models.ForeignKey(
        "directory.CountryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = BodyPage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("venue"), FieldPanel("host_country")]),
            ],
            "When and where",
        )
    ]

    parent_page_types = ["directory.MeetingSeriesPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The meeting cannot end before it starts."})
