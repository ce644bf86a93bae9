"""A real redis-server per test process (skipped only when the binary is missing),
and `queue`: each backend test runs once on the database and once on Redis."""

import shutil
import socket
import subprocess
import time

import pytest

from podium.sales.tests.factories import on_sale_performance
from podium.waitingroom.backends import redis_client

from .factories import make_room


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(  # noqa: S603 - our own fixed command line
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis_client(url).ping()
            break
        except Exception:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(params=["database", "redis"])
def queue(request, settings):
    """The backend under test: REDIS_URL empty (database) or a fresh Redis."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        redis_client(url).flushdb()
        settings.REDIS_URL = url
    else:
        settings.REDIS_URL = ""
    return request.param


@pytest.fixture
def show(house):
    performance, _tariff, _quota = on_sale_performance(house, size=100)
    return performance


@pytest.fixture
def room(house, show):
    return make_room(house, performance=show)
