"""`make run`: migrate, then serve TalkAdmin under gunicorn on http://127.0.0.1:8000, with a
background worker (`manage.py db_worker`) beside it, stopped with it.

With no Zendesk credentials configured it starts the local Talk sandbox beside the site (and
stops it with the site), uses a local SQLite file unless DATABASE_URL is set, and creates demo
accounts on first run. With credentials it talks to the real Zendesk and creates no accounts.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
SANDBOX_DEFAULT_EMAIL = "admin@sandbox.talkadmin.test"
SANDBOX_DEFAULT_TOKEN = "sandbox-api-token"  # noqa: S105 - documented, only opens the local sandbox
YEASTAR_SANDBOX_DEFAULT_ID = "sandbox-client-id"
YEASTAR_SANDBOX_DEFAULT_SECRET = "sandbox-client-secret"  # noqa: S105 - opens the local sandbox only
DIALPAD_SANDBOX_DEFAULT_KEY = "sandbox-dialpad-api-key"  # opens the local sandbox only
SANDBOX_NAMES = {"": "Talk", "YEASTAR_": "Yeastar", "DIALPAD_": "Dialpad"}


class ConfigurationProblem(Exception):
    pass


def talk_mode(env: dict[str, str]) -> str:
    """'zendesk' when credentials are configured, 'sandbox' when none are."""
    has_token = bool(env.get("TALK_API_TOKEN") or env.get("TALK_OAUTH_TOKEN"))
    if not has_token:
        return "sandbox"
    if not (env.get("TALK_SUBDOMAIN") or env.get("TALK_BASE_URL")):
        raise ConfigurationProblem(
            "A Talk API token is set but TALK_SUBDOMAIN is empty: set TALK_SUBDOMAIN to your "
            "Zendesk subdomain (the 'acme' in acme.zendesk.com)."
        )
    if env.get("TALK_API_TOKEN") and not env.get("TALK_EMAIL"):
        raise ConfigurationProblem(
            "TALK_API_TOKEN is set but TALK_EMAIL is empty: set TALK_EMAIL to the Zendesk "
            "admin's email address the token belongs to."
        )
    return "zendesk"


def trial_secret_key(var_dir: Path) -> str:
    """A random key kept in var/secret_key, so sessions survive restarts of the trial."""
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def trial_audit_keys(var_dir: Path) -> Path:
    """A file holding the key that signs the trial's audit rows (var/audit-signing-keys), kept
    across restarts like the secret key, so rows signed yesterday still verify today."""
    keys_file = var_dir / "audit-signing-keys"
    if not keys_file.exists():
        # Created readable by its owner only, before the key is written into it.
        descriptor = os.open(keys_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(f"trial-{time.strftime('%Y%m%d')}:{secrets.token_urlsafe(32)}\n")
    return keys_file


def wait_until_answering(url: str, process: subprocess.Popen, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 - a loopback URL we built
        except OSError:
            time.sleep(0.2)
            continue
        return True
    return False


def sandbox_available() -> bool:
    return (BASE_DIR / "sandbox" / "__main__.py").exists()


def yeastar_sandbox_available() -> bool:
    return (BASE_DIR / "sandbox" / "yeastar" / "__main__.py").exists()


def dialpad_sandbox_available() -> bool:
    return (BASE_DIR / "sandbox" / "dialpad" / "__main__.py").exists()


def prepare_environment() -> tuple[dict[str, str], str]:
    environ.Env.read_env(os.environ.get("ENV_FILE", BASE_DIR / ".env"), overwrite=False)
    env = dict(os.environ)
    var_dir = Path(env.setdefault("VAR_DIR", str(BASE_DIR / "var")))
    mode = talk_mode(env)
    var_dir.mkdir(parents=True, exist_ok=True)
    env.setdefault("SANDBOX_STATE", str(var_dir / "sandbox-state.json"))
    if not env.get("DATABASE_URL"):
        database = var_dir / "talkadmin.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{database}"
        print(f"No DATABASE_URL set: using a local SQLite file ({database}) for a trial.")
    env.setdefault("SECRET_KEY", trial_secret_key(var_dir))
    if not (env.get("AUDIT_HMAC_KEYS") or env.get("AUDIT_HMAC_KEYS_FILE")):
        env["AUDIT_HMAC_KEYS_FILE"] = str(trial_audit_keys(var_dir))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Plain HTTP on the loopback address: secure-only cookies and HTTPS redirects cannot work.
    env.setdefault("SECURE_HTTPS", "false")
    if mode == "sandbox":
        port = env.setdefault("SANDBOX_PORT", "8765")
        env["TALK_SANDBOX"] = "true"
        env["TALK_BASE_URL"] = f"http://127.0.0.1:{port}"
        env["TALK_EMAIL"] = env.get("SANDBOX_EMAIL", SANDBOX_DEFAULT_EMAIL)
        env["TALK_API_TOKEN"] = env.get("SANDBOX_API_TOKEN", SANDBOX_DEFAULT_TOKEN)
        if not env.get("YEASTAR_BASE_URL") and yeastar_sandbox_available():
            # A demo shows a Yeastar PBX too: the local Yeastar sandbox.
            port = env.setdefault("YEASTAR_SANDBOX_PORT", "8766")
            env.setdefault("YEASTAR_SANDBOX_STATE", str(var_dir / "yeastar-sandbox-state.json"))
            env["YEASTAR_SANDBOX"] = "true"
            env["YEASTAR_BASE_URL"] = f"http://127.0.0.1:{port}"
            env["YEASTAR_CLIENT_ID"] = env.get(
                "YEASTAR_SANDBOX_CLIENT_ID", YEASTAR_SANDBOX_DEFAULT_ID
            )
            env["YEASTAR_CLIENT_SECRET"] = env.get(
                "YEASTAR_SANDBOX_CLIENT_SECRET", YEASTAR_SANDBOX_DEFAULT_SECRET
            )
        if not env.get("DIALPAD_BASE_URL") and dialpad_sandbox_available():
            # And Dialpad: the local Dialpad sandbox, with its demo company.
            port = env.setdefault("DIALPAD_SANDBOX_PORT", "8767")
            env.setdefault("DIALPAD_SANDBOX_STATE", str(var_dir / "dialpad-sandbox-state.json"))
            env["DIALPAD_SANDBOX"] = "true"
            env["DIALPAD_BASE_URL"] = f"http://127.0.0.1:{port}"
            env["DIALPAD_API_KEY"] = env.get("DIALPAD_SANDBOX_API_KEY", DIALPAD_SANDBOX_DEFAULT_KEY)
    return env, mode


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def start_sandbox(
    env: dict[str, str], *, module: str = "sandbox", prefix: str = ""
) -> subprocess.Popen:
    """Start `python -m {module}` on {prefix}SANDBOX_PORT with {prefix}SANDBOX_STATE."""
    port = env[f"{prefix}SANDBOX_PORT"]
    state = env[f"{prefix}SANDBOX_STATE"]
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--port", port, "--state", state], cwd=BASE_DIR, env=env
    )
    if not wait_until_answering(f"http://127.0.0.1:{port}/sandbox/health", process):
        process.terminate()
        what = SANDBOX_NAMES.get(prefix, prefix.rstrip("_").title())
        raise ConfigurationProblem(
            f"The local {what} sandbox did not start on port {port}. Is the port in use? "
            f"Set {prefix}SANDBOX_PORT to a free port."
        )
    return process


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    """One background worker (scheduled, periodic and long work); it runs until stopped."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay"], cwd=BASE_DIR, env=env
    )


def start_demo_sandboxes(env: dict[str, str]) -> list[subprocess.Popen]:
    """Start the sandboxes a demo uses (prepare_environment chose them); say which."""
    started = []
    if sandbox_available():
        started.append(start_sandbox(env))
        print(f"Using the local Talk sandbox on {env['TALK_BASE_URL']} (demo data).")
    else:
        print(
            "No Talk API is configured: set TALK_SUBDOMAIN, TALK_EMAIL and "
            "TALK_API_TOKEN in .env to use your Zendesk account."
        )
    try:
        if env.get("YEASTAR_SANDBOX") == "true":
            started.append(start_sandbox(env, module="sandbox.yeastar", prefix="YEASTAR_"))
            print(f"Using the local Yeastar sandbox on {env['YEASTAR_BASE_URL']} (demo PBX).")
        if env.get("DIALPAD_SANDBOX") == "true":
            started.append(start_sandbox(env, module="sandbox.dialpad", prefix="DIALPAD_"))
            print(f"Using the local Dialpad sandbox on {env['DIALPAD_BASE_URL']} (demo company).")
    except ConfigurationProblem:
        stop_children(started)
        raise
    return started


def stop_children(children: list[subprocess.Popen]) -> None:
    """SIGTERM each child still running, newest first; kill one that does not stop in 10 s."""
    for child in reversed(children):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def _stop_on_terminate(signum: int, frame: object) -> None:
    # SIGTERM (a process manager, `kill`) must stop the sandbox and gunicorn too, not orphan them.
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        env, mode = prepare_environment()
    except ConfigurationProblem as problem:
        print(problem)
        return 1
    children: list[subprocess.Popen] = []
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        if mode == "sandbox":
            children += start_demo_sandboxes(env)
            manage(env, "create_demo_accounts")
        else:
            env["TALK_SANDBOX"] = "false"
            where = env.get("TALK_SUBDOMAIN") or env.get("TALK_BASE_URL")
            print(f"Using the Zendesk Talk API of {where}.")
        # Also closes change sets a killed previous run left open (a periodic task, at start).
        children.append(start_worker(env))
        site_port = env.get("PORT", "8000")
        print(f"TalkAdmin: open http://127.0.0.1:{site_port} (stop with Ctrl-C).")
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "talkadmin.wsgi",
                "--bind",
                f"127.0.0.1:{site_port}",
                "--workers",
                env.get("WEB_CONCURRENCY", "2"),
                "--timeout",
                "120",
                "--access-logfile",
                "-",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        children.append(gunicorn)
        return gunicorn.wait()
    except ConfigurationProblem as problem:
        print(problem)
        return 1
    except subprocess.CalledProcessError as error:
        print(f"Start-up step failed: {' '.join(error.cmd[1:])}")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop_children(children)


if __name__ == "__main__":
    sys.exit(main())
