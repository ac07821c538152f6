"""Security headers (a Content-Security-Policy for the site and one for the admin) and
the failed-login limit of every way in (django-axes, configured in the settings)."""

import ipaddress
from math import ceil

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit, get_lockout_response
from axes.models import AccessAttempt
from csp.constants import HEADER, SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from ipware.ip import get_client_ip
from wagtail.models import PageViewRestriction


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


# The failed-login limit ------------------------------------------------------------
#
# django-axes counts the failures of every login that goes through Django's
# ``authenticate()`` (Wagtail's admin, Django's admin, Wagtail's front-end login) in the
# database; LoginLimitMiddleware below brings the page-password form and password reset
# requests under the same counters.

PAGE_PASSWORD_VIEW = "wagtailcore_authenticate_with_password"
PASSWORD_RESET_VIEW = "wagtailadmin_password_reset"


def login_name(request, credentials=None):
    """The name failures are counted under (AXES_USERNAME_CALLABLE): the name as typed,
    trimmed and in lower case, so "Editor" and "editor " share one counter. NUL characters,
    which PostgreSQL cannot store, are dropped."""
    if credentials:
        name = credentials.get("username")
    else:
        name = request.POST.get("username")
    return name.replace("\x00", "").strip().lower()[:255] if name else name


def _is_trusted_proxy(address):
    if not settings.TRUSTED_PROXY_IPS:
        return True
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.TRUSTED_PROXY_IPS
    )


def client_address(request):
    """The client's address (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, or behind
    TRUSTED_PROXY_COUNT proxies the address the outermost of them saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so
    the client is the TRUSTED_PROXY_COUNT-th entry from the right; whatever stands to its
    left came from the client and is ignored. The header is read only from a request
    sent by a proxy (TRUSTED_PROXY_IPS, when set): a client that reaches an app server
    directly is counted under its own address, whatever header it forges.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.TRUSTED_PROXY_COUNT or not _is_trusted_proxy(remote):
        return remote
    # ipware counts the proxies listed in the header: all but the one connected to us.
    # Not strict: a longer chain (an office proxy's own entry) still gives the entry our
    # proxy wrote, instead of falling back to the proxy's address.
    address, _routable = get_client_ip(
        request,
        proxy_count=settings.TRUSTED_PROXY_COUNT - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or remote


class LoginLimitHandler(AxesDatabaseHandler):
    """django-axes' database handler with two counters, each with its limit: the account
    (a user name, a protected page, an e-mail address asking for a password reset) at
    AXES_FAILURE_LIMIT, the client address over every door at
    LOGIN_FAILURE_LIMIT_PER_ADDRESS, which is higher because an office or a delegation
    shares one address. A counter holds the failures of the last AXES_COOLOFF_TIME.
    """

    def counters(self, request, credentials=None):
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        return [
            (
                get_failure_limit(request, credentials),
                recent.filter(username=get_client_username(request, credentials)),
            ),
            (
                settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS,
                recent.filter(ip_address=request.axes_ip_address),
            ),
        ]

    def get_failures(self, request, credentials=None):
        # axes locks when this reaches AXES_FAILURE_LIMIT: each counter is put on that
        # scale, so the fullest one relative to its own limit decides.
        limit = get_failure_limit(request, credentials)
        return max(
            (attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0) - own + limit
            for own, attempts in self.counters(request, credentials)
        )

    def unlocks_at(self, request, credentials=None):
        """When every full counter is below its limit again, or None if none is full."""
        cool_off = get_cool_off(request)
        times = []
        for limit, attempts in self.counters(request, credentials):
            rows = sorted(attempts.values_list("attempt_time", "failures_since_start"))
            total = sum(failures for _time, failures in rows)
            # A row holds its failures until its last one is AXES_COOLOFF_TIME old.
            for attempt_time, failures in rows:
                if total < limit:
                    break
                total -= failures
                if total < limit:
                    times.append(attempt_time + cool_off)
        return max(times, default=None)

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False):
        # `manage.py axes_reset_username Editor` finds the counter of "editor".
        return super().reset_attempts(
            ip_address=ip_address,
            username=login_name(None, {"username": username}) if username else username,
            ip_or_username=ip_or_username,
        )

    def reset_user_attempts(self, request, credentials=None):
        """A successful sign-in clears its own account's failures, from every address;
        the address's failures for other accounts still count."""
        username = get_client_username(request, credentials)
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out client gets (AXES_LOCKOUT_CALLABLE): 429, in the reader's
    language, saying when to try again."""
    handler = AxesProxyHandler.get_implementation()
    until = None
    if isinstance(handler, LoginLimitHandler):
        until = handler.unlocks_at(request, credentials)
    if until is not None:
        seconds = max(1, ceil((until - timezone.now()).total_seconds()))
    else:
        seconds = int(get_cool_off(request).total_seconds())
    minutes = max(1, ceil(seconds / 60))
    response = render(request, "lockout.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


class LoginLimitMiddleware:
    """Puts the two ways in that do not sign in through ``authenticate()`` under the limit.

    - A page's password (a ``PageViewRestriction``) counts per protected page, as the
      account ``page-password:<id of the page carrying the password>``, and per address.
      A wrong password is a failure; the right one clears this address's failures for the
      page (other addresses' failures stay: they may be someone guessing).
    - Every password reset request counts, per e-mail address as
      ``password-reset:<address>`` (whether or not an account has it) and per client
      address, so the form can neither flood an inbox nor probe addresses at speed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        credentials = getattr(request, "page_password_credentials", None)
        if credentials is None:
            return response
        if response.status_code == 200:  # the form again: a wrong password
            AxesProxyHandler.user_login_failed(__name__, credentials, request)
            if request.axes_locked_out:
                return get_lockout_response(request, response, credentials)
        elif response.status_code == 302:  # let in
            AxesProxyHandler.reset_attempts(
                username=login_name(request, credentials), ip_address=request.axes_ip_address
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not settings.AXES_ENABLED:
            return None
        url_name = request.resolver_match.url_name
        if url_name == PAGE_PASSWORD_VIEW:
            page_id = (
                PageViewRestriction.objects.filter(pk=view_kwargs["page_view_restriction_id"])
                .values_list("page_id", flat=True)
                .first()
            )
            if page_id is None:
                return None  # Wagtail's view answers 404
            credentials = {"username": f"page-password:{page_id}"}
        elif url_name == PASSWORD_RESET_VIEW:
            credentials = {"username": f"password-reset:{request.POST.get('email', '')}"}
        else:
            return None
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, None, credentials)
        if url_name == PASSWORD_RESET_VIEW:
            AxesProxyHandler.user_login_failed(__name__, credentials, request)
            # This request was within the limit and is answered; the next is refused.
            request.axes_locked_out = False
        else:
            request.page_password_credentials = credentials
        return None
