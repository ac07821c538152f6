"""In production, errors reach the log (and the administrators, when named); an e-mail the
mail server refuses is logged, and the action that sent it still succeeds."""

import logging
import socket

import pytest
from django.core.mail import get_connection, send_mail

from home.mail import LoggingSMTPBackend
from tests.production import run_in_production


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_production_logs_server_errors_to_standard_error_and_mails_the_admins(tmp_path):
    code = (
        "import logging\n"
        "from django.conf import settings\n"
        "print(settings.ADMINS)\n"
        "print(sorted(type(h).__name__ for h in logging.getLogger('django.request').handlers))\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('django.request').error('Internal Server Error: /en/', "
        "exc_info=True, extra={'status_code': 500})\n"
        "logging.getLogger('newsroom').warning('a warning from the app')\n"
        "logging.getLogger('newsroom').info('not shown at the default level')\n"
    )
    result = run_in_production(code, tmp_path, ADMINS="ops@osce.example,web@osce.example")
    admins, handlers = result.stdout.splitlines()[:2]
    assert "ops@osce.example" in admins and "web@osce.example" in admins
    assert handlers == "['AdminEmailHandler', 'StreamHandler']"
    assert "ERROR django.request: Internal Server Error: /en/" in result.stderr
    assert "ZeroDivisionError" in result.stderr
    assert "WARNING newsroom: a warning from the app" in result.stderr
    assert "not shown" not in result.stderr


def test_a_refused_e_mail_is_logged_and_the_sender_carries_on(caplog):
    connection = get_connection(
        "home.mail.LoggingSMTPBackend",
        host="127.0.0.1",
        port=closed_port(),
        timeout=2,
        fail_silently=True,
    )
    with caplog.at_level(logging.ERROR, logger="home.mail"):
        sent = send_mail(
            "Your page was approved",
            "…",
            "web@osce.example",
            ["eva@osce.example"],
            connection=connection,
            fail_silently=True,
        )
    assert sent == 0
    assert "E-mail not sent: 'Your page was approved' to eva@osce.example" in caplog.text


def test_without_fail_silently_the_error_is_raised_after_logging(caplog):
    backend = LoggingSMTPBackend(host="127.0.0.1", port=closed_port(), timeout=2)
    with caplog.at_level(logging.ERROR, logger="home.mail"), pytest.raises(OSError):
        send_mail("Subject", "…", "web@osce.example", ["a@osce.example"], connection=backend)
    assert "E-mail not sent" in caplog.text
