"""Build the demo site from the data files in ``site/demo_content``.

Every step looks up what exists before writing and only saves a new revision
when something differs, so running the loader again changes nothing.
"""

import datetime
import json
import time
import uuid
from contextlib import contextmanager
from html import escape
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings
from wagtail.models import Locale, Page, Site

from config.demo_translations import deferred_indexing, translate_demo_content
from directory.models import FieldOfWork, FieldOfWorkPage
from home.models import Footer, HomePage, MainMenu
from home.site_address import configured_address
from newsroom.models import NewsIndexPage, NewsItemPage, PublicationType
from newsroom.signals import bulk_changes

DATA_DIR = Path(settings.SITE_DIR) / "demo_content"
SOURCE_LANGUAGE = "en"
REFERENCE_FIELDS = {"host_country"}
MENU_IDS = uuid.UUID("5b0c9a8e-0f7e-4d7c-9a51-0b4f8f3e6a21")


def read(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def paragraphs(texts):
    return [{"type": "paragraph", "value": f"<p>{escape(text)}</p>"} for text in texts]


def news_body(blocks):
    body = []
    for block in blocks:
        if block["type"] == "paragraph":
            body.extend(paragraphs([block["value"]]))
        else:
            body.append({"type": block["type"], "value": block["value"]})
    return body


def strip_ids(value):
    if isinstance(value, list):
        return [strip_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: strip_ids(item) for key, item in value.items() if key != "id"}
    return value


def bootstrap_site():
    """The root page, the English home page and the default Site, when missing.

    Migrations create them; this puts them back after a database flush (the
    browser tests' transactional database is emptied after every test).
    """
    locale, _ = Locale.objects.get_or_create(language_code=SOURCE_LANGUAGE)
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = HomePage.objects.filter(depth=2, locale=locale).first()
    if home is None:
        home = root.add_child(instance=HomePage(title="OSCE", slug="home", locale=locale))
    if not Site.objects.filter(is_default_site=True).exists():
        hostname, port = configured_address() or ("localhost", 80)
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True)
    return home


@contextmanager
def fast_sqlite_writes():
    """SQLite without waiting for the disk (synchronous=OFF), for the load only.

    A crash during the load may lose the load's own writes, which the next run
    makes again; the setting goes back to the one config/settings gives afterwards.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous=OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={int(previous)}")


@contextmanager
def without_query_log():
    """No DEBUG query log during the load: nobody reads its ~100,000 queries.

    On SQLite the log costs an extra ``SELECT QUOTE(...)`` per logged query. Left
    on when someone counts queries (``CaptureQueriesContext``, assertNumQueries).
    """
    if not settings.DEBUG or connection.force_debug_cursor:
        yield
        return
    with override_settings(DEBUG=False):
        yield


class DemoLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.created = 0
        self.updated = 0
        self.translated = 0
        # What the last run() saved, for its search and reference index entries.
        self.touched = []
        # Seconds per stage of the last run(): pages, news, menus/footers,
        # translation, indexing, total.
        self.timings = {}
        bootstrap_site()
        self.locale = Locale.objects.get(language_code=SOURCE_LANGUAGE)

    def log(self, message):
        if self.stdout:
            self.stdout.write(message)

    @contextmanager
    def stage(self, name):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0) + time.perf_counter() - start

    # Pages ---------------------------------------------------------------

    def home(self):
        site = Site.objects.get(is_default_site=True)
        return site.root_page.specific

    def page_at(self, path):
        url_path = self.home().url_path + (f"{path.strip('/')}/" if path.strip("/") else "")
        return Page.objects.get(url_path=url_path, locale=self.locale).specific

    def differs(self, page, values):
        for name, value in values.items():
            current = getattr(page, name)
            if hasattr(current, "raw_data"):
                if strip_ids(list(current.raw_data)) != strip_ids(value):
                    return True
            elif current != value:
                return True
        return False

    def upsert(self, parent, model, slug, values, m2m=None):
        """Create or update ``parent``'s child ``slug``; publish only on change."""
        m2m = m2m or {}
        page = model.objects.child_of(parent).filter(slug=slug, locale=self.locale).first()
        if page is None:
            page = model(slug=slug, locale=self.locale, **values)
            for name, objects in m2m.items():
                setattr(page, name, objects)
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.touched.append(page)
            self.created += 1
            return page
        m2m_changed = any(
            {obj.pk for obj in getattr(page, name).all()} != {obj.pk for obj in objects}
            for name, objects in m2m.items()
        )
        if self.differs(page, values) or m2m_changed or not page.live:
            for name, value in values.items():
                setattr(page, name, value)
            for name, objects in m2m.items():
                setattr(page, name, objects)
            page.save_revision().publish()
            self.touched.append(page)
            self.updated += 1
        return page

    def node_values(self, node, model):
        values = {
            "title": node["title"][SOURCE_LANGUAGE],
            "summary": node.get("summary", ""),
        }
        if "body" in [f.name for f in model._meta.get_fields()]:
            values["body"] = paragraphs(node.get("body", []))
        for name, value in (node.get("fields") or {}).items():
            if name in REFERENCE_FIELDS:
                continue
            if name == "chairpersonship_years":
                value = ", ".join(str(year) for year in value)
            elif name == "issuer_name" and isinstance(value, dict):
                value = value[SOURCE_LANGUAGE]
            elif name in ("start_date", "end_date") and value:
                value = datetime.date.fromisoformat(value)
            elif value is None and model._meta.get_field(name).get_internal_type() in (
                "CharField",
                "TextField",
            ):
                value = ""
            values[name] = value
        if model is FieldOfWorkPage:
            values["field_of_work"] = self.field_of_work(node)
        return values

    def field_of_work(self, node):
        term, created = FieldOfWork.objects.get_or_create(
            slug=node["slug"],
            locale=self.locale,
            defaults={"name": node["title"][SOURCE_LANGUAGE]},
        )
        if not created and term.name != node["title"][SOURCE_LANGUAGE]:
            term.name = node["title"][SOURCE_LANGUAGE]
            term.save()
        return term

    def load_nodes(self, parent, nodes, references):
        for node in nodes:
            model = apps.get_model(node["type"])
            page = self.upsert(parent, model, node["slug"], self.node_values(node, model))
            for name in REFERENCE_FIELDS & set(node.get("fields") or {}):
                references.append((page, name, node["fields"][name]))
            self.load_nodes(page, node.get("children", []), references)

    def load_pages(self):
        home = self.home()
        intro = "Working for stability, peace and democracy for more than a billion people."
        if home.title != "OSCE" or home.intro != intro:
            home.title = "OSCE"
            home.intro = intro
            home.save_revision().publish()
            self.touched.append(home)
        references = []
        for name in (DATA_DIR / "pages" / "ORDER").read_text().split():
            data = read(f"pages/{name}")
            self.load_nodes(self.page_at(data["parent"]), data["pages"], references)
        for page, name, path in references:
            # Re-read the page: publishing a stale instance would write back its
            # old tree fields (numchild) and hide the children added since.
            page = type(page).objects.get(pk=page.pk)
            target = self.page_at(path) if path else None
            if getattr(page, f"{name}_id") != (target.pk if target else None):
                setattr(page, name, target)
                page.save_revision().publish()
                self.touched.append(page)
                self.updated += 1

    # Taxonomies, menu and news -------------------------------------------

    def load_publication_types(self):
        for item in read("content_types.json"):
            term, created = PublicationType.objects.get_or_create(
                slug=item["slug"],
                locale=self.locale,
                defaults={"name": item["name"][SOURCE_LANGUAGE]},
            )
            if not created and term.name != item["name"][SOURCE_LANGUAGE]:
                term.name = item["name"][SOURCE_LANGUAGE]
                term.save()

    def menu_link(self, item):
        label = (item.get("label") or {}).get(SOURCE_LANGUAGE, "")
        return {"page": self.page_at(item["page"]).pk, "label": label}

    def load_menu(self):
        # Every block, nested ones included, carries an id: wagtail-localize locates
        # translatable strings by block id. The ids derive from the position, so the
        # loader writes the same data every time.
        def block(kind, value, *position):
            key = "/".join(str(part) for part in position)
            return {"type": kind, "value": value, "id": str(uuid.uuid5(MENU_IDS, key))}

        sections = []
        for s_index, section in enumerate(read("menu.json")["sections"]):
            items = []
            for i_index, item in enumerate(section["items"]):
                value = self.menu_link(item)
                if item["type"] == "column":
                    value["links"] = [
                        block("item", self.menu_link(link), s_index, i_index, l_index)
                        for l_index, link in enumerate(item["links"])
                    ]
                items.append(block(item["type"], value, s_index, i_index))
            value = self.menu_link(section)
            value["items"] = items
            sections.append(block("section", value, s_index))
        menu = MainMenu.objects.filter(locale=self.locale).first()
        if menu is None:
            self.touched.append(MainMenu.objects.create(locale=self.locale, sections=sections))
        elif list(menu.sections.raw_data) != sections:
            menu.sections = sections
            menu.save()
            self.touched.append(menu)

    def load_footer(self):
        data = read("footer.json")
        links = [
            {
                "type": "link",
                "value": {"page": self.page_at(path).pk, "label": ""},
                "id": str(uuid.uuid5(MENU_IDS, f"footer/{index}")),
            }
            for index, path in enumerate(data["links"])
        ]
        text = data["text"][SOURCE_LANGUAGE]
        footer = Footer.objects.filter(locale=self.locale).first()
        if footer is None:
            self.touched.append(Footer.objects.create(locale=self.locale, text=text, links=links))
        elif footer.text != text or list(footer.links.raw_data) != links:
            footer.text = text
            footer.links = links
            footer.save()
            self.touched.append(footer)

    def load_news(self):
        home = self.home()
        newsroom = self.upsert(
            home,
            NewsIndexPage,
            "news",
            {
                "title": "Newsroom",
                "summary": "News, press releases and statements from across the organisation.",
                "intro": "",
            },
        )
        types = {t.slug: t for t in PublicationType.objects.filter(locale=self.locale)}
        terms = {t.slug: t for t in FieldOfWork.objects.filter(locale=self.locale)}
        for item in read("news.json"):
            values = {
                "title": item["title"],
                "lead": item["lead"],
                "issued_on": datetime.date.fromisoformat(item["issued_on"]),
                "publication_type": types.get(item.get("content_type")),
                "featured": item.get("featured", False),
                "body": news_body(item["body"]),
            }
            m2m = {
                "issued_by": [self.page_at(path) for path in item.get("issued_by", [])],
                "fields_of_work": [terms[slug] for slug in item.get("fields_of_work", [])],
                "countries": [self.page_at(path) for path in item.get("countries", [])],
            }
            self.upsert(newsroom, NewsItemPage, item["slug"], values, m2m)

    def run(self):

        self.timings = {}
        self.touched = []
        start = time.perf_counter()
        with without_query_log(), fast_sqlite_writes(), bulk_changes():
            # Every page is saved ~3 times here; it is indexed once, at the end.
            with transaction.atomic(), deferred_indexing(self.timings) as touched:
                with self.stage("pages"):
                    self.load_publication_types()
                    self.load_pages()
                with self.stage("news"):
                    self.load_news()
                with self.stage("menus/footers"):
                    self.load_menu()
                    self.load_footer()
                touched.extend(self.touched)
            self.log(f"Demo content: {self.created} pages created, {self.updated} updated.")
            self.translate()
        self.timings["total"] = time.perf_counter() - start
        return self.created, self.updated

    def translate(self):
        """Every page and snippet in the other content languages, through wagtail-localize."""

        order = (DATA_DIR / "pages" / "ORDER").read_text().split()
        self.translated = translate_demo_content(
            self.locale, read, order, log=self.log, timings=self.timings
        )
