"""The admin's own Content-Security-Policy, choosers that show only what a user may see, and
the machine translator coming from the environment."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from wagtail.models import PageViewRestriction

from config.roles import EDITORS, setup_roles
from config.settings.base import machine_translator
from localization.roles import ensure_translator_groups, group_name
from tests.factories import StandardPageFactory, UserFactory, home, locale, news_item, newsroom
from tests.production import run_in_production

pytestmark = pytest.mark.django_db

PUBLISHED = "Ministerial Council opens in Vienna"
DRAFT = "Embargoed: Chairpersonship statement on the ceasefire"
PRIVATE = "Internal: briefing notes for heads of mission"


def policy_of(response):
    """The response's Content-Security-Policy as {directive: "its sources"}."""
    directives = (
        part.strip().partition(" ") for part in response["Content-Security-Policy"].split(";")
    )
    return {name: sources for name, _, sources in directives}


# Content-Security-Policy -----------------------------------------------------------------


@pytest.fixture
def superuser(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def assert_admin_policy(response, frame_ancestors="'none'"):
    policy = policy_of(response)
    assert policy["frame-ancestors"] == frame_ancestors
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["default-src"] == "'self'"
    # Scripts from this origin only (inline ones included: Wagtail still writes some).
    assert policy["script-src"].split() == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_admin_sign_in_page_sends_the_admins_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_admin_policy(response)


def test_the_dashboard_and_the_page_editor_send_the_admins_policy(client, superuser):
    item = news_item(title=PUBLISHED)
    for url in ("/admin/", reverse("wagtailadmin_pages:edit", args=[item.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_admin_policy(response)


def edit_form_data(response):
    """What the page editor's form would submit unchanged."""
    form = BeautifulSoup(response.content, "html.parser").find("form", id="page-edit-form")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    # The StreamField's inputs are written by the editor's JavaScript: an empty body.
    data.setdefault("body-count", "0")
    return data


def test_the_preview_is_framed_by_the_editor_under_the_admins_policy(client, superuser):
    page = StandardPageFactory(title="About us")
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    editor = client.get(edit_url)
    assert editor["X-Frame-Options"] == "DENY"
    assert_admin_policy(editor)

    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    stored = client.post(preview_url, edit_form_data(editor))
    assert stored.json() == {"is_valid": True, "is_available": True}
    preview = client.get(preview_url, {"in_preview_panel": "true"})
    assert preview.status_code == 200
    assert "About us" in preview.text
    # Wagtail renders the preview by running the page's own URL through the middleware
    # once more; the public policy it picked up there gives way to the admin's.
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert_admin_policy(preview, frame_ancestors="'self'")


def test_a_revision_shown_in_the_admin_has_the_admins_policy(client, superuser):
    page = StandardPageFactory(title="About us")
    url = reverse("wagtailadmin_pages:revisions_view", args=[page.pk, page.latest_revision_id])
    response = client.get(url)
    assert response.status_code == 200
    assert_admin_policy(response)


def test_django_admin_sends_the_admins_policy(client):
    assert_admin_policy(client.get("/django-admin/login/"))


def test_public_pages_keep_their_stricter_policy(client):
    response = client.get(home().url)
    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


# Page chooser --------------------------------------------------------------------------


@pytest.fixture
def news():
    """A published news item, an unpublished one and one behind a login."""
    published = news_item(title=PUBLISHED)
    draft = news_item(title=DRAFT)
    draft.unpublish()
    private = news_item(title=PRIVATE)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return {"published": published, "draft": draft, "private": private}


def plain_admin_user():
    """Someone who may sign in to the admin and holds no page permission at all."""
    group, _ = Group.objects.get_or_create(name="Admin access only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return UserFactory(username="reader", groups=[group.name])


def french_translator():
    home("fr")
    ensure_translator_groups([locale("fr")])
    return UserFactory(username="traductrice", groups=[group_name(locale("fr"))])


def editor():
    setup_roles()
    return UserFactory(username="editor", groups=[EDITORS])


def chooser_pages(client, user):
    """The text of the chooser's browse listing of the newsroom, of its search, and of
    browsing into each of the unpublished and private items by id."""
    client.force_login(user)
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[newsroom().pk]))
    assert browse.status_code == 200
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Embargoed"})
    assert search.status_code == 200
    search_all = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Internal"})
    return browse.content.decode() + search.content.decode() + search_all.content.decode()


@pytest.mark.parametrize("make_user", [plain_admin_user, french_translator])
def test_the_chooser_hides_unpublished_and_private_news_from_users_who_may_not_edit_them(
    client, news, make_user
):
    text = chooser_pages(client, make_user())
    assert PUBLISHED in text
    assert DRAFT not in text
    assert PRIVATE not in text


@pytest.mark.parametrize("make_user", [plain_admin_user, french_translator])
def test_browsing_into_a_hidden_page_by_its_id_answers_as_for_a_page_that_does_not_exist(
    client, news, make_user
):
    client.force_login(make_user())

    def browse(page_id):
        return client.get(reverse("wagtailadmin_choose_page_child", args=[page_id]), follow=True)

    missing = browse(10_000_000)
    assert missing.status_code == 404
    for key, title in (("draft", DRAFT), ("private", PRIVATE)):
        response = browse(news[key].pk)
        assert response.status_code == 404, key
        assert response.redirect_chain == [
            (chain.replace("10000000", str(news[key].pk)), status)
            for chain, status in missing.redirect_chain
        ]
        assert title not in response.content.decode()
    assert browse(news["published"].pk).status_code == 200


def test_an_editor_with_permission_chooses_drafts_and_private_news(client, news):
    text = chooser_pages(client, editor())
    assert PUBLISHED in text
    assert DRAFT in text
    assert PRIVATE in text


def test_a_superuser_sees_everything_in_the_chooser(client, news):
    text = chooser_pages(client, UserFactory(username="root", is_superuser=True))
    assert DRAFT in text and PRIVATE in text


def test_a_translator_still_finds_the_drafts_of_their_own_language(client, news):
    translator = french_translator()
    french_draft = news["draft"].copy_for_translation(locale("fr"), copy_parents=True)
    assert not french_draft.live
    client.force_login(translator)
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Embargoed"})
    assert f'data-id="{french_draft.pk}"' in response.content.decode()
    assert f'data-id="{news["draft"].pk}"' not in response.content.decode()


# Machine translator --------------------------------------------------------------------


def test_machine_translation_is_off_unless_the_environment_names_a_translator():
    assert machine_translator({}) is None
    assert machine_translator({"MACHINE_TRANSLATOR": ""}) is None
    assert machine_translator({"MACHINE_TRANSLATOR": "none"}) is None


def test_deepl_is_configured_from_its_key():
    config = machine_translator({"MACHINE_TRANSLATOR": "deepl", "DEEPL_API_KEY": "k:fx"})
    assert config == {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": "k:fx"},
    }


@pytest.mark.parametrize(
    "environ",
    [
        {"MACHINE_TRANSLATOR": "deepl"},
        {"MACHINE_TRANSLATOR": "libretranslate"},
        {"MACHINE_TRANSLATOR": "dummy"},
        {"MACHINE_TRANSLATOR": "google-translate"},
    ],
)
def test_a_translator_named_without_what_it_needs_stops_the_start(environ):
    with pytest.raises(ImproperlyConfigured):
        machine_translator(environ)


def test_the_tests_use_the_word_reversing_stand_in():
    assert settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR["CLASS"].endswith(".DummyTranslator")


def test_production_without_the_variables_offers_no_machine_translation(tmp_path):
    result = run_in_production(
        "from django.conf import settings\n"
        "from wagtail_localize.machine_translators import get_machine_translator\n"
        "print(settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR, get_machine_translator())\n",
        tmp_path,
        unset=("MACHINE_TRANSLATOR", "DEEPL_API_KEY", "LIBRETRANSLATE_URL"),
    )
    assert result.stdout.strip() == "None None"
