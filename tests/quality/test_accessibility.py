"""axe-core finds no WCAG 2.2 AA violation on any kind of public page, in English and
Russian, at desktop and phone widths; the skip link, focus and the mega menu work by keyboard."""

import re

import pytest

from tests.quality.checkers import AXE, AXE_MISSING
from tests.quality.conftest import LANGUAGES, public_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(AXE_MISSING is not None, reason=AXE_MISSING or ""),
]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def site_url(live_server):
    return live_server.url.replace("127.0.0.1", "localhost")


def violations_on(page):
    # Evaluated through the DevTools protocol, so the page's own CSP need not be relaxed.
    page.evaluate(AXE.read_text())
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
        AXE_TAGS,
    )
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_accessibility_violations(demo_site, live_server, page, language):
    base = site_url(live_server)
    csp_errors = []
    listening = {"on": True}

    def on_console(message):
        if listening["on"] and "Content Security Policy" in message.text:
            csp_errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    problems = []
    for width_name, size in WIDTHS.items():
        page.set_viewport_size(size)
        for name, url in public_pages(language):
            listening["on"] = True
            page.goto(base + url)
            page.wait_for_load_state("load")
            # axe itself sets inline styles while it measures contrast; that is not the site.
            listening["on"] = False
            for violation in violations_on(page):
                problems.append(f"{width_name} {name} {url}: {violation}")
    assert problems == [], "\n".join(problems)
    assert csp_errors == [], "\n".join(csp_errors)


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return {id: e.id, text: e.textContent.trim(), cls: e.className,"
        " outline: s.outlineStyle, width: s.outlineWidth,"
        " box: e.getBoundingClientRect().toJSON()}; }"
    )


def test_the_skip_link_is_first_visible_on_focus_and_jumps_to_the_content(
    demo_site, live_server, page
):
    page.goto(site_url(live_server) + "/en/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["cls"] == "skip-link"
    assert first["outline"] != "none" and first["width"] != "0px"
    assert first["box"]["x"] >= 0 and first["box"]["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_mega_menu_opens_and_closes_by_keyboard_with_correct_aria(demo_site, live_server, page):
    page.set_viewport_size(WIDTHS["desktop"])
    page.goto(site_url(live_server) + "/en/")
    toggle = page.locator("[data-panel-toggle]").first
    panel_id = toggle.get_attribute("aria-controls")
    panel = page.locator(f"#{panel_id}")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert panel.is_hidden()

    toggle.focus()
    assert focused(page)["outline"] != "none"
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert panel.is_visible()

    page.keyboard.press("Tab")
    assert page.evaluate(f"document.getElementById('{panel_id}').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == panel_id

    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"
    other = page.locator("[data-panel-toggle]").nth(1)
    other.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert other.get_attribute("aria-expanded") == "true"


def test_on_a_phone_the_menu_button_reveals_the_menu(demo_site, live_server, page):
    page.set_viewport_size(WIDTHS["phone"])
    page.goto(site_url(live_server) + "/en/")
    button = page.locator("[data-menu-toggle]")
    menu = page.locator(f"#{button.get_attribute('aria-controls')}")
    assert button.is_visible()
    assert menu.is_hidden()
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()


def test_reduced_motion_is_respected(demo_site, live_server, page):
    page.emulate_media(reduced_motion="reduce")
    page.goto(site_url(live_server) + "/en/")
    durations = page.evaluate(
        "() => Array.from(document.querySelectorAll('a, button, .mega-menu__panel'))"
        ".map(e => getComputedStyle(e).transitionDuration)"
    )
    assert durations and all(re.fullmatch(r"0s(, 0s)*", d) for d in durations)
