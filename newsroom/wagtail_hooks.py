from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.admin_columns import TermUsageIndexView, news_count_column

from .admin_views import news_listing_viewset
from .models import NewsItemPage, PublicationType


@hooks.register("register_admin_viewset")
def register_news_listing():
    return news_listing_viewset


class PublicationTypeIndexView(TermUsageIndexView):
    news_filter = "publication_type"
    usage_key = "publication_type__translation_key"

    @property
    def usage_rows(self):
        return NewsItemPage.objects.all()


class PublicationTypeViewSet(SnippetViewSet):
    model = PublicationType
    icon = "tag"
    menu_label = "Content types"
    index_view_class = PublicationTypeIndexView
    list_display = ["name", "slug", "locale", news_count_column()]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


register_snippet(PublicationTypeViewSet)
