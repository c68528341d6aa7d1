"""One settings module for every deployment, read from the environment.

DATABASE_URL selects the database (SQLite in TANDEM_DATA_DIR when unset), SECRET_KEY signs
sessions (a key is generated once and kept in the data directory when unset, so a demo survives
restarts without anyone handling secrets), TANDEM_DATA_DIR holds the SQLite file, the generated
key and uploads.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("TANDEM_DATA_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # A generated key is kept beside the database so that sessions outlive a restart.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("TANDEM_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "tandem.core",
    "tandem.access",
    "tandem.orgs",
    "tandem.partnerships",
    "tandem.achievement",
    "tandem.analytics",
    "tandem.growth",
    "tandem.impact",
    "tandem.inquiry",
    "tandem.coaching",
    "tandem.practices",
    "tandem.network",
    "tandem.learning",
    "tandem.andon.helpdesk",
    "tandem.andon.feed",
    "tandem.governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tandem.access.middleware.ScopeMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

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
                "django.template.context_processors.csp",
                "tandem.core.navigation.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'tandem.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write inside a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    # A test database given by URL must not reuse the demo file.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served from the app's folders (WHITENOISE_USE_FINDERS); a deployment that
# runs collectstatic names its folder here.
STATIC_ROOT = os.environ.get("TANDEM_STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serving straight from the app's static folders keeps `tandem demo` free of a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("TANDEM_SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
        },
    }
}
# The address people reach Tandem at, for links in emails sent from the background worker.
TANDEM_BASE_URL = os.environ.get("TANDEM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 7
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tandem@localhost")
# The help desk's one address, its intake mailbox (optional: mail can also be piped to
# `tandem helpdesk ingest` or sent to `tandem helpdesk listen`) and its default targets.
HELPDESK_ADDRESS = os.environ.get("HELPDESK_ADDRESS", "help@localhost").lower()
HELPDESK_IMAP = {
    "host": os.environ.get("HELPDESK_IMAP_HOST", ""),
    "port": int(os.environ.get("HELPDESK_IMAP_PORT", "993")),
    "user": os.environ.get("HELPDESK_IMAP_USER", ""),
    "password": os.environ.get("HELPDESK_IMAP_PASSWORD", ""),
    "folder": os.environ.get("HELPDESK_IMAP_FOLDER", "INBOX"),
    "ssl": os.environ.get("HELPDESK_IMAP_SSL", "1") == "1",
}
HELPDESK_FIRST_RESPONSE_HOURS = int(os.environ.get("HELPDESK_FIRST_RESPONSE_HOURS", "8"))
HELPDESK_RESOLUTION_HOURS = int(os.environ.get("HELPDESK_RESOLUTION_HOURS", "72"))
# The staff feed: how soon a flag should be acknowledged (a topic may set its own), when an
# acknowledged flag counts as aging on the andon board, and how long notifications wait before
# they go out together as one email digest.
FEED_ACKNOWLEDGE_HOURS = int(os.environ.get("FEED_ACKNOWLEDGE_HOURS", "24"))
FEED_AGING_DAYS = int(os.environ.get("FEED_AGING_DAYS", "14"))
FEED_DIGEST_HOURS = int(os.environ.get("FEED_DIGEST_HOURS", "4"))
# Elections for elected seats open this many days before the term starts, with nominations and
# then voting open for so many days each.
GOVERNANCE_ELECTION_LEAD_DAYS = int(os.environ.get("GOVERNANCE_ELECTION_LEAD_DAYS", "45"))
GOVERNANCE_NOMINATION_DAYS = int(os.environ.get("GOVERNANCE_NOMINATION_DAYS", "14"))
GOVERNANCE_VOTING_DAYS = int(os.environ.get("GOVERNANCE_VOTING_DAYS", "7"))
# How long before a learning session its invitees get an email reminder.
LEARNING_REMINDER_HOURS = int(os.environ.get("TANDEM_REMINDER_HOURS", "24"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

CACHES = {
    # Shared by the web processes and the worker (import progress lives here), with no extra service.
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": DATA_DIR / "cache"}
}
# Uploaded import files are kept here until their import has run.
IMPORTS_DIR = DATA_DIR / "imports"
# Files people attach (evidence of cycles of inquiry). Never served as static files: each is read
# through a view that checks the reader may see what it is attached to. No MEDIA_URL on purpose.
MEDIA_ROOT = DATA_DIR / "files"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Lists show this many rows a page unless a page asks for fewer.
PAGE_SIZE = 25
