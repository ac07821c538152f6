"""The state of every page's translation into every language, for the translators' dashboard.

A fixed number of queries for any number of rows: the source pages of one
dashboard page, then their translations, sources and wagtail-localize
translations in one query each.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationLog

MISSING = "missing"
IN_PROGRESS = "in_progress"
PUBLISHED = "published"
OUT_OF_DATE = "out_of_date"
STATES = {
    MISSING: _("Missing"),
    IN_PROGRESS: _("In progress"),
    PUBLISHED: _("Published"),
    OUT_OF_DATE: _("Out of date"),
}
SOURCE_FIELDS = ["pk", "title", "path", "depth", "translation_key", "last_published_at", "live"]
TARGET_FIELDS = [
    "pk",
    "title",
    "translation_key",
    "locale_id",
    "live",
    "has_unpublished_changes",
    "alias_of_id",
]


@dataclass
class Cell:
    locale: Locale
    state: str
    url: str
    page_id: int | None = None

    @property
    def label(self):
        return STATES[self.state]


@dataclass
class Row:
    page: Page
    cells: list


def language_order():
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def source_locale():
    return Locale.get_default()


def sections():
    """The English sections a translator can narrow the dashboard to, in tree order."""
    home = Page.objects.filter(depth=2, locale=source_locale()).first()
    if home is None:
        return Page.objects.none()
    return (
        Page.objects.descendant_of(home)
        .filter(locale=home.locale_id, numchild__gt=0)
        .order_by("path")
        .only("pk", "title", "depth", "path")
    )


def source_pages(section=None):
    pages = Page.objects.filter(locale=source_locale(), depth__gte=2)
    if section is not None:
        pages = pages.descendant_of(section, inclusive=True)
    return pages.order_by("path").only(*SOURCE_FIELDS)


def cell_state(source, target, last_synced, translation):
    """The state of ``source``'s translation, from what exists in the target language.

    ``last_synced`` is when wagtail-localize last wrote the translation from the source
    (its TranslationLog); an English page published after that is out of date there.
    """
    if target is None or target["alias_of_id"]:
        return IN_PROGRESS if translation is not None else MISSING
    if not target["live"] or target["has_unpublished_changes"]:
        return IN_PROGRESS
    # A translation made in the plain editor has no log to compare with.
    if (
        last_synced is not None
        and source.last_published_at
        and source.last_published_at > last_synced
    ):
        return OUT_OF_DATE
    return PUBLISHED


def rows(pages, locales):
    """One row per source page, one cell per locale, in four queries."""
    pages = list(pages)
    keys = [page.translation_key for page in pages]
    targets = {
        (row["translation_key"], row["locale_id"]): row
        for row in Page.objects.filter(translation_key__in=keys, locale__in=locales).values(
            *TARGET_FIELDS
        )
    }
    synced = {
        (row["source__object_id"], row["locale_id"]): row["last"]
        for row in TranslationLog.objects.filter(
            source__object_id__in=keys, source__locale=source_locale(), locale__in=locales
        )
        .values("source__object_id", "locale_id")
        .annotate(last=Max("created_at"))
    }
    translations = {
        (row["source__object_id"], row["target_locale_id"]): row
        for row in Translation.objects.filter(
            source__object_id__in=keys,
            source__locale=source_locale(),
            target_locale__in=locales,
            enabled=True,
        ).values("source__object_id", "target_locale_id")
    }
    result = []
    for page in pages:
        cells = []
        for locale in locales:
            key = (page.translation_key, locale.pk)
            target = targets.get(key)
            state = cell_state(page, target, synced.get(key), translations.get(key))
            cells.append(
                Cell(
                    locale=locale,
                    state=state,
                    url=editor_url(page, target, locale, state),
                    page_id=target["pk"] if target else None,
                )
            )
        result.append(Row(page=page, cells=cells))
    return result


def editor_url(source, target, locale, state):
    """Where a translator goes from a cell: the translation editor, or starting a translation."""
    if target is not None and state != MISSING:
        return reverse("wagtailadmin_pages:edit", args=[target["pk"]])
    url = reverse("wagtail_localize:submit_page_translation", args=[source.pk])
    return f"{url}?select_locale={locale.language_code}"
