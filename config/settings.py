"""Podium settings, read from environment variables with safe embedded defaults.

Without any variable set, Podium runs on SQLite (WAL) with a local-memory cache and
e-mail printed to the console: `make run` needs nothing else. Production sets
DATABASE_URL, REDIS_URL, PODIUM_SECRET_KEY, EMAIL_URL and PODIUM_DEBUG=false.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("PODIUM_DEBUG", default=True)
# The embedded default key is only for a local first look; production must set its own.
SECRET_KEY = env.str(
    "PODIUM_SECRET_KEY", default="insecure-embedded-default-only-for-make-run"
)
if not DEBUG and SECRET_KEY.startswith("insecure-"):
    raise environ.ImproperlyConfigured(
        "Set PODIUM_SECRET_KEY when PODIUM_DEBUG is off."
    )
ALLOWED_HOSTS = env.list(
    "PODIUM_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("PODIUM_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API docs from our static files, not a CDN (CSP)
    "podium.core",
    "podium.tenancy",
    "podium.catalog",
    "podium.customers",
    "podium.sales",
    "podium.seating",
    "podium.passes",
    "podium.checkin",
    "podium.waitingroom",
    "podium.shop",
    "podium.office",
    "podium.api",
    "podium.demo",
]

MIDDLEWARE = [
    "podium.core.metrics.RequestMetricsMiddleware",  # first: times everything below
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "podium.core.security.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "podium.tenancy.middleware.TenantMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "podium" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["podium.core.templatetags.i18ntext"],
        },
    }
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'podium.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock
    # at BEGIN so that two claims never deadlock on a lock upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 10,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault(
        "CONN_MAX_AGE", env.int("PODIUM_CONN_MAX_AGE", default=60)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis fails fast (health check, pages) instead of hanging.
            "OPTIONS": {"socket_connect_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("PODIUM_EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str(
    "PODIUM_FROM_EMAIL", default="Podium <tickets@podium.localhost>"
)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id first; older hashes still verify and are re-hashed with Argon2 at log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "office:login"
LOGIN_REDIRECT_URL = "office:home"
PASSWORD_RESET_TIMEOUT = env.int("PODIUM_PASSWORD_RESET_TIMEOUT", default=60 * 60)

# Staff accounts: a staff session ends PODIUM_STAFF_SESSION_SECONDS after log-in
# (a working day), whatever happens in between. Visitors' sessions (basket, account)
# keep SESSION_COOKIE_AGE. Log-out clears the session.
PODIUM_STAFF_SESSION_SECONDS = env.int("PODIUM_STAFF_SESSION_SECONDS", default=8 * 3600)
SESSION_COOKIE_AGE = env.int("PODIUM_SESSION_COOKIE_AGE", default=14 * 24 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool(
    "PODIUM_SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False
)
# Lock-out: this many failed log-ins for one username (or from one address: a box
# office shares one) within the window refuse log-ins for PODIUM_LOGIN_LOCK_SECONDS.
PODIUM_LOGIN_MAX_FAILURES = env.int("PODIUM_LOGIN_MAX_FAILURES", default=5)
PODIUM_LOGIN_MAX_FAILURES_PER_IP = env.int(
    "PODIUM_LOGIN_MAX_FAILURES_PER_IP", default=20
)
PODIUM_LOGIN_WINDOW_SECONDS = env.int("PODIUM_LOGIN_WINDOW_SECONDS", default=15 * 60)
PODIUM_LOGIN_LOCK_SECONDS = env.int("PODIUM_LOGIN_LOCK_SECONDS", default=15 * 60)
# Between the password and the authenticator code: at most this long, 5 tries.
PODIUM_LOGIN_CODE_SECONDS = env.int("PODIUM_LOGIN_CODE_SECONDS", default=5 * 60)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "podium" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("PODIUM_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Web security (README "Security"). Cookies are HttpOnly and, outside DEBUG, Secure;
# no script reads the CSRF cookie (pages pass the token in the form or a data-
# attribute). HSTS is on in production (PODIUM_DEBUG=false) unless set to 0.
# PODIUM_SECURE_COOKIES=false only for plain-http clients that are not browsers (load
# tools against tools/prod.sh on 127.0.0.1): browsers keep Secure cookies on localhost.
SECURE_COOKIES = env.bool("PODIUM_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = env.int("PODIUM_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "PODIUM_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = False
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (production profile).
if env.bool("PODIUM_BEHIND_TLS_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (podium.core.security): extra origins that forms may post or
# redirect to (the payment provider's hosted checkout) and that images may come from.
PODIUM_CSP_FORM_ACTION = env.list(
    "PODIUM_CSP_FORM_ACTION", default=["https://www.mollie.com"]
)
PODIUM_CSP_IMG_SRC = env.list("PODIUM_CSP_IMG_SRC", default=[])
# API rate limits ("<count>/<s|min|h|day>", empty = no limit): per API key, and per
# client IP for calls without a key.
PODIUM_API_RATE_PER_KEY = env.str("PODIUM_API_RATE_PER_KEY", default="600/min")
PODIUM_API_RATE_PER_IP = env.str("PODIUM_API_RATE_PER_IP", default="120/min")
# Public pages without anything personal are rendered once per this many seconds and
# shared (podium/shop/page_cache.py); 0 turns it off.
PODIUM_PAGE_CACHE_SECONDS = env.int("PODIUM_PAGE_CACHE_SECONDS", default=5)
# How long a worker remembers which cluster a host name belongs to.
PODIUM_CLUSTER_CACHE_SECONDS = env.int("PODIUM_CLUSTER_CACHE_SECONDS", default=60)
# How many reverse proxies append to X-Forwarded-For in front of the app (0: use the
# socket's address); rate limits and log-in lock-outs count per client address.
# PODIUM_API_NUM_PROXIES is its older name.
PODIUM_NUM_PROXIES = env.int(
    "PODIUM_NUM_PROXIES", default=env.int("PODIUM_API_NUM_PROXIES", default=0)
)

# The cluster served on a host that no cluster claims (the embedded demo has one).
PODIUM_DEFAULT_CLUSTER = env.str("PODIUM_DEFAULT_CLUSTER", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.str("PODIUM_LOG_LEVEL", default="INFO"),
    },
}

# Background work: Celery with Redis in production; inline when no broker is set.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "release-expired-holds": {
        "task": "podium.sales.tasks.release_expired_holds_task",
        "schedule": 60.0,
    },
    "expire-overdue-orders": {
        "task": "podium.sales.tasks.expire_overdue_orders_task",
        "schedule": 60.0,
    },
    # Waiting rooms admit at their rate even when nobody in the queue polls.
    "waiting-rooms-step": {
        "task": "podium.waitingroom.tasks.waiting_rooms_step_task",
        "schedule": 10.0,
    },
    # Expired sessions stay in the database until deleted.
    "sessions-clear": {
        "task": "podium.core.tasks.sessions_clear_task",
        "schedule": 24 * 60 * 60.0,
    },
    # Friends passes ending within a month get their renewal reminder.
    "membership-reminders": {
        "task": "podium.passes.tasks.membership_reminders_task",
        "schedule": 24 * 60 * 60.0,
    },
    # GDPR: anonymise customers past every knowing house's retention, once a day.
    "customers-retention": {
        "task": "podium.sales.tasks.customers_retention_task",
        "schedule": 24 * 60 * 60.0,
    },
}

# Payments: Mollie's API (tests point this at a local server) and the public base URL
# that providers call back (webhooks) and send buyers back to.
MOLLIE_API_URL = env.str("MOLLIE_API_URL", default="https://api.mollie.com/v2")
MOLLIE_TIMEOUT = env.float("MOLLIE_TIMEOUT", default=10.0)
PODIUM_PUBLIC_URL = env.str("PODIUM_PUBLIC_URL", default="")

# /metrics answers loopback without proxy headers, or this bearer token (empty: none).
PODIUM_METRICS_TOKEN = env.str("PODIUM_METRICS_TOKEN", default="")
