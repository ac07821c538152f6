"""A production-like stack on one machine for the load and scale-out scripts.

PostgreSQL database ``osce_bench`` (created if missing, migrated, demo content
loaded), Redis database 5, static files collected into a private DATA_DIR, and
gunicorn servers started with DEBUG off (config.settings.production over plain HTTP).
"""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE = os.environ.get("BENCH_DATABASE", "osce_bench")
PG_VERSION = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else ""
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]

ENVIRONMENT = {
    **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
    "REDIS_URL": "redis://127.0.0.1:6379/5",
    "CACHE_KEY_PREFIX": "bench",
    "DATA_DIR": os.environ.get("BENCH_DATA_DIR", "/tmp/osce-bench"),
    "ALLOWED_HOSTS": "localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "CONN_MAX_AGE": "60",
}


def log(message):
    print(message, flush=True)


def manage(*args, check=True):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENVIRONMENT, check=check, text=True
    )


def django_shell(code):
    """Runs ``code`` in a Django shell of the stack, returning what it prints."""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=ENVIRONMENT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def ensure_database():
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            db.execute(f'CREATE DATABASE "{DATABASE}"')
    log(f"Preparing database {DATABASE} (migrate, demo content, static files)...")
    manage("compile_translations")
    manage("migrate", "--no-input", "-v", "0")
    manage("load_demo_content")
    manage("collectstatic", "--no-input", "-v", "0")
    django_shell("from django.core.cache import cache; cache.clear()")


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def gunicorn(*ports, workers=2, threads=4):
    """gunicorn servers on ``ports``, stopped (and reaped) when the block ends."""
    processes = []
    try:
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        GUNICORN,
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(workers),
                        "--worker-class",
                        "gthread",
                        "--threads",
                        str(threads),
                        "--no-control-socket",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=ENVIRONMENT,
                )
            )
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/robots.txt")
        yield [f"http://localhost:{port}" for port in ports]
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def postgres(action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", action], check=False
    )


def postgres_up():
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


def redis_up():
    result = subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True, text=True)
    return result.stdout.strip() == "PONG"


def ensure_services():
    """Starts PostgreSQL and Redis if they are not answering (used in ``finally`` blocks)."""
    if not postgres_up():
        postgres("start")
    if not redis_up():
        subprocess.run(REDIS_START, check=False)
    for _attempt in range(50):
        if postgres_up() and redis_up():
            return
        time.sleep(0.2)
    print("WARNING: PostgreSQL or Redis did not come back up", file=sys.stderr)
