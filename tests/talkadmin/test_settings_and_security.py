"""Start-up refuses unsafe production settings; production settings pass `check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "talkadmin.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/talkadmin",
}


SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_HTTPS",
    "TRUST_PROXY_HEADERS",
    "CACHE_URL",
    "TALK_RATE_BUDGET_STORE",
    "WEB_CONCURRENCY",
}


def _run(env_changes: dict[str, str | None], *args: str) -> subprocess.CompletedProcess:
    """manage.py with exactly these settings variables: none inherited, no .env file read."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update({k: v for k, v in env_changes.items() if v is not None})
    env["ENV_FILE"] = os.devnull
    env["DJANGO_SETTINGS_MODULE"] = "talkadmin.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("changes", "named_variable"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 50}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
)
def test_start_up_refuses_unsafe_production_settings(changes, named_variable):
    result = _run({**PRODUCTION, **changes}, "check")
    assert result.returncode != 0
    assert f"{named_variable} is" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_settings_pass_the_deployment_check():
    result = _run(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_start_up_refuses_a_rate_budget_each_worker_would_keep_for_itself():
    # CACHE_URL unset: locmem, each process's own memory (WEB_CONCURRENCY unset: make run's 2)
    result = _run({**PRODUCTION, "TALK_RATE_BUDGET_STORE": "cache"}, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: TALK_RATE_BUDGET_STORE is cache" in result.stderr
    assert "set WEB_CONCURRENCY=1" in result.stderr


def test_production_keeps_the_rate_budget_in_the_database_by_default():
    show = "from django.conf import settings; print(settings.TALK_RATE_BUDGET_STORE)"
    result = _run({**PRODUCTION, "WEB_CONCURRENCY": "4"}, "shell", "-c", show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "database"


@pytest.mark.django_db
def test_the_health_check_answers_plain_http_while_everything_else_is_redirected(
    client, settings, sandbox
):
    """A load balancer probing over http must not read the HTTPS redirect as "down"."""
    settings.SECURE_SSL_REDIRECT = True  # as SECURE_HTTPS=true sets it

    health = client.get("/healthz")

    assert health.status_code == 200
    assert health.json()["checks"]["database"] == {"ok": True}
    sign_in = client.get("/sign-in/")
    assert sign_in.status_code == 301
    assert sign_in["Location"] == "https://testserver/sign-in/"


def test_debug_mode_starts_without_a_secret_key():
    result = _run({"DEBUG": "true", "SECRET_KEY": None, "ALLOWED_HOSTS": None}, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(as_viewer, settings):
    response = as_viewer.get("/sign-in/", follow=True)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-Id"]


@pytest.mark.django_db
def test_pages_have_no_inline_script(as_viewer):
    body = as_viewer.get("/", follow=True).content.decode()
    for chunk in body.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag, f"inline script found: <script{tag}>"


def test_every_variable_the_code_reads_is_documented_in_env_example():
    documented = {
        line.lstrip("# ").split("=", 1)[0]
        for line in (BASE_DIR / ".env.example").read_text().splitlines()
        if "=" in line and line.lstrip("# ").split("=", 1)[0].isupper()
    }
    read = set()
    for source in ("talkadmin/settings.py", "talkadmin/launcher.py"):
        text = (BASE_DIR / source).read_text()
        read |= set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', text))
        read |= set(re.findall(r'env(?:\.get|\.setdefault)?\(\s*"([A-Z_]+)"', text))
        read |= set(re.findall(r'env\["([A-Z_]+)"\]', text))
    read -= {"TALK_SANDBOX", "YEASTAR_SANDBOX", "DIALPAD_SANDBOX"}  # set by make run itself
    assert read, "the scan found no variables"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"
