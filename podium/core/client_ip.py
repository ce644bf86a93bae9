"""The address a request comes from, also behind the reverse proxies of a deployment.

Lock-outs and rate limits count per address; behind a proxy every request's socket
address is the proxy's, so they would lock out everyone at once.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The caller's address; behind PODIUM_NUM_PROXIES trusted proxies, the Nth from
    the right in X-Forwarded-For (anything further left is the caller's own claim)."""
    proxies = settings.PODIUM_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
