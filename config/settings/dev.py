import os

from .base import *  # noqa: F403

# `make run` shows readers' error pages (the site's own 404), as production does; set
# DEBUG=true for Django's debugging pages. Static and media files are served either way.
DEBUG = os.environ.get("DEBUG", "false") == "true"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Without MACHINE_TRANSLATOR, wagtail-localize's stand-in (it reverses the words), so the
# Machine translate button can be tried without an account.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = WAGTAILLOCALIZE_MACHINE_TRANSLATOR or {  # noqa: F405
    "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
}
# `make run` serves with a task worker beside the server (SHARED_FILE_CACHE=true): without
# REDIS_URL the two share a cache on disk, so that a change made on the worker (scheduled
# publishing) is not left stale in the server's own memory. Benchmarks keep base.py's
# local-memory cache.
if os.environ.get("SHARED_FILE_CACHE") == "true" and not os.environ.get("REDIS_URL"):
    CACHES["default"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",  # noqa: F405
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
