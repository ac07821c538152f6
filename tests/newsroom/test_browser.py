"""A reader filters the newsroom, removes a filter, then searches the site, in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_filters_the_newsroom_and_searches(demo_site, live_server, page):
    base = live_server.url.replace("127.0.0.1", "localhost")
    page.goto(base + "/en/news/")
    assert page.locator(".newsroom__total").inner_text() == "7 items"

    page.locator("summary", has_text="Country").click()
    page.get_by_label("Finland (2)").check()
    page.locator("summary", has_text="Content type").click()
    page.get_by_label("Press release").check()
    page.get_by_role("button", name="Apply filters").click()

    assert "country=finland" in page.url and "type=press-release" in page.url
    assert page.locator(".newsroom__total").inner_text() == "1 item"
    assert page.locator(".news-card__title").inner_text() == (
        "Finland takes over OSCE Chairpersonship for 2025"
    )
    assert page.get_by_label("Finland (1)").is_checked()

    page.get_by_role("link", name="Remove filter Content type: Press release").click()
    assert page.locator(".newsroom__total").inner_text() == "2 items"
    assert "type=" not in page.url

    page.get_by_label("From").fill("2025-06-01")
    page.get_by_role("button", name="Apply filters").click()
    assert page.locator(".newsroom__total").inner_text() == "1 item"
    assert page.locator(".news-card__title").inner_text() == "Fifty years of the Helsinki Final Act"

    search = page.locator("#site-search-q")
    search.fill("terrorist fighters")
    search.press("Enter")
    page.wait_for_url("**/en/search/?q=terrorist*")
    result = page.locator(".search-result").first
    assert "foreign terrorist fighters" in result.locator("h2").inner_text()
    assert result.locator("mark").first.inner_text().lower() == "terrorist"
    assert "Transnational Threats Department" in result.inner_text()

    page.get_by_role("link", name="Newest first").click()
    assert "order=newest" in page.url
    assert page.locator(".search-result").count() == 1
