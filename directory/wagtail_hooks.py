from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FieldOfWork


class FieldOfWorkViewSet(SnippetViewSet):
    model = FieldOfWork
    icon = "tag"
    menu_label = "Fields of work"
    add_to_settings_menu = False
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


register_snippet(FieldOfWorkViewSet)
