from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from directory.models import FieldOfWork

from .admin_columns import TermUsageIndexView, news_count_column
from .admin_views import news_listing_viewset
from .models import NewsItemPage, PublicationType


@hooks.register("after_create_page", order=100)
def news_is_not_copied_into_other_languages(request, page):
    """Pages are synchronised into every language tree; news items are not.

    A news item is written for one language's readers: an untranslated English copy
    would appear in the French newsroom as French news. Runs after wagtail-localize's
    own hook, which has just made the copies.
    """
    if isinstance(page.specific_deferred, NewsItemPage):
        for alias in Page.objects.filter(alias_of=page):
            alias.delete()


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


class FieldOfWorkIndexView(TermUsageIndexView):
    news_filter = "fields_of_work"
    usage_key = "fieldofwork__translation_key"

    @property
    def usage_rows(self):
        return NewsItemPage.fields_of_work.through.objects.all()


class FieldOfWorkViewSet(SnippetViewSet):
    """The fields of work (a directory vocabulary), listed with the news that use each."""

    model = FieldOfWork
    icon = "tag"
    menu_label = "Fields of work"
    add_to_settings_menu = False
    index_view_class = FieldOfWorkIndexView
    list_display = ["name", "slug", "locale", news_count_column()]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


register_snippet(FieldOfWorkViewSet)
