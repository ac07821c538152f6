from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import PublicationType


class PublicationTypeViewSet(SnippetViewSet):
    model = PublicationType
    icon = "tag"
    menu_label = "Content types"
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


register_snippet(PublicationTypeViewSet)
