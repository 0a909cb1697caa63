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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "oversight.workspace",
    "oversight.traces",
    "oversight.review",
    "oversight.api",
    "editor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees what views raise: styled error pages whatever DEBUG says.
    "oversight.errorpages.ErrorPagesMiddleware",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
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
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
