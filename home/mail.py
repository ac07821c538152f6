"""E-mail that fails loudly in the log, not silently.

Wagtail's moderation notices and Django's password reset send through the configured
backend; when the mail server refuses or cannot be reached, the editor's action must
still succeed, and the operator must learn that a message was lost. This backend is
Django's SMTP backend with every failure logged (recipients and subject, never the body).
"""

import logging

from django.core.mail.backends.smtp import EmailBackend

logger = logging.getLogger(__name__)


class LoggingSMTPBackend(EmailBackend):
    def send_messages(self, email_messages):
        # Django's backend swallows failures when told to be silent; here they are caught
        # (to be logged) first, and swallowed only then.
        quiet, self.fail_silently = self.fail_silently, False
        try:
            return super().send_messages(email_messages)
        except Exception:
            for message in email_messages:
                logger.exception(
                    "E-mail not sent: %r to %s", message.subject, ", ".join(message.recipients())
                )
            if not quiet:
                raise
            return 0
        finally:
            self.fail_silently = quiet
