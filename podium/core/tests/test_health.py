"""GET /health/: the database, Redis and the Celery workers, without secrets."""

import json

import pytest
from django.urls import reverse

from podium.core import health

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://:s3cret-pass@127.0.0.1:1/0"


@pytest.fixture
def unreachable_redis(settings):
    settings.REDIS_URL = UNREACHABLE_REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }


def test_ok_with_the_database_and_nothing_else_configured(client, settings):
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not configured", "worker": "eager"},
        "version": health.app_version(),
    }
    assert "no-cache" in response["Cache-Control"]


def test_degraded_when_redis_is_configured_but_unreachable(client, unreachable_redis):
    response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"] == {"database": "ok", "redis": "failed", "worker": "eager"}


def test_a_balancer_may_ask_for_the_database_alone(client, unreachable_redis):
    response = client.get(reverse("health"), {"check": "database"})

    assert response.status_code == 200  # Redis is down, but it was not asked
    assert response.json()["checks"] == {"database": "ok"}
    both = client.get(reverse("health") + "?check=database&check=redis")
    assert both.status_code == 503 and set(both.json()["checks"]) == {
        "database",
        "redis",
    }


def test_an_unknown_check_is_a_clear_400(client):
    response = client.get(reverse("health"), {"check": "disk"})

    assert response.status_code == 400
    assert "disk" in response.json()["error"]


def test_the_answer_holds_no_secret_nor_address(client, unreachable_redis, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS

    text = client.get(reverse("health")).content.decode()

    for secret in ("s3cret-pass", "127.0.0.1", "redis://", settings.SECRET_KEY):
        assert secret not in text
    assert set(json.loads(text)) == {"status", "checks", "version"}


@pytest.mark.parametrize(
    ("replies", "state", "code"),
    [([{"celery@host": {"ok": "pong"}}], "ok", 200), ([], "no worker answered", 503)],
    ids=["a-worker-answers", "no-worker"],
)
def test_the_worker_check_pings_through_the_broker(
    client, settings, monkeypatch, replies, state, code
):
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    pings = []

    def ping(timeout, **options):
        pings.append(timeout)
        return replies

    monkeypatch.setattr(health.current_app.control, "ping", ping)

    response = client.get(reverse("health"))

    assert (response.status_code, response.json()["checks"]["worker"]) == (code, state)
    assert pings == [health.PING_TIMEOUT]


def test_down_without_the_database(client, monkeypatch):
    def broken():
        raise RuntimeError("connection to postgres://user:pw@db failed")

    monkeypatch.setitem(health.CHECKS, "database", broken)

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert "pw@db" not in response.content.decode()


def test_no_post_no_session_no_csrf(client):
    response = client.post(reverse("health"))

    assert response.status_code == 405
    assert "sessionid" not in client.get(reverse("health")).cookies


@pytest.mark.parametrize("name", ["health", "metrics"])
def test_the_operations_endpoints_carry_the_security_headers(client, name):
    # They live outside the shop and office namespaces that test_security walks.
    response = client.get(reverse(name))

    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]
