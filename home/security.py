"""Security headers for public pages and a limit on repeated failed admin logins."""

import hashlib

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _


def _policy_header():
    return "; ".join(
        f"{directive} {' '.join(sources)}".strip()
        for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
    )


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy header on every page outside the admin.

    Wagtail's admin relies on inline scripts, so it is left to its own defaults.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = _policy_header()
        self.exempt = tuple(settings.CONTENT_SECURITY_POLICY_EXEMPT_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.exempt):
            response.setdefault("Content-Security-Policy", self.header)
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
