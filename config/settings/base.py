"""Settings shared by every environment.

Everything that differs between deployments is read from the environment:
DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, DATA_DIR, REDIS_URL, BASE_URL,
MACHINE_TRANSLATOR (with DEEPL_API_KEY or LIBRETRANSLATE_URL), TRUSTED_PROXY_COUNT
and TRUSTED_PROXY_IPS.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The site's own files (templates, static files, interface translations, demo content).
SITE_DIR = BASE_DIR / "site"
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var")).resolve()


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "directory",
    "newsroom",
    "search",
    "localization",
    "config",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "csp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "home.compression.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "home.security.ContentSecurityPolicyMiddleware",
    "home.cache.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "home.security.LoginLimitMiddleware",
    # Last, as django-axes requires: it turns a locked-out login's answer into the 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default; PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers carry on while an editor writes; IMMEDIATE transactions
    # take the write lock up front, so a transaction never fails half-way with
    # "database is locked" when it upgrades from reading to writing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }

if os.environ.get("TEST_DB_NAME"):
    # Lets several test runs share one PostgreSQL server without colliding.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The organisation's six official languages. English is the source language.
LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [SITE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
if os.environ.get("REDIS_URL"):
    # Shared by every app server: django-redis. If Redis stops answering, it reads as an
    # empty cache (IGNORE_EXCEPTIONS) after at most the socket timeouts below, so pages are
    # served uncached; home.resilience turns django-redis's log of each failed call into one
    # warning every 30 seconds.
    CACHES["default"] = {
        "BACKEND": "home.resilience.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "osce"),
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
# The versions of what is cached (home.invalidation) must be one for every process that
# serves or changes the site (app server workers, the task worker, cron, import_news), or a
# change made in one leaves the others stale. With Redis they live there; without it, in
# files under DATA_DIR, shared by every process on the machine.
CACHES["versions"] = (
    {**CACHES["default"], "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-versions"}
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache" / "versions",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "home.resilience.redis"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redis_outage": {"()": "home.resilience.RedisOutageLogFilter"}},
    "loggers": {"home.resilience.redis": {"filters": ["redis_outage"]}},
}

# Whole public pages for anonymous readers (home.cache). The local-memory cache is per
# process: with several processes, use Redis so a publish purges every one of them.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "true") == "true"
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "60"))

# A CDN in front of the site: set FRONTEND_CACHE_PURGE_URL for a Varnish/Fastly-style
# HTTP PURGE endpoint, or CLOUDFLARE_BEARER_TOKEN and CLOUDFLARE_ZONEID.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_BEARER_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_BEARER_TOKEN"],
        "ZONEID": os.environ.get("CLOUDFLARE_ZONEID", ""),
    }
# What a change makes stale on the CDN is purged by home.cache, from the pages' own
# purge_urls(), after the change commits. Wagtail's app only adds a purge of each
# published page: without a CDN it would queue an empty task for every publish.
if not WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.remove("wagtail.contrib.frontend_cache")
# Those lists name each language's own pages; Wagtail would otherwise purge every path
# again under each other language's prefix.
WAGTAILFRONTENDCACHE_LANGUAGES = []

# Background work (django-tasks) waits in the database (django-tasks-db) until a worker,
# `manage.py run_worker`, runs it beside the web servers (docs/deployment.md): the
# newsroom's index rebuilds, CDN purges, scheduled publishing, and what Wagtail queues
# itself (search and reference index updates, image focal points, file deletions).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content-Security-Policy (django-csp, home.security). No inline scripts anywhere on public
# pages (JSON-LD is data, not script), so scripts are limited to our own files. Embeds come
# from the providers editors may use.
EMBED_FRAME_SOURCES = [
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": EMBED_FRAME_SOURCES,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Wagtail's admin (and Django's) under a policy of its own: their templates and widgets
# still write inline scripts and style attributes (wagtail#1288), so those are allowed,
# from this origin only. Images may be data: and blob: URLs (upload previews, the focal
# point editor) or https: (avatars, embed thumbnails); the page preview is framed by the
# editor, so views that Django lets be framed by this origin (X-Frame-Options SAMEORIGIN)
# get frame-ancestors 'self', every other admin view 'none'.
ADMIN_CONTENT_SECURITY_POLICY = {
    "PATH_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", "https:"],
        "font-src": [SELF, "data:"],
        # Wagtail's dashboard asks this address whether a newer release exists.
        "connect-src": [SELF, "https://releases.wagtail.org"],
        "frame-src": [SELF, *EMBED_FRAME_SOURCES],
        "media-src": [SELF, "blob:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# One failed-login limit for every way in (django-axes, home/security.py): Wagtail's admin
# login, Django's admin login, Wagtail's front-end login, page passwords and password
# reset requests. The counters are rows in the database, so the limit holds across app
# servers and with Redis down. docs/deployment.md says how to lift a lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Per account: a user name, a password-protected page, an e-mail address asking for a
# password reset.
LOGIN_FAILURE_LIMIT = 5
# Per client address, over every door: higher, as an office or a delegation shares one.
LOGIN_FAILURE_LIMIT_PER_ADDRESS = 20
# A counter forgets its failures this long after the last one.
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
AXES_HANDLER = "home.security.LoginLimitHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_FAILURE_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "home.security.login_name"
AXES_CLIENT_IP_CALLABLE = "home.security.client_address"
AXES_LOCKOUT_CALLABLE = "home.security.lockout_response"
# A successful sign-in clears its account's failures (home.security.LoginLimitHandler).
AXES_RESET_ON_SUCCESS = True
# Attempts refused during a lock do not prolong it: it ends when the page said it would.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client address behind the reverse proxy: TRUSTED_PROXY_COUNT is the number of proxies
# in front of the app servers that append to X-Forwarded-For (1 for the nginx of
# docs/deployment.md; 0, the default, ignores the header); TRUSTED_PROXY_IPS, their
# addresses or networks as the app servers see them, limits reading the header to requests
# they sent. axes' own ipware settings cannot check the latter, so
# home.security.client_address applies both.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
for _network in TRUSTED_PROXY_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXY_IPS: {error}") from None

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = "OSCE"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True


def machine_translator(environ):
    """wagtail-localize's machine translator named by MACHINE_TRANSLATOR, or None (no button).

    ``deepl`` needs DEEPL_API_KEY (a DeepL API Free key ends in ``:fx``); ``libretranslate``
    needs LIBRETRANSLATE_URL and takes LIBRETRANSLATE_API_KEY. The development and test
    settings use wagtail-localize's stand-in, which only reverses the words.
    """
    name = environ.get("MACHINE_TRANSLATOR", "").strip().lower()
    if not name or name == "none":
        return None
    if name == "deepl":
        if not environ.get("DEEPL_API_KEY"):
            raise ImproperlyConfigured("MACHINE_TRANSLATOR=deepl needs DEEPL_API_KEY.")
        return {
            "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
            "OPTIONS": {"AUTH_KEY": environ["DEEPL_API_KEY"]},
        }
    if name == "libretranslate":
        if not environ.get("LIBRETRANSLATE_URL"):
            raise ImproperlyConfigured(
                "MACHINE_TRANSLATOR=libretranslate needs LIBRETRANSLATE_URL."
            )
        return {
            "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
            "OPTIONS": {
                "LIBRETRANSLATE_URL": environ["LIBRETRANSLATE_URL"],
                "API_KEY": environ.get("LIBRETRANSLATE_API_KEY", ""),
            },
        }
    raise ImproperlyConfigured(
        f"MACHINE_TRANSLATOR={name!r}: use deepl, libretranslate or leave it unset."
    )


WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator(os.environ)

LOGIN_URL = "wagtailadmin_login"

FORMAT_MODULE_PATH = ["config.formats"]
