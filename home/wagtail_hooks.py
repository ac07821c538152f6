from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Footer, MainMenu


class MainMenuViewSet(SnippetViewSet):
    model = MainMenu
    icon = "list-ul"
    menu_label = "Main menu"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["__str__", "locale"]


register_snippet(MainMenuViewSet)


class FooterViewSet(SnippetViewSet):
    model = Footer
    icon = "list-ul"
    menu_label = "Footer"
    menu_order = 301
    add_to_admin_menu = True
    list_display = ["__str__", "locale"]


register_snippet(FooterViewSet)


@hooks.register("insert_editor_js")
def autosave_before_submit():
    """The editor's Submit/Publish waits for an autosave in flight (see the script)."""
    return format_html('<script src="{}"></script>', static("home/js/autosave-before-submit.js"))
