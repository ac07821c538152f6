"""RSS 2.0 and Atom feeds of the newsroom, for any combination of its filters."""

import datetime

from django.http import HttpResponse
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _

from .filters import NewsFilters
from .listing import decorate_news, news_in_order

FEED_SIZE = 50
FORMATS = {"rss": feedgenerator.Rss201rev2Feed, "atom": feedgenerator.Atom1Feed}


def _as_datetime(day):
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC)


def news_feed(newsroom, request, kind):
    """The newest items matching the request's filters as an RSS or Atom document."""
    locale = newsroom.locale
    filters = NewsFilters(request.GET, locale)
    items = decorate_news(news_in_order(filters.item_ids(0, FEED_SIZE), locale), locale, request)

    listing_url = request.build_absolute_uri(newsroom.get_url(request))
    query = filters.querystring()
    if query:
        listing_url += "?" + query
    title = newsroom.title
    chosen = [label for label, _address in filters.active()]
    if chosen:
        title = f"{title}: {'; '.join(chosen)}"
    feed = FORMATS[kind](
        title=title,
        link=listing_url,
        description=newsroom.search_description or newsroom.intro or _("News of the organisation."),
        language=locale.language_code,
        feed_url=request.build_absolute_uri(),
        feed_guid=request.build_absolute_uri(),
        ttl="60",
    )
    for item in items:
        url = request.build_absolute_uri(item.get_url(request))
        issuers = "; ".join(label for label, _address in item.issuers)
        feed.add_item(
            title=item.title,
            link=url,
            description=item.lead,
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=_as_datetime(item.issued_on),
            updateddate=item.last_published_at or _as_datetime(item.issued_on),
            author_name=issuers or None,
            categories=[name for name, _address in item.fields],
        )
    if not items:
        # Atom requires <updated> even for an empty feed.
        feed.latest_post_date = lambda: timezone.now()
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return response
