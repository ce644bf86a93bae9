"""Counting attempts in Django's cache (log-in failures, sign-in links, API calls)."""

from django.core.cache import cache


def count_in_window(key: str, *, window: int) -> int:
    """Count one more event under `key`; the count lives `window` seconds from its
    first event. Atomic on Redis and locmem (add, then incr)."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1
