from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.admin_columns import TermUsageIndexView, news_count_column

from .models import FieldOfWork


class FieldOfWorkIndexView(TermUsageIndexView):
    news_filter = "fields_of_work"
    usage_key = "fieldofwork__translation_key"

    @property
    def usage_rows(self):
        from newsroom.models import NewsItemPage

        return NewsItemPage.fields_of_work.through.objects.all()


class FieldOfWorkViewSet(SnippetViewSet):
    model = FieldOfWork
    icon = "tag"
    menu_label = "Fields of work"
    add_to_settings_menu = False
    index_view_class = FieldOfWorkIndexView
    list_display = ["name", "slug", "locale", news_count_column()]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


register_snippet(FieldOfWorkViewSet)
