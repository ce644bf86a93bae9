"""Rate limits on the API: per API key, and per client IP for calls without a key.

A fixed window on Django's cache (Redis in production, so every app server counts
together): the first call of a window creates the counter with the window as its
lifetime, later calls increment it atomically. Over the limit the API answers 429
problem+json with `Retry-After` (the seconds left in the window).

The limits come from settings at each call (`PODIUM_API_RATE_PER_KEY`,
`PODIUM_API_RATE_PER_IP`, "<count>/<s|min|h|day>", empty for none). Ninja runs the
throttle after authentication, so a refused key never counts against anyone.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from podium.core.client_ip import client_ip
from podium.core.counters import count_in_window

PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str | None) -> Rate | None:
    """'600/min' -> Rate(600, 60); empty or None -> no limit."""
    if not text:
        return None
    count, _, period = text.partition("/")
    try:
        return Rate(int(count), PERIODS[period.strip().lower()])
    except (KeyError, ValueError):
        raise ValueError(f"Invalid rate {text!r}: use <count>/<s|min|h|day>") from None


def hit(key: str, rate: Rate, now: float | None = None) -> int:
    """Count one call against `key`; 0 when allowed, else the seconds to wait."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    cache_key = f"podium:ratelimit:{key}:{rate.seconds}:{window}"
    used = count_in_window(cache_key, window=rate.seconds + 1)
    if used <= rate.count:
        return 0
    return max(1, math.ceil((window + 1) * rate.seconds - now))


class ApiRateLimit(BaseThrottle):
    """Per key when the call carries an API key, else per client IP."""

    def limit_for(self, request: HttpRequest) -> tuple[str, Rate | None]:
        api_key = getattr(request, "api_key", None)
        if api_key is not None:
            return f"key:{api_key.pk}", parse_rate(settings.PODIUM_API_RATE_PER_KEY)
        return f"ip:{client_ip(request)}", parse_rate(settings.PODIUM_API_RATE_PER_IP)

    def allow_request(self, request: HttpRequest) -> bool:
        key, rate = self.limit_for(request)
        if rate is None:
            return True
        wait = hit(key, rate)
        request.podium_retry_after = wait
        return wait == 0

    def wait(self) -> float | None:
        return None  # per request: see `retry_after`


def retry_after(request: HttpRequest) -> int:
    return getattr(request, "podium_retry_after", 0) or 1
