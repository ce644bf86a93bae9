"""The codes people read out and type: friends pass numbers and voucher codes.

Drawn from the order-code alphabet (no 0/O, 1/I/L: never misheard), written in
groups of four, and read back whatever the typist did with spaces, dashes and case.
"""

import secrets
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from podium.sales.services.orders import CODE_ALPHABET

from .errors import PassesError


def grouped(body: str, prefix: str = "") -> str:
    """ "7K3M9QX2" → "VP-7K3M-9QX2" (with prefix "VP")."""
    groups = [body[i : i + 4] for i in range(0, len(body), 4)]
    return "-".join([prefix, *groups] if prefix else groups)


def code_new(*, length: int, taken: Callable[[str], bool], prefix: str = "") -> str:
    """A fresh code of `length` random characters, not `taken` yet."""
    for _attempt in range(10):
        code = grouped(
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(length)), prefix
        )
        if not taken(code):
            return code
    raise PassesError(_("Podium is busy; please try again."), code="busy")


def code_clean(typed: str, *, length: int, prefix: str = "") -> str:
    """The stored form of a typed code; what cannot be one comes back stripped (it
    then matches nothing)."""
    body = "".join(ch for ch in (typed or "").upper() if ch.isalnum())
    if prefix and body.startswith(prefix) and len(body) == length + len(prefix):
        body = body[len(prefix) :]
    return grouped(body, prefix) if len(body) == length else (typed or "").strip()[:20]
