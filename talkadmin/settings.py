"""TalkAdmin settings: everything that differs between machines comes from the environment.

Every variable is listed, with a one-line explanation, in .env.example.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from audit.signing import SigningKeyError, load_signing_keys
from talk.budget_choice import rate_budget_store

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is a convenience for one machine; real environment variables win over it.
ENV_FILE = env.path("ENV_FILE", default=BASE_DIR / ".env")
environ.Env.read_env(ENV_FILE, overwrite=False)
# make run's local files: trial database, secret key, demo accounts, sandbox state.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)

# Development conveniences only ever apply with DEBUG on; production must say what it wants.
_INSECURE_KEY_PREFIX = "django-insecure"
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY.startswith(_INSECURE_KEY_PREFIX) or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing, a default, or shorter than 40 characters. With DEBUG off, "
            "set SECRET_KEY to a long random value (see .env.example)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is empty. With DEBUG off, set ALLOWED_HOSTS to the host names "
            "TalkAdmin is served on, e.g. ALLOWED_HOSTS=talkadmin.example.com."
        )
elif not SECRET_KEY:
    SECRET_KEY = f"{_INSECURE_KEY_PREFIX}-development-only-key-not-for-production-use"

# Every audit row is signed with a key held outside the database (audit/signing.py); production
# refuses to start without one, DEBUG on falls back to a development key.
try:
    AUDIT_HMAC_KEYS = load_signing_keys(
        keys_text=env.str("AUDIT_HMAC_KEYS", default=""),
        keys_file=env.str("AUDIT_HMAC_KEYS_FILE", default=""),
        debug=DEBUG,
    )
except SigningKeyError as problem:
    raise ImproperlyConfigured(f"{problem}.") from None

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "talkadmin",
    "talk",  # no views: only the tables of the shared Talk API rate budget
    "numbers",
    "audit",
    "axes",
    "ivr",
    # Before django_tasks_db: its `db_worker` command is ours (core/worker/management).
    "core.worker",
    "django_tasks_db",
    "greetings",
    "changes",
    "mirror",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.request_context.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "talkadmin.middleware.HtmxMessagesMiddleware",
    "talkadmin.middleware.PhoneSystemFailureMiddleware",
    # Last: turns a paused sign-in into the sign-in page explaining the pause.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "talkadmin.urls"
WSGI_APPLICATION = "talkadmin.wsgi.application"

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
                "talkadmin.context_processors.talkadmin",
            ],
            "builtins": ["django.templatetags.static"],
        },
    },
]

# Tests, `make test` and production use PostgreSQL; `make run` falls back to a SQLite file
# for a zero-setup trial by setting DATABASE_URL itself (see talkadmin/launcher.py).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/talkadmin"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The role that owns the tables and runs the migrations, when the site connects as a role of
# its own that may only add and read audit rows (audit/database_role.py): `manage.py migrate`
# uses this connection. In tests it mirrors the test database.
if env.str("DATABASE_OWNER_URL", default=""):
    DATABASES["owner"] = env.db_url("DATABASE_OWNER_URL")
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers wait for SQLite's lock at BEGIN instead of failing half-way; the audit log's hash
    # chain relies on it to read its head and append in one step.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://talkadmin")}

# The Talk API rate budget and a 429's pause are shared by every process of the installation:
# in the database by default, in the cache when it is Redis; a per-process or non-atomic cache
# refuses to start unless WEB_CONCURRENCY=1 (talk/budget_choice.py).
WEB_CONCURRENCY = env.int("WEB_CONCURRENCY", default=None)  # gunicorn's workers (it reads it too)
TALK_RATE_BUDGET_STORE = rate_budget_store(
    asked=env.str("TALK_RATE_BUDGET_STORE", default=""),
    cache_backend=CACHES["default"]["BACKEND"],
    web_concurrency=WEB_CONCURRENCY,
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes; see talkadmin/sign_in.py): failures are counted per username
# and per address; reaching the limit pauses that username or address for a while.
AUTHENTICATION_BACKENDS = [
    "talkadmin.sign_in.ThrottledSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SIGN_IN_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
SIGN_IN_PAUSE_MINUTES = env.int("SIGN_IN_PAUSE_MINUTES", default=15)
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_PAUSE_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.request_context.client_address"
AXES_LOCKOUT_CALLABLE = "talkadmin.sign_in.throttled_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins need no second log of their own
AXES_VERBOSE = False  # no start-up banner in every command's output; failures still log warnings
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day; admins sign in again the next morning

LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = False
USE_TZ = True

# Change control (changes/): besides protected IVRs, every IVR publish needs a second person's
# approval when this is on (the account-wide "every live change needs approval").
CHANGES_APPROVAL_FOR_EVERY_CHANGE = env.bool("CHANGES_APPROVAL_FOR_EVERY_CHANGE", default=False)
# A scheduled change (or its change back) that cannot reach Zendesk at its time is tried again,
# with backoff, for this long after it was due; then it is given up, visibly.
CHANGES_RETRY_WINDOW_SECONDS = env.float("CHANGES_RETRY_WINDOW_SECONDS", default=600.0)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Without collectstatic (tests, development) fall back to unhashed names instead of failing.
WHITENOISE_MANIFEST_STRICT = False

# --- Security -------------------------------------------------------------------------------
# SECURE_HTTPS is on in production; `make run` turns it off because it serves plain HTTP
# on the loopback address, where secure cookies and HTTPS redirects cannot work.
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
# Load balancers often probe over plain http: /healthz answers there instead of redirecting.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
# Behind a load balancer that terminates TLS: trust its X-Forwarded-Proto and X-Forwarded-For.
TRUST_PROXY_HEADERS = env.bool("TRUST_PROXY_HEADERS", default=False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Talk API ---------------------------------------------------------------------------------
TALK_SUBDOMAIN = env.str("TALK_SUBDOMAIN", default="")
TALK_BASE_URL = env.str("TALK_BASE_URL", default="")
TALK_EMAIL = env.str("TALK_EMAIL", default="")
TALK_API_TOKEN = env.str("TALK_API_TOKEN", default="")
TALK_OAUTH_TOKEN = env.str("TALK_OAUTH_TOKEN", default="")
TALK_RATE_LIMIT_PER_MINUTE = env.int("TALK_RATE_LIMIT_PER_MINUTE", default=200)
TALK_CONNECT_TIMEOUT = env.float("TALK_CONNECT_TIMEOUT", default=5.0)
TALK_READ_TIMEOUT = env.float("TALK_READ_TIMEOUT", default=30.0)
# Longest a page waits for the rate budget or a Retry-After before saying "try again later".
TALK_MAX_WAIT_SECONDS = env.float("TALK_MAX_WAIT_SECONDS", default=15.0)
TALK_RETRIES = 3  # retries of a GET/PUT/DELETE on timeouts and 5xx (talk/transport.py)
TALK_RETRY_BACKOFF = 0.5  # seconds; doubles with each retry
# Zendesk counts per minute; only tests and benchmarks shorten the window (with their sandbox's).
TALK_RATE_WINDOW_SECONDS = env.float("TALK_RATE_WINDOW_SECONDS", default=60.0)
TALK_LOOKUP_CACHE_SECONDS = 60  # groups, greetings, schedules ... kept this long in the cache
TALK_MAX_PAGES = 100  # Zendesk serves at most 100 offset pages (10,000 records)
# Set by `make run` when it starts the local sandbox; only then are demo accounts created.
TALK_SANDBOX = env.bool("TALK_SANDBOX", default=False)

# --- Yeastar P-Series PBX (optional; yeastar/config.py) -----------------------------------------
# With no YEASTAR_BASE_URL the PBX is "not configured" and nothing of it is shown.
YEASTAR_BASE_URL = env.str("YEASTAR_BASE_URL", default="")
YEASTAR_CLIENT_ID = env.str("YEASTAR_CLIENT_ID", default="")
YEASTAR_CLIENT_SECRET = env.str("YEASTAR_CLIENT_SECRET", default="")
# A CA bundle for a PBX whose HTTPS certificate a private authority signed (certificates are
# always checked).
YEASTAR_CA_BUNDLE = env.str("YEASTAR_CA_BUNDLE", default="")
YEASTAR_CONNECT_TIMEOUT = 5.0
YEASTAR_READ_TIMEOUT = 30.0
YEASTAR_RETRIES = 3  # retries of a read or an update on timeouts and 5xx (yeastar/transport.py)
YEASTAR_RETRY_BACKOFF = 0.5  # seconds; doubles with each retry

# --- Background worker (core/worker; run it with `python manage.py db_worker`) ------------------
TASKS = {"default": {"BACKEND": "core.worker.backend.WorkerBackend", "QUEUES": ["default"]}}
# How often each worker records that it is alive, and looks for tasks whose worker died.
WORKER_HEARTBEAT_SECONDS = env.float("WORKER_HEARTBEAT_SECONDS", default=10.0)
# /healthz counts a worker as running when it was seen this recently (or is busy on a task).
WORKER_SEEN_WITHIN_SECONDS = 60
# Finished tasks, periodic runs and stopped workers are kept this long, then forgotten.
WORKER_KEEP_RECORDS_DAYS = env.int("WORKER_KEEP_RECORDS_DAYS", default=30)
# Periodic tasks, all declared here: task path -> every. Each period's run is queued once,
# however many workers run; a period whose previous run has not finished is skipped.
WORKER_PERIODIC_TASKS = {
    "audit.tasks.close_interrupted_change_sets": timedelta(minutes=5),
    "core.worker.tasks.forget_old_worker_records": timedelta(hours=24),
    # The synced copy's cheap pass (mirror.services.sync: ~61 list calls + 20 settings at
    # 5,000 numbers, so every 5 minutes is ~16 calls a minute, 8% of a 200-a-minute account).
    "mirror.tasks.incremental_sync": timedelta(
        seconds=env.float("MIRROR_SYNC_EVERY_SECONDS", default=300.0)
    ),
}
# Queued when a worker starts (unless already queued): the copy's full sync.
WORKER_STARTUP_TASKS = ["mirror.tasks.full_sync"]

# --- Dialpad (optional; dialpad/config.py) -------------------------------------------------------
# With no DIALPAD_BASE_URL Dialpad is "not configured" and nothing of it is shown.
DIALPAD_BASE_URL = env.str("DIALPAD_BASE_URL", default="")
DIALPAD_API_KEY = env.str("DIALPAD_API_KEY", default="")
# Dialpad allows a company 20 requests a second, shared by all its integrations: TalkAdmin's share.
DIALPAD_RATE_LIMIT_PER_SECOND = env.int("DIALPAD_RATE_LIMIT_PER_SECOND", default=10)
DIALPAD_CONNECT_TIMEOUT = 5.0
DIALPAD_READ_TIMEOUT = 30.0
DIALPAD_RETRIES = 3  # retries of a read or an update on timeouts, 5xx and 429 (dialpad/transport)
DIALPAD_RETRY_BACKOFF = 0.5  # seconds; doubles with each retry
DIALPAD_MAX_WAIT_SECONDS = 15.0  # longest a page waits for the budget or a 429's pause

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_context.RequestIdLogFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed and paused sign-ins are warnings; every successful one need not be logged.
        "axes": {"level": "WARNING"},
    },
}
