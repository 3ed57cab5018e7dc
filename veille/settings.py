"""Veille settings: every option is an environment variable ``VEILLE_*``.

Each variable and its default is documented in ``.env.example``. All state (SQLite database, media,
the generated secret key, the embedded task queue) lives under ``VEILLE_DATA_DIR`` so that two
instances can run side by side from one checkout.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"VEILLE_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


TESTING = "pytest" in sys.modules or env_bool("TESTING")

# Tests keep their own data directory so that they never touch a running instance's files.
DATA_DIR = Path(env("DATA_DIR", "./test-data" if TESTING else "./data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG")
BASE_URL = env("BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def _secret_key() -> str:
    """The configured key, else one generated once and kept in the data directory.

    A generated key is a real secret (never in the repository); it is only refused when the
    operator explicitly asks for one through the environment and leaves it empty or weak.
    """
    configured = env("SECRET_KEY")
    if configured:
        if len(configured) < 32 and not DEBUG:
            raise SystemExit("VEILLE_SECRET_KEY must be at least 32 characters long.")
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _allowed_hosts() -> list[str]:
    from urllib.parse import urlsplit

    hosts = {urlsplit(BASE_URL).hostname or "127.0.0.1", "127.0.0.1", "localhost"}
    extra = env("ALLOWED_HOSTS")
    hosts.update(h.strip() for h in extra.split(",") if h.strip())
    if TESTING:
        hosts.add("testserver")
    return sorted(hosts)


ALLOWED_HOSTS = _allowed_hosts()
CSRF_TRUSTED_ORIGINS = [BASE_URL]
USE_X_FORWARDED_HOST = env_bool("BEHIND_PROXY")
if USE_X_FORWARDED_HOST:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    # Before the admin: our registration/ templates (password reset) take precedence over its.
    "veille.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its bundled Swagger UI files for /api/docs (no CDN)
    "huey.contrib.djhuey",
    "veille.core",
    "veille.topics",
    "veille.capture",
    "veille.sources",
    "veille.suggestions",
    "veille.search",
    "veille.api",
    "veille.federation",
    "veille.analytics",
    "veille.publishing",
    "veille.importers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Fediverse fetches of topic, profile and post URLs get JSON, before sessions and CSRF.
    "veille.federation.negotiation.ActivityPubMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "veille.urls"
WSGI_APPLICATION = "veille.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "topics:home"
LOGOUT_REDIRECT_URL = "topics:directory"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "veille.core.context_processors.site",
            ],
        },
    }
]


def _database() -> dict:
    url = env("DATABASE_URL")
    if TESTING and env("TEST_BACKEND") == "postgres":
        url = env("TEST_DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "veille.sqlite3",
        "OPTIONS": {
            # WAL lets readers go on while the worker writes; IMMEDIATE takes the write lock at
            # BEGIN so that two writers queue on busy_timeout instead of failing with "locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Background work: Huey. Embedded SQLite storage by default (the consumer runs inside
# `veille serve`); Redis when VEILLE_REDIS_URL is set, with any number of `veille worker`.
# Tests run tasks in immediate mode; with VEILLE_TEST_REDIS_URL the queue is Redis, and the worker
# tests switch immediate mode off to send tasks through it to a real `veille worker`.
REDIS_URL = env("TEST_REDIS_URL") if TESTING else env("REDIS_URL")
HUEY_IMMEDIATE = TESTING
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("QUEUE_NAME", f"veille-test-{os.getpid()}" if TESTING else "veille"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "utc": True,
        "consumer": {"workers": int(env("WORKERS", "4")), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "veille",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "utc": True,
        "consumer": {"workers": int(env("WORKERS", "2")), "worker_type": "thread"},
    }

# The cache is shared by every process of an instance (rate limits, daily salts): files under the
# data directory on one machine, Redis when the instance has one.
if REDIS_URL and not TESTING:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing is deliberately slow; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "veille@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if BASE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Outbound fetches (veille.core.http). Hosts that bypass the address policy: tests, local setups.
FETCH_ALLOW_HOSTS = [h.strip() for h in env("FETCH_ALLOW_HOSTS").split(",") if h.strip()]
FETCH_TIMEOUT = float(env("FETCH_TIMEOUT", "15"))
FETCH_MAX_BYTES = int(env("FETCH_MAX_BYTES", str(10 * 1024 * 1024)))
FETCH_USER_AGENT = env("FETCH_USER_AGENT")  # empty: "Veille/0.1 (+BASE_URL)"

# Federation: plain-http peers only for tests and trials on one machine (with FETCH_ALLOW_HOSTS).
FEDERATION_ALLOW_HTTP = env_bool("FEDERATION_ALLOW_HTTP")
NODE_NAME = env("NODE_NAME")  # the instance's name in NodeInfo and on /actor; empty: the host
FEDERATION_INBOX_RATE_LIMIT = env("FEDERATION_INBOX_RATE_LIMIT", "300/60")  # per remote host
FEDERATION_INBOX_MAX_BYTES = int(env("FEDERATION_INBOX_MAX_BYTES", str(1024 * 1024)))
# Seconds before each new attempt of a failed delivery (over a day, then it is given up).
DELIVERY_RETRY_SCHEDULE = env("DELIVERY_RETRY_SCHEDULE", "60,300,1800,7200,21600,43200,86400")
DELIVERY_BATCH_SIZE = int(env("DELIVERY_BATCH_SIZE", "500"))
DELIVERY_CONCURRENCY = int(env("DELIVERY_CONCURRENCY", "50"))
DELIVERY_TIMEOUT = float(env("DELIVERY_TIMEOUT", "15"))
# A host failing this many times in a row for this long is skipped, then probed now and then.
DELIVERY_HOST_FAILURES = int(env("DELIVERY_HOST_FAILURES", "5"))
DELIVERY_HOST_FAILING_AFTER = int(env("DELIVERY_HOST_FAILING_AFTER", "3600"))
DELIVERY_HOST_PROBE_INTERVAL = int(env("DELIVERY_HOST_PROBE_INTERVAL", "3600"))

# Capture: the languages that language detection may answer, and whether saving a scoop fetches
# its page (archive, details) and image in the background. Tests turn it on where they need it.
CAPTURE_LANGUAGES = [x.strip() for x in env("CAPTURE_LANGUAGES", "fr,en").split(",") if x.strip()]
CAPTURE_ON_SAVE = env_bool("CAPTURE_ON_SAVE", not TESTING)

# Sources: polling and feeds (docs/sources.md).
POLL_BATCH = int(env("POLL_BATCH", "500"))
POLL_RUNS = int(env("POLL_RUNS", "1"))
POLL_PER_HOST = int(env("POLL_PER_HOST", "2"))
POLL_CONCURRENCY = int(env("POLL_CONCURRENCY", "64"))
POLL_MIN_INTERVAL = int(env("POLL_MIN_INTERVAL", "900"))
POLL_MAX_INTERVAL = int(env("POLL_MAX_INTERVAL", "86400"))
POLL_DEFAULT_INTERVAL = int(env("POLL_DEFAULT_INTERVAL", "3600"))
POLL_LEASE = int(env("POLL_LEASE", "600"))
POLL_TIMEOUT = float(env("POLL_TIMEOUT", "20"))
FEED_MAX_BYTES = int(env("FEED_MAX_BYTES", str(5 * 1024 * 1024)))
FEED_MAX_ENTRIES = int(env("FEED_MAX_ENTRIES", "500"))
SUGGESTIONS_PAGE_SIZE = int(env("SUGGESTIONS_PAGE_SIZE", "25"))

# Product settings.
TOPIC_PAGE_SIZE = int(env("TOPIC_PAGE_SIZE", "10"))
FEED_PAGE_SIZE = int(env("FEED_PAGE_SIZE", "20"))
COMMENT_RATE_LIMIT = env("COMMENT_RATE_LIMIT", "5/60")  # comments per seconds, per user
SIGNUP_RATE_LIMIT = env("SIGNUP_RATE_LIMIT", "10/3600")  # sign-ups per seconds, per address
API_READ_RATE_LIMIT = env("API_READ_RATE_LIMIT", "300/60")  # per token, user or address
API_WRITE_RATE_LIMIT = env("API_WRITE_RATE_LIMIT", "60/60")
SIGNUP_OPEN = env_bool("SIGNUP_OPEN", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": "WARNING" if TESTING else "INFO"}},
}
