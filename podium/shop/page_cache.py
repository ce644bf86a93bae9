"""A few seconds of shared cache for the public pages every visitor sees alike.

When a popular show goes on sale, thousands of people load the same agenda and
production pages in the same minute. For a visitor who carries nothing personal (no
session, no messages: only the CSRF and language cookies at most) these pages are the
same for everyone of a cluster and language, so one rendering is served to all of them
for `PODIUM_PAGE_CACHE_SECONDS` (0 turns it off). Availability badges may then lag that
many seconds; the claim of a place never does, it is always the database's.

The one personal thing in such a page is the CSRF token of its forms (language buttons,
wish list): the stored copy keeps a placeholder instead, and each visitor gets a token
of their own when the page is served.
"""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

PLACEHOLDER = "__podium-csrf-token__"
# Cookies that do not change what a public page shows.
NEUTRAL_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
KEPT_HEADERS = ("Content-Type",)
_TOKEN_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Each worker also keeps what it fetched for a second, so a crowd on one page costs
# a Redis round trip per worker and second, not per request.
LOCAL_SECONDS = 1.0
LOCAL_MAX_PAGES = 200
_local: dict[str, tuple[float, dict]] = {}


def shared_page(view):
    """Serve `view`'s page from the shared cache to visitors without anything personal."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PODIUM_PAGE_CACHE_SECONDS
        if not seconds or not _impersonal(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = _fetched(key)
        if stored is not None:
            return _served(request, stored)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _storable(request, response):
            stored = _stored(response)
            cache.set(key, stored, seconds)
            _keep(key, stored)
        return response

    return wrapper


def _fetched(key: str) -> dict | None:
    kept = _local.get(key)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    stored = cache.get(key)
    if stored is not None:
        _keep(key, stored)
    return stored


def _keep(key: str, stored: dict) -> None:
    if len(_local) >= LOCAL_MAX_PAGES:
        _local.clear()
    _local[key] = (time.monotonic() + LOCAL_SECONDS, stored)


def _impersonal(request) -> bool:
    return request.method == "GET" and set(request.COOKIES) <= NEUTRAL_COOKIES


def _key(request) -> str:
    cluster = getattr(request, "cluster", None)
    parts = [
        str(cluster.pk if cluster else ""),
        get_language() or "",
        request.build_absolute_uri(),  # pages hold absolute links (JSON-LD, og:url)
        request.headers.get("HX-Request", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"podium:page:{digest}"


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and not (session is not None and session.modified)
    )


def _stored(response) -> dict:
    content = _TOKEN_INPUT.sub(rf"\g<1>{PLACEHOLDER}\g<2>", response.content.decode())
    headers = {
        name: response[name] for name in KEPT_HEADERS if response.has_header(name)
    }
    return {"content": content, "headers": headers}


def _served(request, stored: dict) -> HttpResponse:
    content = stored["content"]
    if PLACEHOLDER in content:
        content = content.replace(PLACEHOLDER, get_token(request))
    response = HttpResponse(content)
    for name, value in stored["headers"].items():
        response[name] = value
    return response
