"""Reading the sitemap as a crawler does: the index at /sitemap.xml, then each of its pages."""

import re
from urllib.parse import urlsplit


def sitemap_locations(client, **headers):
    """The <loc> of every sitemap page the index lists, in order."""
    response = client.get("/sitemap.xml", **headers)
    assert response.status_code == 200
    assert b"<sitemapindex" in response.content
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def sitemap_text(client, **headers):
    """The sitemap pages' XML, one after the other."""
    parts = []
    for location in sitemap_locations(client, **headers):
        address = urlsplit(location)
        path = address.path + (f"?{address.query}" if address.query else "")
        response = client.get(path, **headers)
        assert response.status_code == 200, location
        parts.append(response.content.decode())
    return "\n".join(parts)
