from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import news_listing_viewset
from .models import PublicationType


@hooks.register("register_admin_viewset")
def register_news_listing():
    return news_listing_viewset


class PublicationTypeViewSet(SnippetViewSet):
    model = PublicationType
    icon = "tag"
    menu_label = "Content types"
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


register_snippet(PublicationTypeViewSet)
