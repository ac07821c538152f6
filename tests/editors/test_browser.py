"""An editor writes a news item and submits it; a moderator publishes it; readers find it.

The screenshots in docs/images/editors/ (used by docs/editors.md) are taken by this journey
when EDITORS_SCREENSHOTS names a folder: `make screenshots` does that. The suite itself
takes none, so it leaves the checkout as it found it.
"""

import io
import os
import re
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from config.roles import EDITORS, MODERATORS, setup_roles
from newsroom.models import NewsItemPage
from tests.editors.conftest import PASSWORD, make_user
from tests.factories import newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ["EDITORS_SCREENSHOTS"]) if os.environ.get("EDITORS_SCREENSHOTS") else None
TITLE = "Mission trains border guards in Dushanbe"
# "Approve" on the first step; "Approve and Publish" on the last.
APPROVE = re.compile(r"^Approve( and Publish)?$")


def shot(page, name):
    """A screenshot for the editors' guide, only when asked for (`make screenshots`)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/admin/")


def eventually(check, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def reached(item, step):
    """Whether the moderator's approval of ``step`` has been recorded."""
    item.refresh_from_db()
    if step == "Publication approval":
        return item.live
    task = item.current_workflow_task
    return task is not None and task.name == "Publication approval"


def add_block(page, label):
    page.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name=label).first.click()


@pytest.fixture
def library():
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 800), (40, 110, 170)).save(buffer, "JPEG")
    image = Image.objects.create(
        title="Border guards training", file=ImageFile(buffer, name="border-guards.jpg")
    )
    document = Document.objects.create(
        title="Training report", file=ContentFile(b"%PDF-1.4 report", name="training-report.pdf")
    )
    return image, document


@pytest.fixture
def shoot_on_failure(request, page, tmp_path):
    """When the test fails: a full-page screenshot in the test's tmp_path, and the form's errors."""
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed == failed_before:
        return
    path = tmp_path / "failure.png"
    page.screenshot(path=str(path), full_page=True)
    print("screenshot:", path)
    errors = page.locator(".error-message, .w-field__errors").all_inner_texts()
    print("form errors:", errors)
    print(
        "checked:",
        page.locator("input[type=checkbox]:checked").evaluate_all(
            "els => els.map(e => e.name + '=' + e.value)"
        ),
    )


def test_editor_submits_and_moderator_publishes_a_news_item(
    demo_site, live_server, page, library, shoot_on_failure
):
    setup_roles()
    make_user("eva", EDITORS)
    make_user("carl", EDITORS)
    make_user("mona", MODERATORS)
    base = live_server.url.replace("127.0.0.1", "localhost")
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in(page, base, "eva")
    page.goto(f"{base}/admin/pages/{newsroom().pk}/")
    shot(page, "01-newsroom-in-the-admin")
    page.goto(f"{base}/admin/pages/add/newsroom/newsitempage/{newsroom().pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "The OSCE Programme Office trained 40 border guards in risk analysis.")
    page.get_by_label("Transnational Threats Department").check()
    page.get_by_label("Countering terrorism").check()
    shot(page, "02-new-news-item")

    add_block(page, "Quote")
    page.locator("textarea[name$='-value-quote']").last.fill(
        "Trust between border services grows one exercise at a time."
    )
    page.locator("input[name$='-value-speaker']").last.fill("Ada Head")
    page.locator("input[name$='-value-role']").last.fill("Head of the Programme Office")

    add_block(page, "Image")
    page.locator("[id^='body-'][id$='-value-image-chooser'] .unchosen button").last.click()
    page.get_by_role("link", name="Border guards training").first.click()
    page.locator("input[name$='-value-alt_text']").last.fill("Border guards study a map")
    page.locator("input[name$='-value-caption']").last.fill("A risk analysis exercise.")

    add_block(page, "Documents")
    page.locator(
        "[id^='body-'][id*='-value-documents-'][id$='-chooser'] .unchosen button"
    ).last.click()
    page.get_by_role("link", name="Training report").first.click()
    page.locator(".modal-backdrop").wait_for(state="detached")
    page.get_by_text("Training report").last.scroll_into_view_if_needed()
    shot(page, "03-blocks-quote-image-documents")

    page.locator(
        "footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']"
    ).last.click()
    shot(page, "04-submit-for-review")
    page.get_by_role("button", name="Submit to Newsroom and directory review").click()
    page.get_by_text("submitted for moderation").wait_for()
    shot(page, "05-submitted")
    item = NewsItemPage.objects.get(title=TITLE, locale__language_code="en")
    assert not item.live
    assert item.current_workflow_task.name == "Editorial review"

    page.goto(f"{base}/en/news/")
    assert TITLE not in page.content()

    # Four eyes at each step: a colleague reviews, then a moderator approves.
    for reviewer, step in (("carl", "Editorial review"), ("mona", "Publication approval")):
        log_in(page, base, reviewer)
        if reviewer == "mona":
            shot(page, "06-moderator-dashboard")
        page.get_by_role("link", name=TITLE).first.click()
        page.wait_for_url("**/edit/")
        if reviewer == "mona":
            shot(page, "07-moderator-reviews")
        page.locator(
            "footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']"
        ).last.click()
        page.get_by_role("button", name=APPROVE).click()
        assert eventually(lambda step=step: reached(item, step)), step

    page.goto(f"{base}/en/news/")
    assert page.get_by_role("link", name=TITLE).count() >= 1
    page.get_by_role("link", name=TITLE).first.click()
    assert page.locator(".block-quote__speaker").inner_text() == "Ada Head"
    assert page.locator("figure.block-image picture source[type='image/webp']").count() == 1
    assert page.locator(".block-documents a", has_text="Training report").count() == 1
    shot(page, "08-published-news-item")

    page.goto(f"{base}/en/search/?q=border+guards+Dushanbe")
    assert page.get_by_role("link", name=TITLE).count() >= 1


def test_submit_pressed_while_the_first_autosave_is_under_way_submits_that_page(
    demo_site, live_server, page, shoot_on_failure
):
    """The first autosave of a new item has created the page, but its answer (which moves
    the form to the page's edit URL) has not come back when the editor presses Submit.

    Without home/static/home/js/autosave-before-submit.js the Submit POSTs to the create
    URL again and is refused: "The slug '…' is already in use".
    """
    setup_roles()
    make_user("eva", EDITORS)
    base = live_server.url.replace("127.0.0.1", "localhost")
    log_in(page, base, "eva")
    create_url = f"{base}/admin/pages/add/newsroom/newsitempage/{newsroom().pk}/"

    held = []

    def hold_the_autosaves_answer(route):
        request = route.request
        if request.method == "POST" and "application/json" in request.headers.get("accept", ""):
            held.append((route, route.fetch()))  # the server has saved it; the page waits
        else:
            route.continue_()

    page.route(create_url, hold_the_autosaves_answer)
    page.goto(create_url)
    # Autosave compares the form with what it held two seconds after loading.
    page.wait_for_function(
        "() => window.wagtail.app.getControllerForElementAndIdentifier("
        "document.querySelector('form[data-edit-form]'), 'w-unsaved')?.initialFormData"
    )
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "The OSCE Programme Office trained 40 border guards in risk analysis.")
    page.get_by_label("Transnational Threats Department").check()
    page.get_by_label("Countering terrorism").check()
    deadline = time.monotonic() + 20
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held, "no autosave was made"
    assert NewsItemPage.objects.filter(title=TITLE).count() == 1

    page.locator(
        "footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']"
    ).last.click()
    page.get_by_role("button", name="Submit to Newsroom and directory review").click()
    page.wait_for_timeout(1000)  # long enough for a Submit that does not wait to be answered
    route, response = held[0]
    route.fulfill(response=response)

    page.get_by_text("submitted for moderation").wait_for()
    item = NewsItemPage.objects.get(title=TITLE)
    assert not item.live
    assert item.current_workflow_task.name == "Editorial review"
