"""The admission token: proof that a browser's visitor was admitted from a room.

Signed with Django's signing (salted for this use) over the room and the entry, and
valid for the room's admission time from the moment of admission.
"""

from datetime import datetime

from django.core import signing

from .backends import Place
from .models import WaitingRoom

SALT = "podium.waitingroom"


def admission_token(*, room: WaitingRoom, place: Place) -> str:
    return signing.dumps(
        {"r": room.pk, "e": place.entry_id, "x": int(place.expires_at.timestamp())},
        salt=SALT,
        compress=True,
    )


def admission_valid(*, room: WaitingRoom, token: str | None, now: datetime) -> bool:
    """Is `token` a live admission to this very room?"""
    if not token:
        return False
    try:
        payload = signing.loads(token, salt=SALT, max_age=room.admission_minutes * 60)
    except signing.BadSignature:  # SignatureExpired included
        return False
    if not isinstance(payload, dict) or payload.get("r") != room.pk:
        return False
    return isinstance(payload.get("x"), int) and payload["x"] > now.timestamp()
