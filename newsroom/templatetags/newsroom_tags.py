from django import template
from django.utils.html import format_html, format_html_join

from newsroom.filters import NewsFilters
from newsroom.models import NewsIndexPage
from newsroom.query import NewsQuery

register = template.Library()

LATEST_ON_FRONT_PAGE = 6
LATEST_ON_HUB_PAGE = 5


class NewsPanel:
    """What a page shows of the news: a featured story, the latest items, the newsroom."""

    def __init__(self, latest, newsroom, featured=()):
        self.latest = latest
        self.newsroom = newsroom
        self.featured = list(featured)


def newsroom_of(locale):
    return NewsIndexPage.objects.live().filter(locale=locale).first()


@register.simple_tag(takes_context=True)
def front_page_news(context, page):
    """A language's front page: its featured story and the six latest items besides it."""
    news = NewsQuery(NewsFilters(), page.locale)
    featured = news.featured_id()
    latest = [pk for pk in news.ids(0, LATEST_ON_FRONT_PAGE + 1) if pk != featured]
    # One read of the cards for both, whether or not anything is featured.
    ids = ([featured] if featured else []) + latest[:LATEST_ON_FRONT_PAGE]
    cards = news.cards(ids)
    return NewsPanel(
        [card for card in cards if card.pk != featured],
        newsroom_of(page.locale),
        [card for card in cards if card.pk == featured],
    )


@register.simple_tag(takes_context=True)
def news_about(context, page):
    """The latest news of a hub page (field of work, country, structure); None if it has none.

    A hub's news is what the newsroom shows behind its "All news" link
    (``newsroom_query()``): a structure's includes that of its units.
    """
    query = page.newsroom_query()
    if not query:
        return None
    news = NewsQuery(NewsFilters.from_querystring(query), page.locale)
    return NewsPanel(news.latest(LATEST_ON_HUB_PAGE), newsroom_of(page.locale))


@register.simple_tag
def facet_options(facet):
    """The checkboxes of one filter, each with its count.

    Written in Python rather than as a template loop: the newsroom shows ~150 of
    them, and the loop took 11 ms of a 28 ms page at 100,000 items, this 1 ms.
    """
    rows = []
    for option in facet.options:
        classes = "news-filters__option"
        if not option.count and not option.selected:
            classes += " news-filters__option--empty"
        if option.depth:
            classes += f" news-filters__option--depth-{option.depth}"
        rows.append(
            (
                classes,
                f"f-{facet.name}-{option.slug}",
                facet.name,
                option.slug,
                " checked" if option.selected else "",
                option.label,
                option.count,
            )
        )
    items = format_html_join(
        "\n",
        '<li class="{0}"><input type="checkbox" id="{1}" name="{2}" value="{3}"{4}>'
        ' <label for="{1}">{5} <span class="news-filters__count">({6})</span></label></li>',
        rows,
    )
    return format_html("<ul>{}</ul>", items)
