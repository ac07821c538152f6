"""One failed-login limit for every way in: the admin's login, Django admin's login,
Wagtail's front-end login, page passwords and password reset requests.

Each door: the limit's number of wrong attempts, then the right credentials are refused
with a 429 that says when to try again, and no one is let in. Counted per account (a
user name, a protected page, an e-mail address) across addresses and per client address
across accounts; in the database, so the limit holds with the cache unreachable; by the
address the proxy saw, never one the client wrote into X-Forwarded-For.
"""

import io
import socket

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import PageViewRestriction

from tests.factories import PASSWORD, StandardPageFactory, UserFactory, translate

pytestmark = pytest.mark.django_db

ACCOUNT_LIMIT = settings.LOGIN_FAILURE_LIMIT
ADDRESS_LIMIT = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
WINDOW_MINUTES = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
LOGIN_DOORS = {
    "admin": "/admin/login/",
    "django admin": "/django-admin/login/",
    "front-end": "/en/_util/login/",
}
PAGE_PASSWORD = "open-sesame-42"
RESET_URL = "/admin/password_reset/"


def address(number):
    return f"198.51.100.{number}"


CLIENT = address(1)


@pytest.fixture
def staff():
    return UserFactory(username="editor", is_staff=True, is_superuser=True)


def sign_in(client, door, username, password, remote=CLIENT, **headers):
    return client.post(
        LOGIN_DOORS[door],
        {"username": username, "password": password},
        REMOTE_ADDR=remote,
        headers=headers,
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def assert_refused(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.text
    assert "Please try again in" in response.text


@pytest.fixture
def cache_down():
    """The project's Redis cache, pointed at a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis = {
        "BACKEND": "home.resilience.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
    with override_settings(CACHES={"default": redis}):
        yield


# Logins: Wagtail's admin, Django's admin, Wagtail's front-end login ----------------


@pytest.mark.parametrize("door", LOGIN_DOORS)
def test_wrong_passwords_then_the_right_one_are_refused(client, staff, door):
    for _attempt in range(ACCOUNT_LIMIT - 1):
        assert sign_in(client, door, "editor", "wrong").status_code == 200
    assert_refused(sign_in(client, door, "editor", "wrong"))

    refused = sign_in(client, door, "editor", PASSWORD)
    assert_refused(refused)
    assert f"Please try again in {WINDOW_MINUTES} minutes." in refused.text
    assert not signed_in(client)


@pytest.mark.parametrize("door", LOGIN_DOORS)
def test_one_account_is_locked_whatever_address_the_attempts_come_from(client, staff, door):
    for number in range(ACCOUNT_LIMIT):
        sign_in(client, door, "editor", "wrong", remote=address(number))
    assert_refused(sign_in(client, door, "editor", PASSWORD, remote=address(99)))
    assert not signed_in(client)


@pytest.mark.parametrize("door", LOGIN_DOORS)
def test_an_address_is_locked_across_accounts_and_another_address_is_not(client, staff, door):
    UserFactory(username="colleague", is_staff=True, is_superuser=True)
    for number in range(ADDRESS_LIMIT):
        # Never the account limit for one name: only the address's counter fills.
        sign_in(client, door, f"guess{number // (ACCOUNT_LIMIT - 1)}", "wrong")
    assert_refused(sign_in(client, door, "colleague", PASSWORD))
    assert not signed_in(client)

    assert sign_in(client, door, "colleague", PASSWORD, remote=address(2)).status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("door", LOGIN_DOORS)
def test_the_limit_holds_with_the_cache_unreachable(client, staff, door, cache_down):
    for _attempt in range(ACCOUNT_LIMIT):
        sign_in(client, door, "editor", "wrong")
    assert_refused(sign_in(client, door, "editor", PASSWORD))
    assert not signed_in(client)


def test_a_user_name_counts_in_any_case_and_spacing(client, staff):
    for name in ["Editor", "EDITOR", " editor", "editor ", "eDitor"][:ACCOUNT_LIMIT]:
        sign_in(client, "admin", name, "wrong")
    assert_refused(sign_in(client, "admin", "editor", PASSWORD))


def test_a_successful_sign_in_clears_its_own_accounts_failures_only(client, staff):
    UserFactory(username="insider", is_staff=True, is_superuser=True)
    for _attempt in range(ACCOUNT_LIMIT - 1):
        sign_in(client, "admin", "editor", "wrong")
    # Signing in to another account leaves the failures against this one standing.
    assert sign_in(client, "admin", "insider", PASSWORD).status_code == 302
    client.logout()
    assert_refused(sign_in(client, "admin", "editor", "wrong"))
    AccessAttempt.objects.all().delete()

    for _attempt in range(ACCOUNT_LIMIT - 1):
        sign_in(client, "admin", "editor", "wrong", remote=address(3))
    assert sign_in(client, "admin", "editor", PASSWORD).status_code == 302
    client.logout()
    # The account starts again from nothing, wherever its failures came from.
    for _attempt in range(ACCOUNT_LIMIT - 1):
        assert sign_in(client, "admin", "editor", "wrong", remote=address(4)).status_code == 200
    assert sign_in(client, "admin", "editor", PASSWORD, remote=address(4)).status_code == 302


def test_the_lock_ends_after_the_window(client, staff):
    for _attempt in range(ACCOUNT_LIMIT):
        sign_in(client, "admin", "editor", "wrong")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - settings.AXES_COOLOFF_TIME / 100
    )
    assert sign_in(client, "admin", "editor", PASSWORD).status_code == 302


def test_the_front_end_lockout_page_is_in_the_readers_language(client, staff):
    for _attempt in range(ACCOUNT_LIMIT):
        response = client.post(
            "/fr/_util/login/", {"username": "editor", "password": "wrong"}, REMOTE_ADDR=CLIENT
        )
    assert response.status_code == 429
    assert '<html lang="fr">' in response.text
    assert "Trop de tentatives" in response.text
    assert f"Veuillez réessayer dans {WINDOW_MINUTES} minutes." in response.text

    for _attempt in range(ACCOUNT_LIMIT):
        response = client.post(
            "/ru/_util/login/", {"username": "other", "password": "wrong"}, REMOTE_ADDR=address(2)
        )
    assert response.status_code == 429
    assert f"Повторите попытку через {WINDOW_MINUTES} минут." in response.text


def test_the_lockout_page_says_how_long_is_left(client, staff):
    for _attempt in range(ACCOUNT_LIMIT):
        sign_in(client, "admin", "editor", "wrong")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME * 0.9
    )
    refused = sign_in(client, "admin", "editor", PASSWORD)
    assert refused.status_code == 429
    assert "Please try again in 2 minutes." in refused.text
    assert 60 < int(refused["Retry-After"]) <= 90


# The client's address: X-Forwarded-For ---------------------------------------------


def test_a_forged_x_forwarded_for_from_a_direct_client_is_ignored(client, staff):
    UserFactory(username="colleague", is_staff=True, is_superuser=True)
    for number in range(ADDRESS_LIMIT):
        sign_in(
            client,
            "admin",
            f"guess{number // (ACCOUNT_LIMIT - 1)}",
            "wrong",
            x_forwarded_for=f"203.0.113.{number}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}
    assert_refused(sign_in(client, "admin", "colleague", PASSWORD, x_forwarded_for="203.0.113.200"))


PROXY = "10.0.0.2"


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_IPS=["10.0.0.0/24"])
def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, staff):
    UserFactory(username="colleague", is_staff=True, is_superuser=True)
    for number in range(ADDRESS_LIMIT):
        # nginx appends the address it saw to whatever the client sent.
        sign_in(
            client,
            "admin",
            f"guess{number // (ACCOUNT_LIMIT - 1)}",
            "wrong",
            remote=PROXY,
            x_forwarded_for=f"203.0.113.{number}, {address(7)}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {address(7)}
    assert_refused(
        sign_in(client, "admin", "colleague", PASSWORD, remote=PROXY, x_forwarded_for=address(7))
    )
    # Another reader behind the same proxy is not locked out.
    other = sign_in(
        client, "admin", "colleague", PASSWORD, remote=PROXY, x_forwarded_for=address(8)
    )
    assert other.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_IPS=["10.0.0.0/24"])
def test_a_client_that_bypasses_the_proxy_cannot_choose_its_address(client, staff):
    for number in range(ACCOUNT_LIMIT):
        sign_in(client, "admin", f"guess{number}", "wrong", x_forwarded_for=f"203.0.113.{number}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}


# Page passwords: no account, so per protected page and per address ------------------


def protected_page(**kwargs):
    page = StandardPageFactory(**kwargs)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    return page, restriction


def enter_password(client, page, restriction, password, remote=CLIENT):
    language = page.locale.language_code
    return client.post(
        f"/{language}/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": password, "return_url": page.url},
        REMOTE_ADDR=remote,
    )


def test_wrong_page_passwords_then_the_right_one_are_refused(client):
    page, restriction = protected_page(title="Delegations only")
    for _attempt in range(ACCOUNT_LIMIT - 1):
        assert enter_password(client, page, restriction, "wrong").status_code == 200
    assert_refused(enter_password(client, page, restriction, "wrong"))

    assert_refused(enter_password(client, page, restriction, PAGE_PASSWORD))
    assert restriction.pk not in client.session.get(
        restriction.passed_view_restrictions_session_key, []
    )
    assert client.get(page.url).status_code == 200
    assert 'name="password"' in client.get(page.url).text


def test_a_page_password_is_locked_whatever_address_the_guesses_come_from(client):
    page, restriction = protected_page()
    other_page, other_restriction = protected_page()
    for number in range(ACCOUNT_LIMIT):
        enter_password(client, page, restriction, "wrong", remote=address(number))
    assert_refused(enter_password(client, page, restriction, PAGE_PASSWORD, remote=address(99)))
    # Another page's password is another counter.
    let_in = enter_password(client, other_page, other_restriction, PAGE_PASSWORD, address(99))
    assert let_in.status_code == 302


def test_pages_below_the_protected_one_share_its_counter(client):
    page, restriction = protected_page()
    child = StandardPageFactory(parent=page)
    for _attempt in range(ACCOUNT_LIMIT - 1):
        enter_password(client, page, restriction, "wrong")
    assert_refused(enter_password(client, child, restriction, "wrong"))


def test_an_address_guessing_many_page_passwords_is_locked_and_another_is_not(client):
    pages = [protected_page() for _number in range(ADDRESS_LIMIT // (ACCOUNT_LIMIT - 1) + 1)]
    for number in range(ADDRESS_LIMIT):
        page, restriction = pages[number // (ACCOUNT_LIMIT - 1)]
        enter_password(client, page, restriction, "wrong")
    page, restriction = pages[-1]
    assert_refused(enter_password(client, page, restriction, PAGE_PASSWORD))
    assert enter_password(client, page, restriction, PAGE_PASSWORD, address(2)).status_code == 302


def test_the_right_page_password_clears_this_addresss_failures_for_the_page(client):
    page, restriction = protected_page()
    for _attempt in range(ACCOUNT_LIMIT - 1):
        enter_password(client, page, restriction, "wrong")
    assert enter_password(client, page, restriction, PAGE_PASSWORD).status_code == 302
    for _attempt in range(ACCOUNT_LIMIT - 1):
        assert enter_password(client, page, restriction, "wrong").status_code == 200


def test_the_page_password_limit_holds_with_the_cache_unreachable(client, cache_down):
    page, restriction = protected_page()
    for _attempt in range(ACCOUNT_LIMIT):
        enter_password(client, page, restriction, "wrong")
    assert_refused(enter_password(client, page, restriction, PAGE_PASSWORD))


def test_a_forged_x_forwarded_for_does_not_multiply_page_password_guesses(client):
    pages = [protected_page() for _number in range(ADDRESS_LIMIT // (ACCOUNT_LIMIT - 1) + 1)]
    for number in range(ADDRESS_LIMIT):
        page, restriction = pages[number // (ACCOUNT_LIMIT - 1)]
        client.post(
            f"/en/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
            {"password": "wrong", "return_url": page.url},
            REMOTE_ADDR=CLIENT,
            headers={"x-forwarded-for": f"203.0.113.{number}"},
        )
    page, restriction = pages[-1]
    assert_refused(enter_password(client, page, restriction, PAGE_PASSWORD))


def test_the_page_password_lockout_is_in_the_pages_language(client):
    page = translate(StandardPageFactory(), "fr")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    for _attempt in range(ACCOUNT_LIMIT):
        response = enter_password(client, page, restriction, "wrong")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text
    assert f"Veuillez réessayer dans {WINDOW_MINUTES} minutes." in response.text


# Password reset requests: per e-mail address and per client address -----------------


def request_reset(client, email, remote=CLIENT, **headers):
    return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=remote, headers=headers)


def test_password_reset_requests_for_one_address_are_limited(client, staff):
    for _request in range(ACCOUNT_LIMIT):
        assert request_reset(client, staff.email).status_code == 302
    assert len(mail.outbox) == ACCOUNT_LIMIT

    assert_refused(request_reset(client, staff.email))
    assert_refused(request_reset(client, staff.email.upper(), remote=address(2)))
    assert len(mail.outbox) == ACCOUNT_LIMIT


def test_an_e_mail_address_is_limited_whatever_address_the_requests_come_from(client, staff):
    for number in range(ACCOUNT_LIMIT):
        request_reset(client, staff.email, remote=address(number))
    assert_refused(request_reset(client, staff.email, remote=address(99)))
    assert len(mail.outbox) == ACCOUNT_LIMIT


def test_unknown_e_mail_addresses_are_limited_the_same_way(client, staff):
    """The 429 comes after as many requests with or without an account: it tells nothing."""
    for _request in range(ACCOUNT_LIMIT):
        assert request_reset(client, "nobody@example.org").status_code == 302
    assert_refused(request_reset(client, "nobody@example.org"))
    assert mail.outbox == []


def test_one_client_cannot_request_resets_for_many_addresses(client, staff):
    for number in range(ADDRESS_LIMIT):
        request_reset(client, f"person{number}@example.org", x_forwarded_for=f"203.0.113.{number}")
    assert_refused(request_reset(client, staff.email))
    assert mail.outbox == []
    # Another client still can.
    assert request_reset(client, staff.email, remote=address(2)).status_code == 302
    assert len(mail.outbox) == 1


def test_a_reset_request_with_a_nul_character_is_counted_not_a_server_error(client, staff):
    for _request in range(ACCOUNT_LIMIT):
        assert request_reset(client, "someone\x00@example.org").status_code == 200
    assert_refused(request_reset(client, "someone@example.org"))


def test_the_reset_limit_holds_with_the_cache_unreachable(client, staff, cache_down):
    for _request in range(ACCOUNT_LIMIT):
        request_reset(client, staff.email)
    assert_refused(request_reset(client, staff.email))
    assert len(mail.outbox) == ACCOUNT_LIMIT


# One limit for every door ------------------------------------------------------------


def test_an_address_locked_at_one_door_is_locked_at_the_others(client, staff):
    pages = [protected_page() for _number in range(ADDRESS_LIMIT // (ACCOUNT_LIMIT - 1))]
    for number in range(ADDRESS_LIMIT):
        page, restriction = pages[number // (ACCOUNT_LIMIT - 1)]
        enter_password(client, page, restriction, "wrong")
    for door in LOGIN_DOORS:
        assert_refused(sign_in(client, door, "editor", PASSWORD))
    assert_refused(request_reset(client, staff.email))
    assert not signed_in(client)


# Lifting a lock (docs/deployment.md) ---------------------------------------------


def test_an_administrator_lifts_a_lock_with_the_documented_commands(client, staff):
    for _attempt in range(ACCOUNT_LIMIT):
        sign_in(client, "admin", "editor", "wrong")
    call_command("axes_reset_username", "Editor", stdout=io.StringIO())
    assert sign_in(client, "admin", "editor", PASSWORD).status_code == 302
    client.logout()

    page, restriction = protected_page()
    for _attempt in range(ACCOUNT_LIMIT):
        enter_password(client, page, restriction, "wrong", remote=address(5))
    call_command("axes_reset_username", f"page-password:{page.pk}", stdout=io.StringIO())
    assert enter_password(client, page, restriction, PAGE_PASSWORD).status_code == 302

    for number in range(ADDRESS_LIMIT):
        request_reset(client, f"person{number}@example.org", remote=address(6))
    call_command("axes_reset_ip", address(6), stdout=io.StringIO())
    assert request_reset(client, staff.email, remote=address(6)).status_code == 302


def test_the_attempts_are_listed_in_djangos_admin(client, staff):
    sign_in(client, "admin", "someone", "wrong")
    client.force_login(staff)
    listing = client.get("/django-admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "someone" in listing.text
