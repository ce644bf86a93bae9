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
    "podium.core",
    "podium.tenancy",
    "podium.catalog",
    "podium.customers",
    "podium.sales",
    "podium.seating",
    "podium.checkin",
    "podium.shop",
    "podium.office",
    "podium.api",
    "podium.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
LOGIN_URL = "office:login"
LOGIN_REDIRECT_URL = "office:home"

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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

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
}

# Payments: Mollie's API (tests point this at a local server) and the public base URL
# that providers call back (webhooks) and send buyers back to.
MOLLIE_API_URL = env.str("MOLLIE_API_URL", default="https://api.mollie.com/v2")
MOLLIE_TIMEOUT = env.float("MOLLIE_TIMEOUT", default=10.0)
PODIUM_PUBLIC_URL = env.str("PODIUM_PUBLIC_URL", default="")
