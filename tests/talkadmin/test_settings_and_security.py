"""Start-up refuses unsafe production settings; production settings pass `check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
AUDIT_SECRET = secrets.token_urlsafe(32)
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "talkadmin.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/talkadmin",
    "AUDIT_HMAC_KEYS": f"2026-06:{AUDIT_SECRET}",
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
    "AUDIT_HMAC_KEYS",
    "AUDIT_HMAC_KEYS_FILE",
    "DATABASE_OWNER_URL",
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


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"AUDIT_HMAC_KEYS": None}, "AUDIT_HMAC_KEYS is missing"),
        ({"AUDIT_HMAC_KEYS": ""}, "AUDIT_HMAC_KEYS is missing"),
        ({"AUDIT_HMAC_KEYS": AUDIT_SECRET}, "key 1 of AUDIT_HMAC_KEYS does not start with an id"),
        ({"AUDIT_HMAC_KEYS": "2026:short"}, "has a secret shorter than 32 characters"),
        (
            {"AUDIT_HMAC_KEYS": f"a:{AUDIT_SECRET},a:{AUDIT_SECRET}x"},
            "two keys have the same id",
        ),
        (
            {"AUDIT_HMAC_KEYS_FILE": "/etc/talkadmin/audit-keys"},
            "AUDIT_HMAC_KEYS and AUDIT_HMAC_KEYS_FILE are both set",
        ),
        (
            {"AUDIT_HMAC_KEYS": None, "AUDIT_HMAC_KEYS_FILE": "/nonexistent/audit-keys"},
            "AUDIT_HMAC_KEYS_FILE is /nonexistent/audit-keys, which cannot be read",
        ),
    ],
)
def test_start_up_refuses_to_sign_audit_rows_without_a_usable_key(changes, complaint):
    result = _run({**PRODUCTION, **changes}, "check")
    assert result.returncode != 0
    assert complaint in result.stderr
    assert "ImproperlyConfigured" in result.stderr
    assert AUDIT_SECRET not in result.stderr + result.stdout  # the message names, never shows


def test_the_audit_keys_can_come_from_a_file(tmp_path):
    keys_file = tmp_path / "audit-keys"
    keys_file.write_text(f"# rotated in June\n2026-06:{AUDIT_SECRET}\n2025-01:{'o' * 40}\n")
    result = _run(
        {**PRODUCTION, "AUDIT_HMAC_KEYS": None, "AUDIT_HMAC_KEYS_FILE": str(keys_file)},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.AUDIT_HMAC_KEYS)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "SigningKeys(signs with 2026-06; also checks 2025-01)"


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
