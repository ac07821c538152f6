"""Builders for the pages tests need beyond the demo content."""

import datetime

from wagtail.models import Locale

from directory.models import FieldOfWork, InstitutionPage
from newsroom.models import NewsIndexPage, NewsItemPage


def newsroom(language="en"):
    return NewsIndexPage.objects.get(locale__language_code=language)


def news_item(parent=None, *, title="A news item", issued_on=None, issued_by=(), fields=(), **kw):
    parent = parent or newsroom()
    page = NewsItemPage(
        title=title,
        lead=kw.pop("lead", f"Lead of {title}."),
        issued_on=issued_on or datetime.date(2024, 1, 1),
        locale=parent.locale,
        **kw,
    )
    page.issued_by = list(issued_by)
    page.fields_of_work = list(fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def many_news_items(count, **kw):
    """``count`` published news items, issued by TNTD on countering terrorism."""
    tntd = InstitutionPage.objects.get(
        slug="transnational-threats-department", locale=Locale.get_default()
    )
    term = FieldOfWork.objects.get(slug="countering-terrorism", locale=Locale.get_default())
    return [
        news_item(
            title=f"Test item {n}",
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            issued_by=[tntd],
            fields=[term],
            **kw,
        )
        for n in range(count)
    ]
