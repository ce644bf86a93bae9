"""The signed code in a ticket's QR: compact, versioned, URL-safe, verifiable offline.

    PD1.<base64url(payload)>.<base64url(Ed25519 signature)>

The payload is binary (big-endian):

    key id length (1 byte) · key id (ASCII) · house id (8) · performance id (8) ·
    ticket id (8) · ticket version (2) · secret length (1) · secret (ASCII)

The signature covers the prefix and the payload bytes (`b"PD1." + payload`), so the
format version is signed too. Decoding is strict: exactly three parts, canonical
unpadded base64url (no ignored trailing bits), exact lengths. Together with Ed25519's
strict verification, changing any single character of the code makes it fail.

A scanner needs only the house's public keys (`keys.public_keys`) to verify a code;
whether the ticket is still valid (not reissued, cancelled or refunded) is decided by
`services.tickets.ticket_verify`, or by a scanner's synced ticket list.
"""

import base64
import binascii
import re
import secrets
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..models import Ticket
from .errors import TicketInvalid, TicketInvalidReason
from .keys import private_key, signing_key_for

PREFIX = "PD1"
_IDS = struct.Struct(">QQQH")  # house, performance, ticket, version
_SIGNATURE_BYTES = 64
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class VerifiedTicket:
    """What a ticket code claims; from `payload_verify`, its signature checked."""

    key_id: str
    house_id: int
    performance_id: int
    ticket_id: int
    version: int
    secret: str


def ticket_secret_new() -> str:
    """A fresh random ticket secret (192 bits, 32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def ticket_payload(ticket: Ticket) -> str:
    """The signed code for `ticket`, signed with its house's current key."""
    key = signing_key_for(house=ticket.house)
    claims = VerifiedTicket(
        key_id=key.key_id,
        house_id=ticket.house_id,
        performance_id=ticket.performance_id,
        ticket_id=ticket.pk,
        version=ticket.version,
        secret=ticket.secret,
    )
    body = _pack(claims)
    signature = private_key(key).sign(_signed_bytes(body))
    return f"{PREFIX}.{_b64encode(body)}.{_b64encode(signature)}"


def payload_claims(payload: str) -> VerifiedTicket:
    """What `payload` claims, WITHOUT checking its signature (raises when malformed).

    Only for choosing which keys to verify with; trust nothing before `payload_verify`.
    """
    return _decode(payload)[0]


def payload_verify(payload: str, public_keys: dict[str, bytes]) -> VerifiedTicket:
    """Check `payload`'s signature against `public_keys` (key id → raw public key).

    Raises TicketInvalid with reason malformed, unknown_key or bad_signature.
    """
    claims, body, signature = _decode(payload)
    raw_key = public_keys.get(claims.key_id)
    if raw_key is None:
        raise TicketInvalid(TicketInvalidReason.UNKNOWN_KEY)
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(
            signature, _signed_bytes(body)
        )
    except (InvalidSignature, ValueError) as error:
        raise TicketInvalid(TicketInvalidReason.BAD_SIGNATURE) from error
    return claims


def _signed_bytes(body: bytes) -> bytes:
    return PREFIX.encode() + b"." + body


def _pack(claims: VerifiedTicket) -> bytes:
    key_id = claims.key_id.encode("ascii")
    secret = claims.secret.encode("ascii")
    return b"".join(
        [
            bytes([len(key_id)]),
            key_id,
            _IDS.pack(
                claims.house_id, claims.performance_id, claims.ticket_id, claims.version
            ),
            bytes([len(secret)]),
            secret,
        ]
    )


def _unpack(body: bytes) -> VerifiedTicket:
    key_len = body[0]
    key_id = body[1 : 1 + key_len]
    at = 1 + key_len
    house_id, performance_id, ticket_id, version = _IDS.unpack_from(body, at)
    at += _IDS.size
    secret_len = body[at]
    secret = body[at + 1 :]
    if len(secret) != secret_len or not key_id or not secret:
        raise ValueError("wrong length")
    return VerifiedTicket(
        key_id=key_id.decode("ascii"),
        house_id=house_id,
        performance_id=performance_id,
        ticket_id=ticket_id,
        version=version,
        secret=secret.decode("ascii"),
    )


def _decode(payload: str) -> tuple[VerifiedTicket, bytes, bytes]:
    parts = payload.strip().split(".") if isinstance(payload, str) else []
    if len(parts) != 3 or parts[0] != PREFIX:
        raise TicketInvalid(TicketInvalidReason.MALFORMED)
    try:
        body = _b64decode_strict(parts[1])
        signature = _b64decode_strict(parts[2])
        claims = _unpack(body)
    except (ValueError, IndexError, struct.error) as error:
        raise TicketInvalid(TicketInvalidReason.MALFORMED) from error
    if len(signature) != _SIGNATURE_BYTES:
        raise TicketInvalid(TicketInvalidReason.MALFORMED)
    return claims, body, signature


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode_strict(text: str) -> bytes:
    # Python's decoder ignores stray characters and unused trailing bits; a code is
    # accepted only in its one canonical spelling.
    if not _BASE64URL.fullmatch(text):
        raise ValueError("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise ValueError("not base64url") from error
    if _b64encode(data) != text:
        raise ValueError("not canonical")
    return data
