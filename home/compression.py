"""HTML, feeds and sitemaps compressed by the app, for readers only.

Static files are already compressed by WhiteNoise. Django's GZipMiddleware compresses
the rest; it is kept off the admin and signed-in requests, whose pages carry CSRF tokens
and private text (compression there is what the BREACH attack measures). A proxy in front
may compress instead (docs/deployment.md); it then sees the responses already compressed.
"""

from django.middleware.gzip import GZipMiddleware


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if request.path.startswith(("/admin/", "/django-admin/")) or (
            user is not None and user.is_authenticated
        ):
            return response
        return super().process_response(request, response)
