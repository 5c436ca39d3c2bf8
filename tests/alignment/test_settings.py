"""Settings come only from the environment; production defaults are the safe ones.

The settings module is read in-process under a given environment (`settings_under`); only
the two checks that need Django itself started with production settings (`check --deploy`
and the production error page) run `manage.py` in a subprocess.
"""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from alignment.env import env_bool
from alignment.env import env_int
from alignment.env import env_list
from alignment.env import env_str

ROOT = Path(__file__).resolve().parents[2]
# Variables of the surrounding run that must not leak into the subprocess under test.
RUN_VARIABLES = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in RUN_VARIABLES}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_under(monkeypatch, **env) -> dict:
    """The settings module's names as it defines them under `env` alone (the surrounding
    run's variables removed), read in this process."""
    for name in RUN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "alignment" / "settings.py"))


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("true", True),
        ("1", True),
        ("YES", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("", False),
    ],
)
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_env_bool_refuses_garbage(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def test_env_int_list_and_str(monkeypatch):
    monkeypatch.setenv("N", "42")
    monkeypatch.setenv("HOSTS", " a.example.com, ,b.example.com ")
    monkeypatch.setenv("BLANK", "   ")
    assert env_int("N", 1) == 42
    assert env_int("MISSING_N", 7) == 7
    assert env_list("HOSTS") == ["a.example.com", "b.example.com"]
    assert env_str("BLANK", "default") == "default"
    monkeypatch.setenv("N", "forty")
    with pytest.raises(ImproperlyConfigured, match="N must be an integer"):
        env_int("N", 1)


def production_env(**extra):
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tandem.example.com",
        **extra,
    }


@pytest.mark.subprocess
def test_check_deploy_is_clean_in_production_mode():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    env = production_env()
    del env["SECRET_KEY"]
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        settings_under(monkeypatch, **env)


def test_production_refuses_to_start_without_allowed_hosts(monkeypatch):
    env = production_env()
    del env["ALLOWED_HOSTS"]
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS must be set"):
        settings_under(monkeypatch, **env)


def test_embedded_default_is_sqlite_and_eager_celery(monkeypatch):
    settings = settings_under(monkeypatch, DEBUG="true")
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is True


def test_database_and_broker_urls_are_read(monkeypatch):
    settings = settings_under(
        monkeypatch,
        DEBUG="true",
        DATABASE_URL="postgres://u:p@db.internal:6543/tandem",
        CELERY_BROKER_URL="redis://broker.internal:6379/2",
    )
    db = settings["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        6543,
    )
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["CELERY_BROKER_URL"] == "redis://broker.internal:6379/2"


def test_sessions_are_read_from_the_cache_only_when_it_is_shared(monkeypatch):
    def engine(**env):
        return settings_under(monkeypatch, DEBUG="true", **env)["SESSION_ENGINE"].rsplit(".")[-1]

    assert engine() == "db"  # per-process memory: not shared
    assert engine(CACHE_URL="redis://cache.internal:6379/1") == "cached_db"


def test_production_defaults_are_secure(monkeypatch):
    settings = settings_under(
        monkeypatch, **production_env(CSRF_TRUSTED_ORIGINS="https://tandem.example.com")
    )
    names = (
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "CSRF_TRUSTED_ORIGINS",
    )
    assert [settings[name] for name in names] == [
        False,
        True,
        True,
        True,
        31536000,
        ["https://tandem.example.com"],
    ]


@pytest.mark.subprocess
def test_production_mode_shows_no_debug_page():
    code = (
        "from django.test import Client; r = Client().get('/no-such-page/', secure=True); "
        "body = r.content.decode(); "
        "print(r.status_code, 'URLconf' in body or 'Traceback' in body, r['X-Frame-Options'], "
        "r.get('X-Content-Type-Options'), r.get('Strict-Transport-Security', '')[:16])"
    )
    result = run_manage("shell", "-c", code, **production_env(ALLOWED_HOSTS="testserver"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "404 False DENY nosniff max-age=31536000"
