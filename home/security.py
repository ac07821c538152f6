"""Security headers (a Content-Security-Policy for the site and one for the admin) and a
limit on repeated failed admin logins."""

import hashlib

from csp.constants import HEADER, SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware: CONTENT_SECURITY_POLICY on public pages, and
    ADMIN_CONTENT_SECURITY_POLICY on the admin's paths.

    A view that Django lets be framed by this origin (the page preview, through
    ``xframe_options_sameorigin``) gets ``frame-ancestors 'self'`` instead of ``'none'``,
    so the two framing headers never disagree. django-csp's per-view decorators still
    take precedence over both policies.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.admin_prefixes = tuple(settings.ADMIN_CONTENT_SECURITY_POLICY["PATH_PREFIXES"])
        self.admin_directives = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if request.path_info.startswith(self.admin_prefixes):
            parts.config = self.admin_directives
            if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
                parts.replace = {"frame-ancestors": [SELF], **(parts.replace or {})}
        return parts

    def process_response(self, request, response):
        in_admin = request.path_info.startswith(self.admin_prefixes)
        if in_admin and getattr(response, "_public_content_security_policy", False):
            # Wagtail renders a preview by running the page's own URL through the whole
            # middleware chain once more, which gave it the public policy; shown in the
            # editor, it is an admin response and takes the admin's.
            del response[HEADER]
        response = super().process_response(request, response)
        if not in_admin and HEADER in response:
            response._public_content_security_policy = True
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def _client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


def _keys(request, username):
    ip = _client_ip(request)
    name = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    return [f"login-failures:ip:{ip}", f"login-failures:user:{name}"]


def _count(key):
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        return 1


def record_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    for key in _keys(request, credentials.get("username")):
        _count(key)


def clear_failures(sender, request, user, **kwargs):
    if request is not None:
        cache.delete_many(_keys(request, user.get_username()))


user_login_failed.connect(record_failure, dispatch_uid="login-throttle-failed")
user_logged_in.connect(clear_failures, dispatch_uid="login-throttle-cleared")


class LoginThrottleMiddleware:
    """Refuses login attempts after LOGIN_FAILURE_LIMIT failures from one address or
    for one user name within LOGIN_FAILURE_WINDOW_SECONDS, with a 429 that says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in settings.LOGIN_THROTTLE_PATHS:
            keys = _keys(request, request.POST.get("username"))
            counts = cache.get_many(keys)
            if any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values()):
                minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
                message = _(
                    "Too many failed sign-in attempts. Please wait %(minutes)d minutes "
                    "and try again."
                ) % {"minutes": minutes}
                response = HttpResponse(message, status=429, content_type="text/plain")
                response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
                return response
        return self.get_response(request)
