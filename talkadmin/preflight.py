"""`make test` preflight: is the PostgreSQL server in DATABASE_URL reachable?

Says so in one line, with how to fix it, and exits non-zero when it is not. Where this machine
has a local cluster that is merely stopped (Debian's pg_ctlcluster), it starts it first.
"""

import os
import shutil
import subprocess
import sys
import time

import environ
import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/talkadmin"


def connect_error(config: dict) -> str | None:
    try:
        psycopg.connect(
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return None


def start_stopped_local_clusters() -> bool:
    """Start Debian PostgreSQL clusters that exist but are down; True if one was started."""
    if not shutil.which("pg_lsclusters") or not shutil.which("pg_ctlcluster"):
        return False
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False)
    started = False
    for line in listing.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[3] == "down":
            version, name = fields[0], fields[1]
            print(f"PostgreSQL cluster {version}/{name} is stopped; starting it.")
            result = subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"],
                capture_output=True,
                text=True,
                check=False,
            )
            started = started or result.returncode == 0
    if started:
        time.sleep(1)
    return started


def main() -> int:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        print(f"make test needs PostgreSQL, but DATABASE_URL points at {config['ENGINE']}.")
        return 1
    where = f"{config.get('HOST') or 'local socket'}:{config.get('PORT') or 5432}"
    error = connect_error(config)
    if error and start_stopped_local_clusters():
        error = connect_error(config)
    if error:
        print(
            f"PostgreSQL is not reachable at {where} ({error}). Start it (on Debian: "
            "pg_ctlcluster <version> main start) or set DATABASE_URL to a reachable server."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
