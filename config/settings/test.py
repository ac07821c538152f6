from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = DATA_DIR / "test-media"  # noqa: F405
# The suite never runs collectstatic, so no manifest storage here.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_AUTOREFRESH = True
# Other tests change pages without publishing; tests/quality enables the page cache itself.
PAGE_CACHE_ENABLED = False
# Versions in memory, emptied with the rest of the cache before each test.
CACHES["versions"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "versions",
}
# Tasks run at once, inside the call that queues them, so tests are deterministic;
# tests/quality/test_tasks.py runs the database backend and its worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The tests' machine translator is wagtail-localize's stand-in (it reverses the words).
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
}
