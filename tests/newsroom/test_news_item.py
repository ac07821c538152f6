import pytest
from bs4 import BeautifulSoup

from newsroom.models import NewsItemPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

SEED_SLUG = (
    "osce-hosts-expert-dialogue-on-good-practices-in-addressing-"
    "return-of-foreign-terrorist-fighters"
)


@pytest.fixture
def seed_item():
    return NewsItemPage.objects.get(slug=SEED_SLUG, locale__language_code="en")


def test_seed_news_item_reads_like_the_original(client, seed_item):
    response = client.get(seed_item.url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text(strip=True).startswith(
        "OSCE hosts expert dialogue on good practices in addressing return of foreign terrorist"
    )
    assert (
        "organized online by the OSCE’s Action against Terrorism Unit"
        in page.select_one(".news-item__lead").get_text()
    )
    facts = page.select_one("dl.facts")
    terms = [dt.get_text(strip=True) for dt in facts.find_all("dt")]
    assert terms[:3] == ["Issued on:", "Issued by:", "Fields of work:"]
    assert facts.find("time").get_text(strip=True) == "17 September 2021"
    issuer = facts.find("a", string="OSCE Secretariat, Transnational Threats Department")
    assert issuer is not None
    assert issuer["href"].endswith("/secretariat/transnational-threats-department/")
    field = facts.find("a", string="Countering terrorism")
    assert field["href"] == "/en/our-work/fields-of-work/countering-terrorism/"
    assert client.get(field["href"]).status_code == 200


def test_seed_quotes_are_quote_blocks(client, seed_item):
    page = BeautifulSoup(client.get(seed_item.url).content, "html.parser")
    speakers = [q.get_text(strip=True) for q in page.select(".block-quote__speaker")]
    assert speakers == ["Shodikhon Dzhamshed", "Oliya Ilmuradova"]


def test_hubs_show_the_seed_item(client, seed_item):
    for url in [
        "/en/our-work/fields-of-work/countering-terrorism/",
        "/en/structures-and-institutions/secretariat/transnational-threats-department/",
        "/en/structures-and-institutions/secretariat/",
    ]:
        assert seed_item.title in client.get(url).content.decode(), url
