from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Without MACHINE_TRANSLATOR, wagtail-localize's stand-in (it reverses the words), so the
# Machine translate button can be tried without an account.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = WAGTAILLOCALIZE_MACHINE_TRANSLATOR or {  # noqa: F405
    "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
}
