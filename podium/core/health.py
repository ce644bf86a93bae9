"""GET /health/: can this app server do its work right now?

Checks the database (``SELECT 1``), Redis (a cache write and read, when REDIS_URL is
set) and the Celery workers (a broadcast ping, when a broker is set; tasks run inline
otherwise). The answer names each part and its state, never an address or a password:
200 when every configured part answers, 503 otherwise ("down" without a database,
"degraded" when only Redis or the workers fail). No log-in, no session, no CSRF.
"""

import logging
import uuid
from importlib.metadata import PackageNotFoundError, version

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
NOT_CONFIGURED = "not configured"
EAGER = "eager"
FAILED = "failed"
PING_TIMEOUT = 1.0


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_redis() -> str:
    if not getattr(settings, "REDIS_URL", ""):
        return NOT_CONFIGURED
    key = f"podium:health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    answer = cache.get(key)
    cache.delete(key)
    return OK if answer == "1" else FAILED


def check_worker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER
    # limit=1: answer as soon as one worker replies, not after the whole timeout.
    replies = current_app.control.ping(timeout=PING_TIMEOUT, limit=1)
    return OK if replies else "no worker answered"


CHECKS = {"database": check_database, "redis": check_redis, "worker": check_worker}


def run_checks(names=None) -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        if names is not None and name not in names:
            continue
        try:
            results[name] = check()
        except Exception:  # any failure is a state to report, not a 500
            # Only the exception's class reaches the answer: messages may hold URLs.
            logger.exception("Health check %s failed", name)
            results[name] = FAILED
    return results


def overall(results: dict[str, str]) -> str:
    if results.get("database", OK) != OK:
        return "down"
    healthy = {OK, NOT_CONFIGURED, EAGER}
    return "ok" if all(state in healthy for state in results.values()) else "degraded"


def app_version() -> str:
    try:
        return version("podium")
    except PackageNotFoundError:
        return "unknown"


@never_cache
@require_safe
def health(request):
    """Every check; `?check=database` (repeatable) runs only those named, e.g. for a
    load balancer that should take a server out only when it cannot reach the
    database, not when the Celery workers are down."""
    asked = request.GET.getlist("check")
    unknown = sorted(set(asked) - set(CHECKS))
    if unknown:
        return JsonResponse(
            {"error": f"Unknown check: {', '.join(unknown)}.", "checks": list(CHECKS)},
            status=400,
        )
    results = run_checks(asked or None)
    status = overall(results)
    return JsonResponse(
        {"status": status, "checks": results, "version": app_version()},
        status=200 if status == "ok" else 503,
    )
