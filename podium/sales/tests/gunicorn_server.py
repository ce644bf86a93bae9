"""A real gunicorn serving Podium on the test database, for fault tests on PostgreSQL.

The server runs the production profile's settings (PODIUM_DEBUG=false) in its own
processes, so it only sees committed data: use it from `transactional_db` tests.
Each worker names its database connections `podium-fault-worker-<pid>` (libpq's
PGAPPNAME, set in a `post_fork` hook), so a test can tell from `pg_stat_activity`
which worker process runs which query, and kill exactly that one.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[3]
APP_NAME_PREFIX = "podium-fault-worker-"

# Loaded by gunicorn with -c. `post_fork` runs in each worker just after the fork,
# before the worker imports Django, so every connection it opens carries its pid.
# No control socket (gunicorn 25+ opens ~/.gunicorn/gunicorn.ctl by default, which
# two servers at once, under pytest-xdist, would share); older versions ignore it.
CONFIG = f"""
import os

control_socket_disable = True


def post_fork(server, worker):
    os.environ["PGAPPNAME"] = "{APP_NAME_PREFIX}%d" % os.getpid()
"""


class ServerError(Exception):
    """The server did not start, or did not do what a test waited for."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """postgres://user:password@host:port/name of a Django database's settings (the
    test database's NAME when called inside a test: test_podium, test_podium_gw0)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'])}"


def worker_app_name(pid: int) -> str:
    return f"{APP_NAME_PREFIX}{pid}"


def worker_pid_of(app_name: str) -> int | None:
    if app_name.startswith(APP_NAME_PREFIX):
        return int(app_name[len(APP_NAME_PREFIX) :])
    return None


def children_of(pid: int) -> set[int]:
    """Live (not zombie) child processes of `pid`, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # "pid (comm) state ppid …": comm may hold spaces and parentheses.
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        if int(ppid) == pid and state not in ("Z", "X"):
            found.add(int(entry.name))
    return found


def process_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its parent has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in ("Z", "X")


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.05):
    """Poll `predicate` until it returns something truthy; that value, or ServerError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise ServerError(f"waited {timeout} s for {what}")
        time.sleep(interval)


class GunicornServer:
    """`with GunicornServer(database_url=…, workdir=…) as server:` a running server.

    `server.url` is its base URL; `server.workers()` the pids of its workers;
    `server.log()` what it printed (for assertion messages).
    """

    def __init__(self, *, database_url: str, workdir: Path, workers: int = 2):
        self.database_url = database_url
        self.workdir = Path(workdir)
        self.worker_count = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / "gunicorn.log"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("PROMETHEUS_MULTIPROC_DIR", "PGAPPNAME"):
            env.pop(name, None)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": self.database_url,
                # The production profile (tools/prod.sh), without Redis and Celery:
                # tasks run in the request, the cache is each worker's own memory.
                "PODIUM_DEBUG": "false",
                "PODIUM_SECRET_KEY": secrets.token_urlsafe(50),
                "PODIUM_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "PODIUM_MEDIA_ROOT": str(self.workdir / "media"),
                "REDIS_URL": "",
                "CELERY_BROKER_URL": "",
                "EMAIL_URL": "dummymail://",
                # Empty: no API rate limit (a burst from one key and one address).
                "PODIUM_API_RATE_PER_KEY": "",
                "PODIUM_API_RATE_PER_IP": "",
                "PODIUM_LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def start(self) -> "GunicornServer":
        config = self.workdir / "gunicorn_conf.py"
        config.write_text(CONFIG)
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [
            str(gunicorn),
            "config.wsgi",
            "--config",
            str(config),
            "--workers",
            str(self.worker_count),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "5",
            "--timeout",
            "60",
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command line
                command,
                cwd=ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until(self._healthy, timeout=30, what="GET /health/ to answer 200")
            wait_until(
                lambda: len(self.workers()) == self.worker_count,
                timeout=10,
                what=f"{self.worker_count} workers",
            )
        except ServerError:
            self.stop()
            raise ServerError(f"gunicorn did not start:\n{self.log()}") from None
        return self

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise ServerError(f"gunicorn ended at start:\n{self.log()}")
        try:
            return httpx.get(f"{self.url}/health/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    @property
    def master(self) -> int:
        return self.process.pid

    def workers(self) -> set[int]:
        return children_of(self.master)

    def kill_worker(self, pid: int) -> None:
        """SIGKILL one worker (no clean-up, no finished response) and wait until it
        has ended; the master is left to notice and start another."""
        if pid not in self.workers():
            raise ServerError(f"{pid} is not a worker of gunicorn {self.master}")
        os.kill(pid, signal.SIGKILL)
        wait_until(
            lambda: not process_alive(pid), timeout=10, what=f"worker {pid} to end"
        )

    def wait_for_replacement(self, before: set[int]) -> set[int]:
        """The pids of workers started since `before` (the workers before a kill),
        once the master is back to its worker count."""

        def replaced():
            now = self.workers()
            fresh = now - before
            return fresh if len(now) == self.worker_count and fresh else None

        return wait_until(replaced, timeout=15, what="the master to start a worker")

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM the master and wait; SIGKILL whatever of it is left."""
        if self.process is None:
            return
        workers = self.workers()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for pid in workers:  # never left behind, holding database connections
            if process_alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def __enter__(self) -> "GunicornServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
