"""The Content-Security-Policy of every response.

Pages load scripts, styles, images and fonts only from our own origin; no inline
script runs (scripts live in static files and read their data from `data-`
attributes). Style *attributes* stay allowed (`style-src-attr`), because house colours
reach the templates as `style="--house-colour: …"`; `<style>` elements do not.

A view that needs another rule sets that directive itself and the middleware fills in
the rest: the embeddable widget says `frame-ancestors *` and keeps everything else.
`form-action` also allows the payment provider's hosted checkout, because browsers
apply it to the redirect that follows the checkout form.
"""

from urllib.parse import urlsplit

from django.conf import settings

HEADER = "Content-Security-Policy"

BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def default_policy() -> dict[str, list[str]]:
    """The policy from the settings of this moment (tests may change them)."""
    policy = {name: list(sources) for name, sources in BASE_POLICY.items()}
    extra_forms = list(getattr(settings, "PODIUM_CSP_FORM_ACTION", []))
    # The local Mollie of the demo and the tests lives on another port.
    mollie = _origin(getattr(settings, "MOLLIE_API_URL", ""))
    for origin in [*extra_forms, mollie]:
        if origin and origin not in policy["form-action"]:
            policy["form-action"].append(origin)
    policy["img-src"].extend(getattr(settings, "PODIUM_CSP_IMG_SRC", []))
    return policy


def parse_policy(header: str) -> dict[str, list[str]]:
    policy = {}
    for directive in header.split(";"):
        words = directive.split()
        if words:
            policy.setdefault(words[0].lower(), words[1:])
    return policy


def render_policy(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


def content_security_policy(own: str = "") -> str:
    """The default policy, with the directives a view set itself taking precedence."""
    return render_policy({**default_policy(), **parse_policy(own)})


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response[HEADER] = content_security_policy(response.get(HEADER, ""))
        return response
