"""Production settings, security headers, login throttling and upload limits."""

import importlib
import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from wagtail.models import Site

from tests.quality.conftest import public_pages

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


def production_environment(tmp_path):
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "www.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


def test_production_settings_pass_the_deployment_checklist_without_a_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture
def production(monkeypatch, tmp_path):
    """The security settings of config.settings.production, applied to this test."""
    for name, value in production_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    importlib.reload(importlib.import_module("config.settings.base"))
    module = importlib.reload(importlib.import_module("config.settings.production"))
    names = [
        name
        for name in dir(module)
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))
        or name in ("DEBUG", "ALLOWED_HOSTS")
    ]
    with override_settings(**{name: getattr(module, name) for name in names}):
        yield module


@pytest.mark.usefixtures("demo")
def test_public_pages_send_a_content_security_policy_without_inline_scripts(client):
    for name, url in public_pages("en"):
        response = client.get(url)
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'", name
        assert "unsafe-inline" not in policy["default-src"], name
        assert policy["object-src"] == "'none'", name
        assert policy["frame-ancestors"] == "'none'", name
        assert "<script>" not in response.text, f"{name} has an inline script"


def test_production_sends_hsts_referrer_policy_and_secure_cookies(production, client):
    response = client.get("/en/", secure=True, headers={"host": "www.example.org"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE

    login = client.get("/admin/login/", secure=True, headers={"host": "www.example.org"})
    assert login.cookies["csrftoken"]["secure"] is True
    plain = client.get("/en/", headers={"host": "www.example.org"})
    assert plain.status_code == 301
    assert plain["Location"] == "https://www.example.org/en/"


def attempt_login(client, password, username="editor"):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})


def test_the_admin_login_refuses_further_attempts_after_five_failures(client):
    User.objects.create_superuser("editor", "editor@example.org", "the-right-password")
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = attempt_login(client, "wrong")
        assert response.status_code == 200
        assert "error" in response.text.lower()
    # The failure that reaches the limit is already answered with the lockout page.
    assert attempt_login(client, "wrong").status_code == 429

    refused = attempt_login(client, "the-right-password")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text
    assert "Please try again in 15 minutes." in refused.text
    assert "_auth_user_id" not in client.session


def test_the_limit_also_holds_for_one_account_across_addresses(client):
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(
            reverse("wagtailadmin_login"),
            {"username": "Editor", "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{number}",
        )
    refused = client.post(
        reverse("wagtailadmin_login"),
        {"username": "editor", "password": "x"},
        REMOTE_ADDR="10.0.1.1",
    )
    assert refused.status_code == 429


def test_a_successful_login_clears_earlier_failures(client):
    User.objects.create_superuser("editor", "editor@example.org", "the-right-password")
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        attempt_login(client, "wrong")
    assert attempt_login(client, "the-right-password").status_code == 302
    client.logout()
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert attempt_login(client, "wrong").status_code == 200
    assert attempt_login(client, "the-right-password").status_code == 302


@pytest.fixture
def admin_client_logged_in(client):
    user = User.objects.create_superuser("uploader", "u@example.org", "pw")
    client.force_login(user)
    return client


def test_documents_of_a_type_not_allowed_are_refused_with_a_clear_message(admin_client_logged_in):
    upload = SimpleUploadedFile(
        "report.exe", b"MZ\x90\x00", content_type="application/octet-stream"
    )
    response = admin_client_logged_in.post(
        reverse("wagtaildocs:add"), {"title": "Report", "file": upload}
    )
    assert response.status_code == 200
    assert "File extension “exe” is not allowed" in response.text


def png_bytes(size):
    buffer = io.BytesIO()
    Image.effect_noise((size, size), 100).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def test_images_over_the_size_limit_are_refused_with_a_clear_message(admin_client_logged_in):
    data = png_bytes(200)
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=len(data) - 1):
        response = admin_client_logged_in.post(
            reverse("wagtailimages:add"),
            {"title": "Big", "file": SimpleUploadedFile("big.png", data, "image/png")},
        )
    assert response.status_code == 200
    assert "This file is too big" in response.text


def test_images_of_a_type_not_allowed_are_refused(admin_client_logged_in):
    response = admin_client_logged_in.post(
        reverse("wagtailimages:add"),
        {
            "title": "Vector",
            "file": SimpleUploadedFile("logo.svg", b"<svg></svg>", "image/svg+xml"),
        },
    )
    assert response.status_code == 200
    assert "Not a supported image format" in response.text


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /admin/" in response.text
    assert "Disallow: /search/" in response.text
    root = Site.objects.get(is_default_site=True).root_url
    assert f"Sitemap: {root}/sitemap.xml" in response.text
    assert client.get("/sitemap.xml").status_code == 200
