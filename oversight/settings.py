"""Django settings for Oversight.

Everything that differs between a laptop and a deployment comes from environment
variables (see the README's table); the defaults are the embedded set-up: SQLite
under var/ and the in-memory channel layer, one process.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OVERSIGHT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-secret-key-do-not-deploy"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "oversight.workspace",
    "oversight.traces",
    "oversight.judge",
    "oversight.review",
    "oversight.assist",
    "oversight.webhooks",
    "oversight.verifiers",
    "oversight.overlap",
    "oversight.experiments",
    "oversight.api",
    "editor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages and API answers when the client accepts gzip (the 38 MB trajectory
    # of a long trace is ~4 MB gzipped). Above everything that writes the body; below
    # WhiteNoise, which serves static files already compressed. BREACH: Django's
    # middleware pads every compressed body with random bytes (Heal-the-BREACH), the
    # CSRF token is masked anew per response, and the API authenticates by token or
    # session with no secret echoed beside user input; see docs/benchmarks.md.
    "oversight.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Near the end, so it sees what views raise: styled error pages whatever DEBUG says.
    "oversight.errorpages.ErrorPagesMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oversight.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "oversight" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

ASGI_APPLICATION = "oversight.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'oversight.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while the editor appends updates; a generous
    # timeout rides out the short write locks of group commits.
    # Tests use a file, not shared-cache memory: the editor writes from its own
    # thread, and shared-cache SQLite fails ("table is locked") instead of waiting.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"oversight-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the queue's and dashboard's many-row queries anew on every
    # request: 1.5 s of a 4.6 s query at 100,000 tasks (bench/lists_bench.py), never won back.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 6+ times reads out after 5 s, exactly channels-redis's blocking-pop
            # time: a pop that returns as the client gives up loses its message.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                       "capacity": 10_000},
        }
    }
else:
    # The default capacity (100) silently drops group messages under load.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 100_000},
        }
    }

# Background jobs (verifier runs, model critiques, webhooks): Django's Tasks API
# (the django-tasks backport) on its database backend, so the embedded set-up needs
# no extra service; `manage.py db_worker` processes run them (`make run` starts one).
# The queues are listed so a deployment can give each its own workers.
JOB_QUEUES = ["default", "verifiers", "models", "webhooks"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": JOB_QUEUES,
    }
}

# Where receivers reach this server: the absolute task and export URLs in webhook payloads.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Webhook deliveries (oversight/webhooks; retry schedule in docs/webhooks.md). Receivers
# are untrusted: each attempt has a timeout, bodies are read up to a cap, redirects are
# not followed, and addresses that are not globally routable are refused unless allowed.
WEBHOOKS = {
    "ALLOW_PRIVATE": env_bool("WEBHOOKS_ALLOW_PRIVATE", False),
    "TIMEOUT_SECONDS": float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "10")),
    "MAX_RESPONSE_BYTES": 64 * 1024,
}

# Verifier runs (a code task's tests) in a bubblewrap sandbox; see oversight/verifiers/.
VERIFIERS = {
    "BWRAP": os.environ.get("VERIFIER_BWRAP", "/usr/bin/bwrap"),
    # A world-readable Python 3.11 ('' = /usr/bin/python3.11, else the server's own).
    "PYTHON": os.environ.get("VERIFIER_PYTHON", ""),
    # A directory holding pytest and its dependencies ('' = this environment's pytest).
    "PYTHON_SITE": os.environ.get("VERIFIER_PYTHON_SITE", ""),
    "NODE": os.environ.get("VERIFIER_NODE", "/usr/bin/node"),
    # UNSAFE: where bubblewrap cannot start, run untrusted code directly on the host.
    "ALLOW_UNSANDBOXED": env_bool("VERIFIER_ALLOW_UNSANDBOXED", False),
    "MEMORY_MB": int(os.environ.get("VERIFIER_MEMORY_MB", "1024")),
    "OUTPUT_KB": int(os.environ.get("VERIFIER_OUTPUT_KB", "64")),
    # CPU priority of a run (nice): the editor's event loop wins the cores.
    "NICE": int(os.environ.get("VERIFIER_NICE", "10")),
    # Runs one worker process executes at once (each run is one sandbox).
    "CONCURRENCY": int(os.environ.get("VERIFIER_CONCURRENCY", "2")),
    # Runs a user may start per minute; more get a 429.
    "RATE_PER_MINUTE": int(os.environ.get("VERIFIER_RATE_PER_MINUTE", "30")),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in ("UserAttributeSimilarityValidator", "MinimumLengthValidator",
                 "CommonPasswordValidator", "NumericPasswordValidator")
]

# Login throttling (django-axes): this many failed logins for one username from one
# address lock that pair out for the cool-off time; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# API tokens (django-rest-knox): stored as SHA-512 digests, expiring, revocable.
API_TOKEN_TTL_HOURS = float(os.environ.get("API_TOKEN_TTL_HOURS", str(30 * 24)))
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token", "TOKEN_LIMIT_PER_USER": None}
# Wrong tokens from one address within a minute before it is refused (429) for that minute.
API_BAD_TOKEN_LIMIT = int(os.environ.get("API_BAD_TOKEN_LIMIT", "20"))

# HTTPS: behind TLS (directly or at a proxy that sets X-Forwarded-Proto), cookies are
# Secure, HTTP redirects to HTTPS, and browsers are told to keep to HTTPS (HSTS).
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts only from this origin (the bundles
# under static/); CodeMirror injects its theme as <style> elements, hence inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# STATIC_COLLECTED=1 (set by `make run` after `collectstatic`): serve the collected,
# pre-compressed, content-hashed files with far-future cache headers. Without it (tests,
# a bare `manage.py serve`) files come straight from static/ through the finders, so an
# edit shows up at once; they are neither compressed nor cached then.
STATIC_COLLECTED = env_bool("STATIC_COLLECTED", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": ("oversight.staticstorage.HashedCompressedStorage"
                                if STATIC_COLLECTED
                                else "whitenoise.storage.CompressedStaticFilesStorage")},
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_AUTOREFRESH = DEBUG and not STATIC_COLLECTED

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oversight.api.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "oversight.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "oversight.api.pagination.DefaultCursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "oversight.api.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Oversight API",
    "DESCRIPTION": "Projects, tasks, drafts, notes, reviews, metrics and trajectory export.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "oversight.api.schema.add_error_responses",
    ],
}

# Draft provider: any OpenAI-compatible chat-completions endpoint
# (vLLM, Ollama, llama.cpp server, hosted APIs).
DRAFT_PROVIDER = {
    "BASE_URL": os.environ.get("DRAFT_PROVIDER_BASE_URL", "http://127.0.0.1:11434/v1"),
    "MODEL": os.environ.get("DRAFT_PROVIDER_MODEL", "llama3.1"),
    "API_KEY": os.environ.get("DRAFT_PROVIDER_API_KEY", ""),
    "TIMEOUT": float(os.environ.get("DRAFT_PROVIDER_TIMEOUT", "60")),
}

# Real-time editor limits.
EDITOR = {
    "MAX_MESSAGE_BYTES": int(os.environ.get("EDITOR_MAX_MESSAGE_BYTES", str(1024 * 1024))),
    "RATE_LIMIT_PER_SECOND": float(os.environ.get("EDITOR_RATE_LIMIT_PER_SECOND", "2000")),
    "RATE_LIMIT_BURST": int(os.environ.get("EDITOR_RATE_LIMIT_BURST", "4000")),
    "ROOM_IDLE_SECONDS": float(os.environ.get("EDITOR_ROOM_IDLE_SECONDS", "60")),
    "SNAPSHOT_EVERY_UPDATES": int(os.environ.get("EDITOR_SNAPSHOT_EVERY_UPDATES", "2000")),
    "CHECK_ORIGIN": env_bool("EDITOR_CHECK_ORIGIN", True),
    # With REDIS_URL (several processes): how often each process compares its rooms with
    # the stored log (a lost relay message costs at most about two intervals), and how
    # often rooms re-join their channel-layer groups (channels-redis expires them in 24 h).
    "CATCH_UP_SECONDS": float(os.environ.get("EDITOR_CATCH_UP_SECONDS", "0.5")),
    "GROUP_REJOIN_SECONDS": float(os.environ.get("EDITOR_GROUP_REJOIN_SECONDS", "300")),
    # A room publishes only while another process holds it; a peer silent this long (three
    # re-join periods: it says hello on each) is forgotten (editor/fanout.py).
    "PEER_SECONDS": float(os.environ.get("EDITOR_PEER_SECONDS", "900")),
    # Publish every batch even with no peer known (the behaviour before peers were
    # tracked): only to measure what tracking them saves (bench/scaleout_bench.py).
    "PUBLISH_ALONE": env_bool("EDITOR_PUBLISH_ALONE", False),
    # How stale an open socket's write right may be after a membership or token is revoked.
    "RIGHTS_CHECK_SECONDS": float(os.environ.get("EDITOR_RIGHTS_CHECK_SECONDS", "5")),
    # The rooms' database threads on PostgreSQL (0: the default, 8); SQLite always uses one.
    "DB_THREADS": int(os.environ.get("EDITOR_DB_THREADS", "0")),
    # Threads admitting connecting sockets (read-only queries; 0: the default, 4).
    "ADMISSION_THREADS": int(os.environ.get("EDITOR_ADMISSION_THREADS", "0")),
    # Who derives edit events from the stored log: "room" (each room, after relaying, in
    # a thread of its process: in-process servers, tests) or "process" (`manage.py record`;
    # `manage.py serve` starts it and runs in this mode unless EDITOR_RECORDER says room).
    "RECORDER": os.environ.get("EDITOR_RECORDER", "room"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # An expected refusal (4xx) is one line; only server errors keep their traceback.
    "filters": {"one_line_refusals": {"()": "oversight.errorpages.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"},
                # django-axes logs every successful login at INFO; failures stay visible.
                "axes": {"level": "WARNING"}},
}
