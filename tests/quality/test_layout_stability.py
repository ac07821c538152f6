"""Nothing moves when the page's script runs: the menu is closed before and after it.

Lighthouse counted a layout shift of 0.73-0.88 on most pages when every menu panel was
shown open until the deferred script closed them. Here the same page is laid out with
and without JavaScript and must not differ, and without JavaScript the menu still works.
"""

import pytest

from tests.quality.test_accessibility import WIDTHS, site_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/en/", "/en/news/", "/ru/"]


def layout(page):
    return page.evaluate(
        """() => {
            const box = e => {
                const r = e.getBoundingClientRect();
                return [r.x, r.y, r.width, r.height];
            };
            return {main: box(document.querySelector("main")),
                    menu: box(document.querySelector("nav.mega-menu")),
                    footer: box(document.querySelector("footer"))};
        }"""
    )


def cumulative_layout_shift(page):
    return page.evaluate(
        """() => new Promise(resolve => {
            let total = 0;
            new PerformanceObserver(list => {
                for (const entry of list.getEntries()) {
                    if (!entry.hadRecentInput) total += entry.value;
                }
            }).observe({type: "layout-shift", buffered: true});
            setTimeout(() => resolve(total), 500);
        })"""
    )


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_page_does_not_move_when_the_script_runs(demo_site, live_server, browser, width):
    news_item = demo_site_news_item(live_server, browser)
    for path in [*PAGES, news_item]:
        layouts = {}
        for scripts in (False, True):
            context = browser.new_context(java_script_enabled=scripts, viewport=WIDTHS[width])
            page = context.new_page()
            page.goto(site_url(live_server) + path)
            layouts[scripts] = layout(page)
            if scripts:
                assert cumulative_layout_shift(page) <= 0.02, path
            context.close()
        assert layouts[True] == layouts[False], path


def demo_site_news_item(live_server, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url(live_server) + "/en/news/")
    href = page.locator(".news-list a").first.get_attribute("href")
    context.close()
    return href


def test_without_javascript_the_menu_panels_still_open(demo_site, live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS["desktop"])
    page = context.new_page()
    page.goto(site_url(live_server) + "/en/")
    entry = page.locator("[data-panel-toggle]").first
    panel = page.locator("#" + entry.get_attribute("aria-controls"))
    assert panel.is_hidden()
    entry.click()
    assert panel.is_visible()
    assert panel.get_by_role("link").first.is_visible()
    context.close()


def test_without_javascript_the_phone_menu_still_opens(demo_site, live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS["phone"])
    page = context.new_page()
    page.goto(site_url(live_server) + "/en/")
    toggle = page.locator("[data-menu-toggle]")
    menu = page.locator("#mega-menu-list")
    assert menu.is_hidden()
    toggle.click()
    assert menu.is_visible()
    page.locator("[data-panel-toggle]").first.click()
    assert page.locator(".mega-menu__panel").first.is_visible()
    context.close()
