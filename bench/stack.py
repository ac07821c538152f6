"""A production-like stack on one machine for the load and scale-out scripts.

A PostgreSQL cluster and a Redis server of the benchmark's own, on ports of their own, with
their files under BENCH_DATA_DIR (``/tmp/osce-bench``): the machine's shared PostgreSQL and
Redis are never used, stopped or restarted, so the scale-out script can stop and start
its own while other work goes on. The cluster is created on first use (``initdb`` from the
newest /usr/lib/postgresql/*/bin) and kept between runs, so the demo content is loaded
once; the servers are started when needed and stopped when the script exits. Then database
``osce_bench`` is migrated, the demo content loaded and static files collected, and
gunicorn servers started with DEBUG off (config.settings.production over plain HTTP).
"""

import atexit
import glob
import os
import secrets
import shutil
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
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR", "/tmp/osce-bench"))
PG_DIR = DATA_DIR / "postgres"
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "55432"))
REDIS_DIR = DATA_DIR / "redis"
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "56379"))
# PostgreSQL refuses to run as root; as root the cluster belongs to the postgres user.
PG_USER = "postgres" if os.geteuid() == 0 else None


def _pg_bin():
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(Path(path).parent.name)
    )
    if not found:
        raise SystemExit("PostgreSQL's server binaries are missing (apt-get install postgresql).")
    return Path(found[-1])


ENVIRONMENT = {
    **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}",
    "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "CACHE_KEY_PREFIX": "bench",
    "DATA_DIR": str(DATA_DIR),
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

    ensure_services()
    with psycopg.connect(
        f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres", autocommit=True
    ) as db:
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


def _as_pg_user(command):
    return ["runuser", "-u", PG_USER, "--", *command] if PG_USER else command


def _create_cluster():
    if (PG_DIR / "PG_VERSION").exists():
        return
    log(f"Creating the benchmark's own PostgreSQL cluster in {PG_DIR}...")
    PG_DIR.mkdir(parents=True, exist_ok=True)
    if PG_USER:
        shutil.chown(PG_DIR, PG_USER)
    subprocess.run(
        _as_pg_user(
            [str(_pg_bin() / "initdb"), "-D", str(PG_DIR), "-U", "postgres", "-A", "trust"]
            + ["-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def postgres(action):
    """Starts or stops the benchmark's own PostgreSQL (never the machine's shared one)."""
    pg_ctl = [str(_pg_bin() / "pg_ctl"), "-D", str(PG_DIR), "-w", "-t", "60"]
    if action == "start":
        _create_cluster()
        options = f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {PG_DIR}"
        command = pg_ctl + ["-l", str(PG_DIR / "server.log"), "-o", options, "start"]
    else:
        command = pg_ctl + ["-m", "fast", action]
    subprocess.run(_as_pg_user(command), check=False, stdout=subprocess.DEVNULL)


def postgres_up():
    command = ["pg_isready", "-h", "127.0.0.1", "-p", str(PG_PORT), "-q"]
    return subprocess.run(command).returncode == 0


def redis(action):
    """Starts or stops the benchmark's own Redis (never the machine's shared one)."""
    if action == "start":
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port"]
            + [str(REDIS_PORT), "--save", "", "--appendonly", "no", "--dir", str(REDIS_DIR)]
            + ["--pidfile", str(REDIS_DIR / "redis.pid")]
            + ["--logfile", str(REDIS_DIR / "redis.log")],
            check=False,
        )
    else:
        subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"],
            check=False,
            capture_output=True,
        )


def redis_up():
    result = subprocess.run(
        ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
    )
    return result.stdout.strip() == "PONG"


_started = []


def ensure_services():
    """Starts the benchmark's PostgreSQL and Redis if they are not answering; whatever
    this process started is stopped again when it exits."""
    if not _started:
        atexit.register(stop_services)
        _started.append(True)
    if not postgres_up():
        postgres("start")
    if not redis_up():
        redis("start")
    for _attempt in range(100):
        if postgres_up() and redis_up():
            return
        time.sleep(0.2)
    print("WARNING: the benchmark's PostgreSQL or Redis did not come up", file=sys.stderr)


def stop_services():
    """Stops the benchmark's own PostgreSQL and Redis (their files stay for the next run)."""
    redis("stop")
    postgres("stop")
