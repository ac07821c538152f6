"""RSS 2.0 and Atom feeds of the newsroom, for any combination of its filters."""

from django.http import HttpResponse
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _

from home.seo import site_root
from home.text import clean_text

from .filters import read_filters
from .query import NewsQuery

FEED_SIZE = 50
FORMATS = {"rss": feedgenerator.Rss201rev2Feed, "atom": feedgenerator.Atom1Feed}


def news_feed(newsroom, request, kind):
    """The newest items matching the request's filters as an RSS or Atom document."""
    locale = newsroom.locale
    form = read_filters(request.GET, locale)
    items = NewsQuery(form.filters, locale).feed(FEED_SIZE)

    # Absolute addresses from the Site record (BASE_URL), not from whichever host name
    # the request came in under.
    root = site_root(request)
    listing_url = newsroom.get_full_url(request)
    query = form.querystring()
    if query:
        listing_url += "?" + query
    title = newsroom.title
    chosen = [label for label, _address in form.active]
    if chosen:
        title = f"{title}: {'; '.join(chosen)}"
    feed = FORMATS[kind](
        title=title,
        link=listing_url,
        description=newsroom.search_description or newsroom.intro or _("News of the organisation."),
        language=locale.language_code,
        feed_url=root + request.get_full_path(),
        feed_guid=root + request.get_full_path(),
        ttl="60",
    )
    for item in items:
        url = item.get_full_url(request)
        issuers = "; ".join(label for label, _address in item.issuers)
        feed.add_item(
            # Cleaned again here for items saved before text was cleaned on save.
            title=clean_text(item.title, single_line=True),
            link=url,
            description=clean_text(item.lead),
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=item.published_at,
            # Never before it was published, even for items imported with a past date.
            updateddate=max(item.last_published_at or item.published_at, item.published_at),
            author_name=issuers or None,
            categories=[name for name, _address in item.fields],
        )
    if not items:
        # Atom requires <updated> even for an empty feed.
        feed.latest_post_date = lambda: timezone.now()
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return response
