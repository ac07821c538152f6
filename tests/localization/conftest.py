import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

DATA = Path(__file__).resolve().parents[2] / "site" / "demo_content"
LANGUAGES = ["en", "fr", "de", "it", "ru", "es"]
RUSSIAN_ITEM = (
    "news/osce-hosts-expert-dialogue-on-good-practices-in-addressing-return-of-foreign-"
    "terrorist-fighters/"
)


def read(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def seed_item():
    return read("news.json")[0]
