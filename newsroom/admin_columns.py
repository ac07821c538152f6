"""Usage counts for the taxonomy snippets' admin listings."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.html import format_html
from django.utils.http import urlencode
from wagtail.admin.ui.tables import Column
from wagtail.models import Locale
from wagtail.snippets.views.snippets import IndexView


class NewsCountColumn(Column):
    """How many news items (in every language) use the term, linking to them in the News listing."""

    def get_value(self, instance):
        count = instance.news_count
        if not count or not getattr(instance, "news_url", None):
            return "Not used" if not count else f"{count:,} news items"
        label = "1 news item" if count == 1 else f"{count:,} news items"
        return format_html('<a href="{}">{}</a>', instance.news_url, label)


class TermUsageIndexView(IndexView):
    """A taxonomy listing annotated with the number of news items using each term.

    Counts match by translation key, so a term and its translations share one count, whatever
    rows wagtail-localize copied into translated news items.
    """

    #: a queryset of rows that each stand for one use, with the term's translation key.
    usage_rows = None
    #: the lookup from those rows to the term's translation key.
    usage_key = ""
    #: the News listing filter that shows the term's news.
    news_filter = ""

    def get_base_queryset(self):
        counts = (
            self.usage_rows.filter(**{self.usage_key: OuterRef("translation_key")})
            .order_by()
            .values(self.usage_key)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return (
            super()
            .get_base_queryset()
            .annotate(news_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))
        )

    def get_valid_orderings(self):
        return super().get_valid_orderings() + ["news_count", "-news_count"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = list(context["object_list"])
        default_pks = dict(
            self.model.objects.filter(
                locale=Locale.get_default(),
                translation_key__in=[item.translation_key for item in items],
            ).values_list("translation_key", "pk")
        )
        for item in items:
            pk = default_pks.get(item.translation_key)
            if pk is not None:
                item.news_url = "/admin/news/?" + urlencode({self.news_filter: pk})
        return context


def news_count_column():
    return NewsCountColumn("news_count", label="Used by", sort_key="news_count", width="18%")
