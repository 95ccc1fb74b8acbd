"""Settings shared by every environment, read only from the environment.

With no variables at all Runway runs on embedded defaults: SQLite, a
filesystem Celery broker and a file-based cache under ``var/``. Setting
``DATABASE_URL`` and ``REDIS_URL`` moves it to PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from kombu import Exchange, Queue

from config.env import email_settings_from_url, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("RUNWAY_VAR_DIR", BASE_DIR / "var"))


# Overridden (and required) in production settings.
SECRET_KEY = os.environ.get("SECRET_KEY", "runway-local-development-key-not-for-production")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# How many proxies in front of Runway append to X-Forwarded-For; the client's
# address is the entry the outermost of them wrote (common.clients).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "django_countries",
    "axes",
    "accounts",
    "programs",
    "applicants",
    "reviews",
    "outbox",
    "notifications",
    "adoption",
    "demo",
    "bench",
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
    "accounts.middleware.UserTimezoneMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.menu.menu",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True),
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "runway.sqlite3"),
            # Web, worker and beat share one file: wait for the lock instead of failing.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker -----------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# On Redis, a task a worker took and never acknowledged (the worker died) goes
# back to the queue after this long. Keep it above CELERY_TASK_TIME_LIMIT, or a
# task still running is handed out a second time; and no task is scheduled
# further ahead than this (Redis would hand it out early, then again).
RUNWAY_TASK_REDELIVERY_SECONDS = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "420"))
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object]
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers as an empty cache while Redis is down (rate limits let requests through).
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": RUNWAY_TASK_REDELIVERY_SECONDS,
        # Workers look for such tasks every tenth of that (every 10 s at most),
        # not every 100 s as kombu would.
        "unacked_restore_interval": max(1, min(10, RUNWAY_TASK_REDELIVERY_SECONDS // 10)),
        "unacked_restore_throttle": 1,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    # On disk rather than in memory: the web workers, the worker and beat must
    # see one cache, or each process would keep its own rate-limit counts.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # kombu's filesystem transport needs in and out to be the same folder
        # for separate processes to see each other's messages.
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "polling_interval": 0.2,
    }

# --- Celery ---------------------------------------------------------------
CELERY_TIMEZONE = "UTC"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name) for name in ("default", "reviews", "notifications", "adoption")
]
CELERY_TASK_ROUTES = {
    "reviews.*": {"queue": "reviews"},
    "outbox.*": {"queue": "notifications"},
    "notifications.*": {"queue": "notifications"},
    "adoption.*": {"queue": "adoption"},
}
# A task is acknowledged only once it has finished, and given back to the
# broker if its worker dies: the database stays the record, tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# Celery's Django fixup closes the database connections around every task unless
# told to keep them this many tasks. Around each task Django's own checks still
# run as around a request (config/celery.py): CONN_MAX_AGE and health checks
# decide, so on SQLite (no CONN_MAX_AGE) each task still opens its file afresh.
CELERY_DB_REUSE_MAX = int(os.environ.get("CELERY_DB_REUSE_MAX", "100")) or None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "start-review-for-closed-rounds": {
        "task": "applicants.start_review_for_closed_rounds",
        "schedule": crontab(minute="*/5"),
    },
    "send-review-reminders": {"task": "reviews.send_review_reminders", "schedule": crontab(minute=0)},
    "expire-offers": {"task": "reviews.expire_offers", "schedule": crontab(minute="*/15")},
    "sweep-outbox": {
        "task": "outbox.sweep_outbox",
        "schedule": crontab(),  # every minute
    },
    "send-manager-digests": {
        "task": "notifications.send_manager_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "adoption-rebuild-rollups": {
        "task": "adoption.rebuild_rollups",
        "schedule": crontab(hour=2, minute=30),
        "options": {"queue": "adoption"},
    },
    "adoption-checkin-reminders": {
        "task": "adoption.checkin_reminders",
        "schedule": crontab(minute=15),
        "options": {"queue": "adoption"},
    },
}

# --- E-mail ---------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
globals().update(email_settings_from_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Runway <noreply@runway.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock an account out from one address after repeated failures, for a while.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# 429 with Retry-After, in JSON under /api/.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.clients.client_address"
AXES_VERBOSE = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "applicants:dashboard"
LOGOUT_REDIRECT_URL = "programs:program-list"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- I18N -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
RUNWAY_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF answers with the first class's WWW-Authenticate challenge,
    # so a missing or revoked credential is 401 (authenticate) rather than 403
    # (not allowed). Session requests still pass the CSRF check.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # orjson, depth-limited, refusing text PostgreSQL cannot store: common.parsers.
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "common.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "common.throttling.AnonRateThrottle",
        "common.throttling.UserRateThrottle",
    ],
    # Ours count by common.clients; this keeps any stock DRF throttle to the same proxies.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
        "auth": os.environ.get("API_THROTTLE_AUTH", "10/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Runway API",
    "DESCRIPTION": "Startup programs: intake, review, decisions and adoption.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # Swagger UI otherwise fetches a validation badge from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api_schema.document_body_limit",
    ],
    # Tags and operation ids from the resource, not the version prefix.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "django_countries.countries",
        "MemberRoleEnum": "applicants.enums.MemberRole",
        "ApplicationStatusEnum": "applicants.enums.ApplicationStatus",
        "DecisionKindEnum": "reviews.enums.DecisionKind",
    },
}

# --- Content-Security-Policy ---------------------------------------------
# No inline script anywhere: pages load their scripts from /static/, Swagger UI
# runs in its split (CSP-friendly) form. Inline styles stay allowed for the
# third-party UIs that set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Runway ---------------------------------------------------------------
RUNWAY_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
RUNWAY_INVITATION_DAYS = 7
RUNWAY_REVIEW_DAYS = int(os.environ.get("RUNWAY_REVIEW_DAYS", "14"))
RUNWAY_OFFER_DAYS = int(os.environ.get("RUNWAY_OFFER_DAYS", "14"))
RUNWAY_OFFER_WARNING_HOURS = int(os.environ.get("RUNWAY_OFFER_WARNING_HOURS", "48"))

# --- Outbox -----------------------------------------------------------------
# A worker's claim on a message lasts this long; past it the message counts as
# pending again (the worker died). Keep it well above CELERY_TASK_TIME_LIMIT.
RUNWAY_OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "900"))
RUNWAY_OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "60"))
RUNWAY_OUTBOX_RETRY_MAX_SECONDS = float(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "3600"))
RUNWAY_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
RUNWAY_OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "100"))
RUNWAY_OUTBOX_SWEEP_LIMIT = 5000
# Webhooks: each attempt may take this long; an endpoint that fails this many
# attempts in a row is switched off and its program's managers told. Private,
# loopback and link-local addresses are refused unless allowed (local
# development and tests allow them).
RUNWAY_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
RUNWAY_WEBHOOK_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", "15"))
RUNWAY_WEBHOOK_SECRET_GRACE_HOURS = int(os.environ.get("WEBHOOK_SECRET_GRACE_HOURS", "24"))
RUNWAY_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)
