"""Tandem settings: one module, driven only by environment variables.

Defaults are safe for production (DEBUG off, secure cookies, HSTS). The embedded
default - SQLite and in-process Celery - applies when DATABASE_URL and
CELERY_BROKER_URL are absent, so `make run` needs nothing but this checkout.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE
from csp.constants import SELF
from django.core.exceptions import ImproperlyConfigured

from alignment.env import env_bool
from alignment.env import env_int
from alignment.env import env_list
from alignment.env import env_str
from alignment.schedule import periodic_tasks

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
    "alignment",
    "alignment.collaboration",
    "research",
    "launches",
    "metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alignment.middleware.RefuseNulCharacters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so it sees the outcome of authentication (django-axes requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alignment.urls"
WSGI_APPLICATION = "alignment.wsgi.application"
ASGI_APPLICATION = "alignment.asgi.application"

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
                "alignment.context_processors.workspace_nav",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling, login lockouts, sessions) -----------------------------------------
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "alignment.cache.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # This process's memory, for what never goes stale because its key names the version
    # of what it was made from (the dashboard's body and payload: metrics.selectors).
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tandem-local",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# Sessions are read from the cache when every process shares it (Redis) and written
# through to the database; with the per-process default cache they stay in the database
# alone, or a logout in one process would leave the session alive in the others.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if CACHE_URL else "db")

# --- Auth -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Who may create a workspace: "anyone" signed in (the default: accounts are made by ops,
# there is no self sign-up), or "staff" (ops accounts only; others join by invitation).
WORKSPACE_CREATORS = env_str("WORKSPACE_CREATORS", "anyone")
if WORKSPACE_CREATORS not in {"anyone", "staff"}:
    raise ImproperlyConfigured("WORKSPACE_CREATORS must be 'anyone' or 'staff'.")
# Days an invitation to a workspace can be accepted in.
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 14)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection on the login page: lock a username+address pair after
# AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_MINUTES.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The login lockout counts by the same client address as the API throttles (NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "alignment.api.throttling.client_address"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads: refuse anything bigger than this (bytes) while the body is read, before its
# bytes past the limit are spooled anywhere (alignment.uploads; a view may set its own).
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 100 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "alignment.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Where uploads over FILE_UPLOAD_MAX_MEMORY_SIZE and workspace exports are spooled
# (default: the system's temporary directory).
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR")

# --- Security -------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health probes come over plain HTTP from inside the deployment.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, fonts and connections from this
# site only, no inline script or style (pages pass data with json_script; htmx's indicator
# style is in tandem.css), images from this site and data: URIs (a remote image in a
# document would be a tracking pixel), no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes anonymous requests a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "alignment.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "alignment.api.settings_hooks.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "alignment.api.settings_hooks.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "alignment.api.throttling.AnonRateThrottle",
        "alignment.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "3000/minute"),
        "auth": env_str("API_THROTTLE_AUTH", "10/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # How many proxies in front of the app append to X-Forwarded-For: the client's address
    # for the throttles is the one the outermost trusted proxy saw. 0 (the default): no
    # proxy is trusted and the header is ignored (a client could rotate it at will).
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    "DESCRIPTION": "Product-marketing alignment: research, messaging, launches and shared KPIs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("kind", "status", "from_team"/"to_team") get one
    # name each, or schema generation warns (and `check --deploy` fails on the warning).
    "ENUM_NAME_OVERRIDES": {
        "ImportKindEnum": "metrics.models.ImportKind",
        "MilestoneKindEnum": "launches.models.MilestoneKind",
        "TemplateItemKindEnum": "launches.models.LaunchTemplateItem.Kind",
        "ReviewStatusEnum": "alignment.messaging.models.ReviewStatus",
        "FeedbackStatusEnum": "alignment.messaging.models.Feedback.Status",
        "TeamEnum": "alignment.teams.WORK_TEAM_CHOICES",
        "InvitationStatusEnum": "alignment.models.Invitation.Status",
        "NotificationDeliveryEnum": "alignment.collaboration.kinds.Delivery",
    },
}

# --- Celery -----------------------------------------------------------------------------
# Without a broker, tasks run in-process (eagerly) so the embedded default needs no Redis.
_broker_url = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = _broker_url is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = _broker_url or "memory://"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _broker_url)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# RELIABILITY: an unacknowledged task of a killed worker goes back to the queue after the
# visibility timeout (Redis); it must exceed the longest import, or a slow one runs twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
}
# Publishing while the broker is down fails within about a second: the job then waits in
# the outbox (ImportJob.enqueued_at empty) for the sweeper instead of holding a request.
RELIABILITY_PUBLISH_RETRY_POLICY = {
    "max_retries": env_int("RELIABILITY_PUBLISH_RETRIES", 2),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
RELIABILITY_SWEEP_SECONDS = env_int("RELIABILITY_SWEEP_SECONDS", 15)
# A running import writes a heartbeat every RELIABILITY_HEARTBEAT_SECONDS; one silent for
# RELIABILITY_STALE_AFTER_SECONDS lost its worker (killed, OOM, container gone) and the
# sweeper re-queues it, so it finishes within about a minute instead of the broker's
# visibility timeout (an hour).
RELIABILITY_HEARTBEAT_SECONDS = env_int("RELIABILITY_HEARTBEAT_SECONDS", 5)
RELIABILITY_STALE_AFTER_SECONDS = env_int("RELIABILITY_STALE_AFTER_SECONDS", 30)
RELIABILITY_SWEEP_GRACE_SECONDS = env_int("RELIABILITY_SWEEP_GRACE_SECONDS", 10)
RELIABILITY_REQUEUE_AFTER_SECONDS = env_int("RELIABILITY_REQUEUE_AFTER_SECONDS", 3600)
RELIABILITY_TASK_MAX_RETRIES = env_int("RELIABILITY_TASK_MAX_RETRIES", 5)
RELIABILITY_RETRY_BACKOFF = env_int("RELIABILITY_RETRY_BACKOFF", 2)
RELIABILITY_RETRY_BACKOFF_MAX = env_int("RELIABILITY_RETRY_BACKOFF_MAX", 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic task is declared in alignment/schedule.py, once; django-celery-beat syncs
# it to the database.
CELERY_BEAT_SCHEDULE = periodic_tasks(sweep_seconds=RELIABILITY_SWEEP_SECONDS)

# --- Email ------------------------------------------------------------------------------
# Console by default: notifications are printed until an SMTP server is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds an SMTP connection may wait: well within the send lease of notification email
# (collaboration/services/email.py), so a hung server cannot cause a duplicate.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tandem <tandem@localhost>")
# Links in emails are absolute: where users reach this deployment.
EMAIL_LINK_BASE_URL = env_str("EMAIL_LINK_BASE_URL", "http://localhost:8000")

# --- Webhooks ---------------------------------------------------------------------------
# Outbound deliveries: attempts per event and subscription, the first retry's delay (doubled
# each time, with jitter) and each POST's timeout. Loopback, link-local and private
# addresses are refused as targets (SSRF) unless DEBUG is on or WEBHOOKS_ALLOW_PRIVATE is.
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 6)
WEBHOOKS_RETRY_BACKOFF = env_int("WEBHOOKS_RETRY_BACKOFF", 30)
WEBHOOKS_TIMEOUT = env_int("WEBHOOKS_TIMEOUT", 10)
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", DEBUG)

# --- Metrics ----------------------------------------------------------------------------
# Largest accepted import file (bytes), rows per JSON request, and the PostgreSQL work_mem
# of the import's merge transaction (its hash joins over the staging rows).
METRICS_IMPORT_MAX_SIZE = env_int("METRICS_IMPORT_MAX_SIZE", MAX_UPLOAD_SIZE)
METRICS_JSON_MAX_ROWS = env_int("METRICS_JSON_MAX_ROWS", 10_000)
METRICS_IMPORT_WORK_MEM = env_str("METRICS_IMPORT_WORK_MEM", "256MB")
# Days an import's stored files (the upload, errors.csv) are kept after it ends; 0 keeps
# them for as long as the job exists (metrics.services.import_files).
IMPORT_FILE_RETENTION_DAYS = env_int("IMPORT_FILE_RETENTION_DAYS", 0)
# Imports can take a while: give metrics tasks their own queue (and workers) if wanted.
METRICS_TASK_QUEUE = env_str("METRICS_TASK_QUEUE")

# --- Import files (metrics and insights) ------------------------------------------------
# What one file may hold before it is refused as a whole: rows (metrics files; insights
# have their own, smaller cap), columns, characters in one line of a CSV file or one cell
# of an XLSX sheet (a CSV field is capped by the csv module at 131,072 characters).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 2_000_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 1_000)
IMPORT_MAX_LINE_CHARS = env_int("IMPORT_MAX_LINE_CHARS", 1024 * 1024)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 131_072)
# An XLSX file is a zip archive, checked before any XML of it is parsed: members, the
# uncompressed size of each and of all, and the compression ratio of large members.
IMPORT_XLSX_MAX_MEMBERS = env_int("IMPORT_XLSX_MAX_MEMBERS", 1_000)
IMPORT_XLSX_MAX_MEMBER_SIZE = env_int("IMPORT_XLSX_MAX_MEMBER_SIZE", 256 * 1024 * 1024)
IMPORT_XLSX_MAX_TOTAL_SIZE = env_int("IMPORT_XLSX_MAX_TOTAL_SIZE", 512 * 1024 * 1024)
IMPORT_XLSX_MAX_RATIO = env_int("IMPORT_XLSX_MAX_RATIO", 100)
# Rejected rows kept for errors.csv: the first ones, each cell cut to a length and all of
# them to a total size (characters); the others are counted only.
IMPORT_MAX_REJECTED_ROWS = env_int("IMPORT_MAX_REJECTED_ROWS", 10_000)
IMPORT_MAX_REJECTED_CELL_CHARS = env_int("IMPORT_MAX_REJECTED_CELL_CHARS", 20_000)
IMPORT_MAX_REJECTED_SIZE = env_int("IMPORT_MAX_REJECTED_SIZE", 20 * 1024 * 1024)

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
