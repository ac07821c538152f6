"""The admin's "News" listing: every news item of every language, filtered and exported.

Built on Wagtail's ``PageListingViewSet`` (see docs/architecture.md, "The news listing in the
admin"). Taxonomy filters match by translation key, so choosing the English "Countering
terrorism" also finds the Russian items, whatever rows wagtail-localize copied.
"""

import csv
from collections import defaultdict
from functools import partial

from django import forms
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import StreamingHttpResponse
from django.utils import timezone
from django_filters import ChoiceFilter, DateFromToRangeFilter, ModelMultipleChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import (
    GroupPagePermission,
    Locale,
    Page,
    PagePermissionTester,
    Revision,
    WorkflowState,
)

from directory.models import CountryPage, FieldOfWork, InstitutionPage

from .models import NewsItemPage, PublicationType
from .query import word_condition

EXPORT_BATCH = 1000


def default_locale_choices(queryset):
    return lambda request: queryset.filter(locale=Locale.get_default())


#: Hook called with each page of the News listing's rows, before they render.
PREPARE_ROWS_HOOK = "prepare_news_listing_rows"


class TranslationKeyFilter(ModelMultipleChoiceFilter):
    """Chooses terms by name in the default language and matches every translation of them."""

    def filter(self, qs, value):
        if not value:
            return qs
        keys = [term.translation_key for term in value]
        return qs.filter(**{f"{self.field_name}__translation_key__in": keys}).distinct()


class StatusFilter(ChoiceFilter):
    def filter(self, qs, value):
        if value == "live":
            return qs.filter(live=True, has_unpublished_changes=False)
        if value == "live_draft":
            return qs.filter(live=True, has_unpublished_changes=True)
        if value == "draft":
            return qs.filter(live=False, expired=False)
        if value == "expired":
            return qs.filter(expired=True)
        if value == "scheduled":
            return qs.filter(
                Exists(
                    Revision.page_revisions.filter(
                        approved_go_live_at__gt=timezone.now(),
                        object_id=Cast(OuterRef("pk"), output_field=CharField()),
                    )
                )
            )
        if value == "in_moderation":
            return qs.filter(
                Exists(
                    WorkflowState.objects.filter(
                        status=WorkflowState.STATUS_IN_PROGRESS,
                        base_content_type_id=OuterRef("content_type_id"),
                        object_id=Cast(OuterRef("pk"), output_field=CharField()),
                    )
                )
            )
        return qs


class NewsFilterSet(PageFilterSet):
    issued_on = DateFromToRangeFilter(label="Issued on", widget=DateRangePickerWidget)
    status = StatusFilter(
        label="Status",
        empty_label="Any",
        choices=[
            ("live", "Published"),
            ("live_draft", "Published, with draft changes"),
            ("draft", "Draft"),
            ("in_moderation", "In moderation"),
            ("scheduled", "Scheduled"),
            ("expired", "Expired"),
        ],
        widget=forms.RadioSelect,
    )
    publication_type = TranslationKeyFilter(
        label="Content type",
        field_name="publication_type",
        queryset=default_locale_choices(PublicationType.objects.all()),
        widget=forms.CheckboxSelectMultiple,
    )
    issued_by = TranslationKeyFilter(
        label="Issued by",
        field_name="issued_by",
        queryset=default_locale_choices(InstitutionPage.objects.order_by("title")),
        widget=forms.CheckboxSelectMultiple,
    )
    fields_of_work = TranslationKeyFilter(
        label="Field of work",
        field_name="fields_of_work",
        queryset=default_locale_choices(FieldOfWork.objects.all()),
        widget=forms.CheckboxSelectMultiple,
    )
    countries = TranslationKeyFilter(
        label="Country",
        field_name="countries",
        queryset=default_locale_choices(CountryPage.objects.order_by("title")),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = NewsItemPage
        fields = []


class LeafPagePermissionTester(PagePermissionTester):
    """Wagtail's permission tester, answering Delete and Move for a page without children.

    Before it offers Delete or Move to a user without the right to publish, Wagtail asks the
    database whether the page or any page below it is live (or owned by someone else). For a
    leaf the page itself is the whole answer, and the question is a scan of the page tree:
    20 ms on SQLite at 100,000 items, twice a row, about 2 s for an editor's page of 50.
    """

    def can_delete(self, ignore_bulk=False):
        if (
            self.page.numchild
            or self.page_is_root
            or not self.user.is_active
            or self.user.is_superuser
        ):
            return super().can_delete(ignore_bulk=ignore_bulk)
        # Wagtail's rules for the subtree, applied to the page alone.
        if "change" in self.permissions:
            return "publish" in self.permissions or not self.page.live
        if "add" in self.permissions:
            owned = self.page.owner_id == self.user.pk
            return owned if "publish" in self.permissions else owned and not self.page.live
        return False


class IssuersColumn(Column):
    def get_value(self, instance):
        return ", ".join(issuer.title for issuer in instance.issued_by.all())


class NewsIndexView(IndexView):
    default_ordering = "-issued_on"

    def get_valid_orderings(self):
        return super().get_valid_orderings() + ["issued_on", "-issued_on"]

    def get_base_queryset(self):
        # Wagtail filters by a subquery over every explorable page; news items are leaves, so
        # the paths the user's groups hold permissions on say the same thing far more cheaply.
        pages = self.model.objects.all()
        user = self.request.user
        if not user.is_superuser:
            paths = sorted(
                GroupPagePermission.objects.filter(group__user=user)
                .values_list("page__path", flat=True)
                .distinct()
            )
            roots = [
                path for path in paths if not any(path.startswith(p) for p in paths if p != path)
            ]
            if not roots:
                return self.annotate_queryset(pages.none())
            if min(len(path) for path in roots) > Page.steplen:
                condition = Q()
                for path in roots:
                    condition |= Q(path__startswith=path)
                pages = pages.filter(condition)
        return self.annotate_queryset(pages)

    def annotate_queryset(self, pages):
        # Wagtail's version ends with .specific(), which refetches every row and drops the
        # select_related and prefetches below; the rows here are already NewsItemPages.
        return (
            pages.defer_streamfields()
            .select_related("publication_type", "locale", "content_type")
            .prefetch_related("issued_by", "sites_rooted_here")
            .prefetch_workflow_states()
            .annotate_has_untranslated_locale()
            .annotate_site_root_state()
            .annotate_approved_schedule()
        )

    def paginate_queryset(self, queryset, page_size):
        if not isinstance(queryset, QuerySet):
            return super().paginate_queryset(queryset, page_size)
        # Counted and sliced with the annotations above (untranslated locales, site roots,
        # schedules), SQLite works them out for every matching item: 1 s for the 60,000
        # English items, 0.3 s to count a filter's distinct items. Paging through the ids
        # leaves the annotations to the page's 50 rows.
        paginator, page, pks, is_paginated = super().paginate_queryset(
            queryset.values_list("pk", flat=True), page_size
        )
        pks = list(pks)
        fetched = {item.pk: item for item in queryset.filter(pk__in=pks)}
        page.object_list = rows = [fetched[pk] for pk in pks if pk in fetched]
        return paginator, page, rows, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Wagtail's title link and row-menu buttons all ask page.permissions_for_user(), and
        # its model method offers no other way in. Set on these instances only, never on the
        # class, it gives the rows of this listing the tester that needs no query per row.
        for page in context["object_list"]:
            page.permissions_for_user = partial(LeafPagePermissionTester, page=page)
        # Apps above the newsroom (translation buttons) prepare their per-row answers for
        # the whole page of rows at once.
        for prepare in hooks.get_hooks(PREPARE_ROWS_HOOK):
            prepare(context["object_list"])
        return context

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Wagtail builds the whole listing first, which fetches every matching item with
            # the listing's prefetches only to count them (6 s for 7,500 items); the
            # export reads what it needs itself.
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def search_queryset(self, queryset):
        # Wagtail's admin search ranks through its database backend, which takes about a
        # minute at 100,000 items on SQLite; the site search's full-text match takes
        # milliseconds. Results are listed newest first, like the rest of the listing.
        if not self.is_searching:
            return queryset
        # The words mean what they mean in the newsroom's word filter.
        condition = word_condition(self.search_query)
        if condition is None:
            return super().search_queryset(queryset)
        return queryset.filter(condition)

    def order_queryset(self, queryset):
        if self.is_searching and not self.is_explicitly_ordered:
            return queryset.order_by("-issued_on", "-pk")
        queryset = super().order_queryset(queryset)
        if self.ordering in ("issued_on", "-issued_on") and not self.is_searching:
            # A stable order, so that paging through 100,000 items never repeats one.
            queryset = queryset.order_by(self.ordering, "-pk" if "-" in self.ordering else "pk")
        return queryset

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.csv_rows(queryset), content_type="text/csv")
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="news-{stamp}.csv"'
        return response

    def csv_rows(self, queryset):
        """The filtered items as CSV, read in batches so memory does not grow with the result."""
        writer = csv.writer(_Echo())
        yield writer.writerow(
            [
                "Title",
                "Issued on",
                "Language",
                "Content type",
                "Issued by",
                "Fields of work",
                "Countries",
                "Status",
                "URL",
                "Last updated",
            ]
        )
        if hasattr(queryset, "results"):
            pks = [page.pk for page in queryset]
        else:
            pks = list(queryset.values_list("pk", flat=True))
        for start in range(0, len(pks), EXPORT_BATCH):
            batch = pks[start : start + EXPORT_BATCH]
            # Plain values rather than pages: building 1,000 pages and their related pages
            # costs far more than the few columns the file needs.
            items = {
                item["pk"]: item
                for item in NewsItemPage.objects.filter(pk__in=batch).values(
                    "pk",
                    "title",
                    "issued_on",
                    "locale__language_code",
                    "publication_type__name",
                    "live",
                    "expired",
                    "has_unpublished_changes",
                    "url_path",
                    "latest_revision_created_at",
                )
            }
            issuers = related_names(batch, "issued_by", "title", "path")
            fields = related_names(batch, "fields_of_work", "name", "name")
            countries = related_names(batch, "countries", "title", "path")
            for pk in batch:
                item = items.get(pk)
                if item is None:
                    continue
                updated = item["latest_revision_created_at"]
                yield writer.writerow(
                    [
                        item["title"],
                        item["issued_on"].isoformat(),
                        item["locale__language_code"],
                        item["publication_type__name"] or "",
                        "; ".join(issuers[pk]),
                        "; ".join(fields[pk]),
                        "; ".join(countries[pk]),
                        export_status(item),
                        item["url_path"],
                        updated.isoformat() if updated else "",
                    ]
                )


def related_names(pks, field, name, ordering):
    """The names each item links to through ``field``, ordered by ``ordering`` as on the page."""
    names = defaultdict(list)
    rows = (
        NewsItemPage.objects.filter(pk__in=pks, **{f"{field}__isnull": False})
        .order_by(f"{field}__{ordering}")
        .values_list("pk", f"{field}__{name}")
    )
    for pk, value in rows:
        names[pk].append(value)
    return names


def export_status(item):
    # Page.status_string looks up an approved schedule with one query per page.
    if item["expired"]:
        return "expired"
    if not item["live"]:
        return "draft"
    return "live + draft" if item["has_unpublished_changes"] else "live"


class _Echo:
    def write(self, value):
        return value


class NewsListingViewSet(PageListingViewSet):
    model = NewsItemPage
    index_view_class = NewsIndexView
    filterset_class = NewsFilterSet
    icon = "doc-full-inverse"
    menu_label = "News"
    menu_order = 150
    name = "news"
    add_to_admin_menu = True
    list_export = ["title"]
    export_filename = "news"
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label="Title", sort_key="title", classname="title"),
        DateColumn("issued_on", label="Issued on", sort_key="issued_on", width="12%"),
        IssuersColumn("issued_by", label="Issued by", width="22%"),
        Column("publication_type", label="Content type", width="12%"),
        PageStatusColumn("status", label="Status", sort_key="live", width="12%"),
        DateColumn(
            "latest_revision_created_at",
            label="Updated",
            sort_key="latest_revision_created_at",
            width="12%",
        ),
    ]


news_listing_viewset = NewsListingViewSet()
