"""Translate the demo site into every content language the wagtail-localize way.

Each English page and snippet gets a ``TranslationSource``; the names the data
files give in other languages become ``StringTranslation`` rows, so the
translation editor shows them as translated, and everything else falls back to
the English source until a translator works on it. Nothing is written for an
object whose source, strings and translation are already in place, so running
the loader again changes nothing.
"""

import html
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_save
from modelsearch.backends import get_search_backends
from modelsearch.index import Indexed, get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail_localize.models import (
    LocaleSynchronization,
    StringSegment,
    StringTranslation,
    TranslationSource,
)
from wagtail_localize.models import (
    Translation as LocalizeTranslation,
)

from directory.models import FieldOfWork
from home.models import Footer, MainMenu
from localization.roles import ensure_translator_groups
from newsroom.models import PublicationType

TOOL_NAME = "demo content"
HOME_STRINGS = {
    "OSCE": {"fr": "OSCE", "de": "OSZE", "it": "OSCE", "ru": "ОБСЕ", "es": "OSCE"},
    "Working for stability, peace and democracy for more than a billion people.": {
        "fr": "Œuvrer pour la stabilité, la paix et la démocratie "
        "pour plus d'un milliard de personnes.",
        "de": "Für Stabilität, Frieden und Demokratie für mehr als eine Milliarde Menschen.",
        "it": "Al lavoro per la stabilità, la pace e la democrazia "
        "di oltre un miliardo di persone.",
        "ru": "Работаем ради стабильности, мира и демократии для более чем миллиарда человек.",
        "es": "Trabajamos por la estabilidad, la paz y la democracia "
        "para más de mil millones de personas.",
    },
}
NEWSROOM_STRINGS = {
    "Newsroom": {
        "fr": "Salle de presse",
        "de": "Presse",
        "it": "Sala stampa",
        "ru": "Пресс-центр",
        "es": "Sala de prensa",
    },
    "News, press releases and statements from across the organisation.": {
        "fr": "Actualités, communiqués de presse et déclarations de toute l'Organisation.",
        "de": "Nachrichten, Pressemitteilungen und Erklärungen aus der gesamten Organisation.",
        "it": "Notizie, comunicati stampa e dichiarazioni da tutta l'Organizzazione.",
        "ru": "Новости, пресс-релизы и заявления со всей Организации.",
        "es": "Noticias, comunicados de prensa y declaraciones de toda la Organización.",
    },
}


def target_languages():
    """The languages to translate the demo into: all but English, or DEMO_LANGUAGES."""
    wanted = getattr(settings, "DEMO_LANGUAGES", None)
    return [
        code
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
        if code != "en" and (wanted is None or code in wanted)
    ]


def ensure_locales(source):
    """One Locale per content language."""
    return [Locale.objects.get_or_create(language_code=code)[0] for code in target_languages()]


def ensure_synchronisation(source, locales):
    """Each locale synchronised from the source: new source pages appear in every tree.

    Bulk-created, because saving one synchronises the whole tree at once by making
    an alias of every untranslated page; the demo content translates them all anyway.
    """
    synchronised = set(
        LocaleSynchronization.objects.filter(locale__in=locales).values_list("locale_id", flat=True)
    )
    LocaleSynchronization.objects.bulk_create(
        LocaleSynchronization(locale=locale, sync_from=source)
        for locale in locales
        if locale.pk not in synchronised
    )


@contextmanager
def deferred_indexing(timings=None):
    """Index each touched object once at the end, not on each of its ~6 saves per translation."""
    models = [model for model in get_indexed_models() if getattr(model, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    touched = []
    try:
        with disable_reference_index_auto_update():
            yield touched
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
    start = time.perf_counter()
    index_objects(touched)
    if timings is not None:
        timings["indexing"] = timings.get("indexing", 0) + time.perf_counter() - start


def index_objects(instances):
    """Write the search index and reference index of ``instances``, read afresh, in bulk.

    Objects of one model go to the search backends in one ``add_bulk`` call (what
    ``update_index`` does) rather than one ``add`` each, which recomputes the
    index's title norms after every object.
    """
    by_model = {}
    for instance in instances:
        by_model.setdefault(type(instance), {})[instance.pk] = None
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in by_model.items():
        fresh = model._default_manager.in_bulk(list(pks))
        objects = [fresh[pk] for pk in pks if pk in fresh]
        if issubclass(model, Indexed) and model.search_fields:
            indexed = set(
                model.get_indexed_objects().filter(pk__in=pks).values_list("pk", flat=True)
            )
            to_index = [obj for obj in objects if obj.pk in indexed]
            if to_index:
                for backend in backends:
                    backend.add_bulk(model, to_index)
        if ReferenceIndex.is_indexed(model):
            for obj in objects:
                ReferenceIndex.create_or_update_for_object(obj)


def publish_now(create):
    """Run ``create()`` and then, at once, the publishes it left for the commit.

    wagtail-localize publishes a page translation in ``transaction.on_commit``. Inside
    the loader's one transaction that would wait for the very end, and then publish
    each page from the instance it had when it was translated, before its own
    translated children existed: its stale child count (numchild 0) would be written
    back. Published straight away, each page is published from a current instance,
    as it is when every translation commits on its own.
    """
    start = len(connection.run_on_commit)
    result = create()
    pending = connection.run_on_commit[start:]
    del connection.run_on_commit[start:]
    for _savepoints, hook, _robust in pending:
        hook()
    return result


def _html(text):
    return html.escape(text, quote=False)


def _key(data):
    """The source text of a string segment, comparable with the data files' English."""
    return " ".join(html.unescape(data).split())


class DemoTranslator:
    def __init__(self, source_locale, data, log=None):
        self.source = source_locale
        self.data = data
        self.log = log or (lambda message: None)
        self.locales = ensure_locales(source_locale)
        self.translated = 0
        self.touched = []

    # Collecting the data files' translations ------------------------------

    def page_strings(self):
        """Page url_path below the home page -> {English text: {language: text}}."""
        strings = {"": dict(HOME_STRINGS), "news/": dict(NEWSROOM_STRINGS)}

        def walk(prefix, nodes):
            for node in nodes:
                path = f"{prefix}{node['slug']}/"
                texts = {node["title"]["en"]: node["title"]}
                issuer = (node.get("fields") or {}).get("issuer_name")
                if isinstance(issuer, dict):
                    texts[issuer["en"]] = issuer
                strings[path] = texts
                walk(path, node.get("children", []))

        for parent, nodes in self.data["pages"]:
            walk(f"{parent.strip('/')}/" if parent.strip("/") else "", nodes)
        for item in self.data["news"]:
            texts = {}
            for language, translated in (item.get("translations") or {}).items():
                pairs = [(item["title"], translated["title"]), (item["lead"], translated["lead"])]
                for en_block, block in zip(item["body"], translated.get("body", []), strict=False):
                    if en_block["type"] == "paragraph":
                        pairs.append((en_block["value"], block["value"]))
                    elif isinstance(en_block["value"], dict):
                        pairs.extend(
                            (value, block["value"].get(name, ""))
                            for name, value in en_block["value"].items()
                            if isinstance(value, str)
                        )
                # Readers' addresses stay the same in every language.
                pairs.append((item["slug"], item["slug"]))
                for english, text in pairs:
                    if english and text:
                        texts.setdefault(_key(english), {})[language] = text
            strings[f"news/{item['slug']}/"] = texts
        return strings

    def menu_strings(self):
        texts = {}

        def collect(entry):
            label = entry.get("label") or {}
            if label.get("en"):
                texts[label["en"]] = label
            for child in entry.get("items", []) + entry.get("links", []):
                collect(child)

        for section in self.data["menu"]["sections"]:
            collect(section)
        return texts

    # Translating ------------------------------------------------------------

    def translate(self, instance, texts, existing, locales=None):
        """Bring ``instance``'s translations up to date; return True when anything changed."""
        locales = self.locales if locales is None else locales
        texts = {_key(english): values for english, values in texts.items()}
        before = (
            TranslationSource.objects.filter(
                object_id=instance.translation_key, locale_id=instance.locale_id
            )
            .values_list("last_updated_at", flat=True)
            .first()
        )
        source, _ = TranslationSource.update_or_create_from_instance(instance)
        source_changed = before != source.last_updated_at
        segments = list(
            StringSegment.objects.filter(source=source).select_related("string", "context")
        )
        current = {
            (row.translation_of_id, row.context_id, row.locale_id): row
            for row in StringTranslation.objects.filter(
                context__object_id=source.object_id, locale__in=self.locales
            )
        }
        translations = {
            row.target_locale_id: row
            for row in LocalizeTranslation.objects.filter(
                source=source, target_locale__in=self.locales
            )
        }
        changed = False
        new_strings = []
        new_translations = []
        to_translate = []
        for locale in locales:
            strings_changed = False
            for segment in segments:
                text = (texts.get(_key(segment.string.data)) or {}).get(locale.language_code)
                if not text:
                    continue
                row = current.get((segment.string_id, segment.context_id, locale.pk))
                if row is None:
                    new_strings.append(
                        StringTranslation(
                            translation_of=segment.string,
                            context=segment.context,
                            locale=locale,
                            data=_html(text),
                            translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                            tool_name=TOOL_NAME,
                        )
                    )
                    strings_changed = True
                elif html.unescape(row.data) != text and row.tool_name == TOOL_NAME:
                    row.data = _html(text)
                    row.save()
                    strings_changed = True
            if locale.pk not in translations:
                new_translations.append(LocalizeTranslation(source=source, target_locale=locale))
            if (
                source_changed
                or strings_changed
                or (instance.translation_key, locale.pk) not in existing
            ):
                to_translate.append(locale)
        # In bulk, so without StringTranslation's post_save handler: it copies a title's
        # translation into the page's draft_title, which the publish below sets anyway.
        StringTranslation.objects.bulk_create(new_strings)
        LocalizeTranslation.objects.bulk_create(new_translations)
        for locale in to_translate:
            target, _ = publish_now(
                lambda locale=locale: source.create_or_update_translation(
                    locale, publish=True, fallback=True
                )
            )
            self.touched.append(target)
            self.translated += 1
            changed = True
        return changed

    def run(self):
        existing_pages = set(
            Page.objects.filter(alias_of__isnull=True).values_list("translation_key", "locale_id")
        )
        for model, data_name in ((FieldOfWork, None), (PublicationType, "content_types")):
            names = {}
            if data_name:
                names = {item["name"]["en"]: item["name"] for item in self.data[data_name]}
            else:
                for strings in self.page_strings().values():
                    names.update(strings)
            existing = set(model.objects.values_list("translation_key", "locale_id"))
            for term in model.objects.filter(locale=self.source):
                self.translate(term, {term.name: names.get(term.name, {})}, existing)

        home = Page.objects.get(depth=2, locale=self.source)
        strings = self.page_strings()
        pages = (
            Page.objects.descendant_of(home, inclusive=True)
            .filter(locale=self.source)
            .order_by("depth", "path")
            .specific()
        )
        prefix = len(home.url_path)
        news = {f"news/{item['slug']}/": item for item in self.data["news"]}
        for page in pages:
            path = page.url_path[prefix:]
            locales = self.locales
            if path in news:
                # News is written for a language: only the translations the data has.
                languages = set(news[path].get("translations") or {})
                locales = [locale for locale in self.locales if locale.language_code in languages]
            self.translate(page, strings.get(path, {}), existing_pages, locales)

        existing_menus = set(MainMenu.objects.values_list("translation_key", "locale_id"))
        for menu in MainMenu.objects.filter(locale=self.source):
            self.translate(menu, self.menu_strings(), existing_menus)

        existing_footers = set(Footer.objects.values_list("translation_key", "locale_id"))
        footer_text = self.data["footer"]["text"]
        for footer in Footer.objects.filter(locale=self.source):
            self.translate(footer, {footer_text["en"]: footer_text}, existing_footers)

        ensure_translator_groups(self.locales)
        self.log(f"Translations: {self.translated} created or updated.")
        return self.translated


def translate_demo_content(source_locale, read, page_files, log=None, timings=None):
    """Translate the demo site; ``read`` loads a data file, ``page_files`` in load order.

    ``timings``, a dict, receives the seconds spent translating and indexing.
    """
    pages = [read(f"pages/{name}") for name in page_files]
    data = {
        "pages": [(item["parent"], item["pages"]) for item in pages],
        "news": read("news.json"),
        "menu": read("menu.json"),
        "footer": read("footer.json"),
        "content_types": read("content_types.json"),
    }
    translator = DemoTranslator(source_locale, data, log)
    # One transaction for the whole run: publish_now() publishes each translation
    # as soon as it is made, from a current instance, so nothing waits for the commit.
    start = time.perf_counter()
    with transaction.atomic(), deferred_indexing(timings) as touched:
        translator.run()
        ensure_synchronisation(source_locale, translator.locales)
        touched.extend(translator.touched)
        if timings is not None:
            timings["translation"] = time.perf_counter() - start
    return translator.translated
